/**
 * Time limits and the library's send queue, over real TCP against the
 * simulator: @stoqey/ib sends at most 40 messages a second (4 every 100 ms,
 * in order), so a request made behind a burst of others (a watchlist's lines
 * sent at once) waits in the client before the gateway sees it. A request's
 * time limit counts from when its message leaves for the gateway, not from
 * when it was made: the gateway is not blamed for that wait, and a gateway
 * that really does not answer is still named within the limit of receiving it.
 *
 * Real time here is the library's own limiter (real timers); the scenarios
 * are sized to a few seconds. The simulator keeps IB's 50 messages a second:
 * the client's 40 stay under it.
 */
import { strict as assert } from 'node:assert';
import { ContractService } from '../../src/ib/contracts';
import { IbError, LOCAL_CODES } from '../../src/ib/errors';
import { QuoteService } from '../../src/ib/quotes';
import type { Disposable, ResolvedContract } from '../../src/ib/types';
import { startSim, type StartedSim } from './support/sim';
import { connectSession, type TestSession } from './support/session';
import { waitUntil } from '../support/wait';

/** Watchlist lines opened at once: about two seconds of the library's queue at 40 a second. */
const LINES = 80;
const clientId = 61;

/** The simulator's synthetic listings, as the contract service would have resolved them. */
function listings(sim: StartedSim, n: number): ResolvedContract[] {
  return sim.server.market.universe
    .all()
    .filter((i) => i.symbol.startsWith('SIM'))
    .slice(0, n)
    .map((i) => ({
      conId: i.conId,
      symbol: i.symbol,
      secType: 'STK',
      exchange: 'SMART',
      primaryExchange: i.primaryExchange,
      currency: i.currency,
      minTick: i.minTick,
      display: `${i.symbol} (${i.primaryExchange}, ${i.currency})`,
    }));
}

describe('transport: time limits count from when the request leaves the send queue', function () {
  this.timeout(20000);
  let sim: StartedSim;
  let session: TestSession;
  let quotes: QuoteService | undefined;
  const subs: Disposable[] = [];
  /** When the simulator received each contract-details request (by request id). */
  const received = new Map<number, number>();

  beforeEach(async () => {
    received.clear();
    sim = await startSim({
      syntheticStocks: LINES,
      tickIntervalMs: 1000,
      log: (line) => {
        const m = /reqContractDetails #(\d+)/.exec(line);
        if (m) received.set(Number(m[1]), Date.now());
      },
    });
    session = await connectSession(sim.port, clientId);
  });

  afterEach(async () => {
    for (const s of subs.splice(0)) s.dispose();
    quotes?.dispose();
    quotes = undefined;
    await session?.close();
    await sim?.stop();
    session?.assertNoDecodingErrors();
  });

  /** Opens LINES watchlist lines at once through the quote service: that many market-data requests queue in the library. */
  function openWatchlist(contracts: ContractService): void {
    quotes = new QuoteService(session.manager, contracts);
    for (const c of listings(sim, LINES)) subs.push(quotes.subscribe(c, () => undefined));
  }

  it('a lookup made behind a full send queue is answered, though the queue held it longer than its time limit', async () => {
    const contracts = new ContractService(session.manager, undefined, { timeoutMs: 1000 });
    openWatchlist(contracts);
    const asked = Date.now();
    let outcome: string;
    try {
      const msft = await contracts.resolve('MSFT');
      outcome = `answered: ${msft.display}`;
    } catch (e) {
      outcome = e instanceof IbError ? `${e.info.code}: ${e.info.message}` : String(e);
    }
    const settled = Date.now();
    // a lookup that failed first still reaches the simulator once the queue has drained up to it
    await waitUntil(`the simulator to receive the lookup (${outcome})`, () => received.size > 0, 4000);
    const [id, at] = [...received.entries()][0];
    const queued = at - asked;
    assert.ok(queued > 1000, `it waited ${queued} ms in the client's queue: longer than its time limit`);
    assert.equal(outcome, 'answered: MSFT (NASDAQ, USD)', `request #${id}: queued ${queued} ms, settled ${settled - asked} ms after it was asked`);
    assert.ok(settled - at < 500, `answered ${settled - at} ms after the simulator received it`);
    assert.deepEqual(
      session.seen.filter((e) => e.code === 100),
      [],
      'the client stays within the gateway message rate',
    );
  });

  it("the heartbeat behind a full send queue does not take a healthy gateway for a silent one (the wait is the client's)", async () => {
    // a heartbeat every 200 ms, 800 ms for its answer: the queue of lines holds it about 2 s
    await session.close();
    session = await connectSession(sim.port, clientId, { heartbeatIntervalMs: 200, heartbeatTimeoutMs: 800 });
    const phases: string[] = [];
    const sub = session.manager.onStatus((st) => phases.push(st.phase));
    try {
      openWatchlist(new ContractService(session.manager));
      await waitUntil('the lines on the gateway', () => sim.server.activeMarketData().length === LINES || undefined, 8000);
      // and a beat or two after the queue drained
      await new Promise((r) => setTimeout(r, 600));
      assert.deepEqual(phases, [], `the connection stayed ready (error: ${JSON.stringify(session.manager.status.error)})`);
      assert.equal(session.manager.status.phase, 'ready');
    } finally {
      sub.dispose();
    }
  });

  it('a gateway that does not answer is still named, its time limit counted from when the request left the queue', async () => {
    const contracts = new ContractService(session.manager, undefined, { timeoutMs: 500 });
    openWatchlist(contracts);
    // the simulator acts on every request 1.5 s after it arrives: the lookup's answer comes too late
    sim.server.faults.delayReplies(1500);
    const asked = Date.now();
    const err = await contracts.resolve('MSFT').then(
      () => assert.fail('answered within the time limit'),
      (e: unknown) => e,
    );
    const failedAfter = Date.now() - asked;
    assert.ok(err instanceof IbError, String(err));
    assert.equal(err.info.code, LOCAL_CODES.noAnswer);
    assert.match(err.info.message, /^IB Gateway\/TWS did not answer the contract lookup for "MSFT" within 0\.5 s\.$/);
    // more than LINES messages were ahead of it, 4 every 100 ms: it left after 2 s at the earliest, its limit ran from there
    assert.ok(failedAfter >= 2400, `failed ${failedAfter} ms after it was asked: before it could have reached the gateway and waited 0.5 s`);
  });
});
