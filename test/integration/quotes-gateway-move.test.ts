/**
 * A watched symbol moves with the connection to another gateway that numbers
 * its contract otherwise: the simulator's futures months are made up, and IB
 * has its own conIds for them (a conId of the simulator's may be another
 * instrument there). The second simulator numbers its futures from another
 * base to stand for that gateway.
 */
import { strict as assert } from 'node:assert';
import { ContractService } from '../../src/ib/contracts';
import { QuoteService } from '../../src/ib/quotes';
import type { IbErrorInfo, Quote } from '../../src/ib/types';
import { fakeTime, type FakeTime } from '../support/fake-time';
import { connectSession, MARKET_OPEN, type TestSession } from './support/session';
import { startSim, type StartedSim } from './support/sim';

describe('quotes on a move to a gateway that numbers the contract otherwise', () => {
  let sim: StartedSim;
  let other: StartedSim | undefined;
  let session: TestSession;
  let contracts: ContractService;
  let quotes: QuoteService;
  let time: FakeTime;
  const clientId = 23;

  beforeEach(async () => {
    time = fakeTime(MARKET_OPEN);
    sim = await startSim({ clock: { start: MARKET_OPEN }, tickIntervalMs: 40, scheduler: time.scheduler });
    session = await connectSession(sim.port, clientId, { clock: time.clock });
    contracts = new ContractService(session.manager);
    quotes = new QuoteService(session.manager, contracts);
  });

  afterEach(async () => {
    quotes?.dispose();
    await session?.close();
    await sim?.stop();
    await other?.stop();
    other = undefined;
    session?.assertNoDecodingErrors();
  });

  const moveTo = async (to: StartedSim) => {
    await session.manager.updateSettings({ enabled: true, host: '127.0.0.1', port: to.port, clientId, simulated: true });
    await time.advanceUntil('ready on the other gateway', () => session.manager.status.phase === 'ready' && session.manager.status.port === to.port);
  };

  it("a future's line is resolved again there and streams its contract there; a new watcher of it is not given the old one's", async () => {
    const [front] = await contracts.futures('ES', 'CME');
    const text = `ES ${front.contractMonth!} FUT@CME`;
    const got: Quote[] = [];
    const errors: IbErrorInfo[] = [];
    const sub = quotes.subscribe(
      text,
      (q) => got.push(q),
      (e) => errors.push(e),
    );
    await time.advanceUntil('a quote on the first gateway', () => got.find((q) => q.conId === front.conId && q.bid !== undefined));
    other = await startSim({ clock: { start: MARKET_OPEN }, tickIntervalMs: 40, scheduler: time.scheduler, futuresConIdShift: 1000 });
    await moveTo(other);
    const there = front.conId + 1000;
    await time.advanceUntil('a quote of its contract on the other gateway', () => got.find((q) => q.conId === there && q.bid !== undefined));
    const lines = other.server.activeMarketData().filter((l) => l.clientId === clientId);
    assert.deepEqual(
      lines.map((l) => l.conId),
      [there],
      "one line, for the other gateway's contract, none for the old conId",
    );
    assert.deepEqual(errors, [], 'no error on the way (the old conId was never sent there)');
    // a snapshot and a second watcher by the same text: resolved there, not from the old gateway's answers
    assert.equal((await quotes.snapshot(text)).conId, there);
    const second: Quote[] = [];
    const sub2 = quotes.subscribe(text, (q) => second.push(q));
    await time.advanceUntil("the second watcher's quote", () => second.find((q) => q.bid !== undefined));
    assert.equal(second[0].conId, there);
    assert.equal(other.server.activeMarketData().filter((l) => l.clientId === clientId).length, 1, 'the two watchers share the line');
    sub.dispose();
    sub2.dispose();
  });

  it('a symbol the new gateway does not know: its watcher hears why, and nothing is sent for the old conId', async () => {
    const [front] = await contracts.futures('ES', 'CME');
    const errors: IbErrorInfo[] = [];
    const got: Quote[] = [];
    const sub = quotes.subscribe(
      `ES ${front.contractMonth!} FUT@CME`,
      (q) => got.push(q),
      (e) => errors.push(e),
    );
    await time.advanceUntil('a quote on the first gateway', () => got.length > 0);
    // a gateway whose futures are all beyond this month: the front month is unknown there
    other = await startSim({ clock: { start: MARKET_OPEN + 200 * 86_400_000 }, tickIntervalMs: 40, scheduler: time.scheduler, futuresConIdShift: 1000 });
    await moveTo(other);
    const why = await time.advanceUntil('the error', () => errors[0]);
    assert.match(why.message, /no|not|unknown/i, why.message);
    assert.equal(other.server.receivedMessageIds().get(1) ?? 0, 0, 'no market data asked there (the old conId may be another instrument)');
    sub.dispose();
  });
});
