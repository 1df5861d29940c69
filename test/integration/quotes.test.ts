import { strict as assert } from 'node:assert';
import { ContractService } from '../../src/ib/contracts';
import { ConnectionManager } from '../../src/ib/connection';
import { IbError } from '../../src/ib/errors';
import { QuoteService } from '../../src/ib/quotes';
import type { IbErrorInfo, Quote } from '../../src/ib/types';
import { startSim, type StartedSim } from './support/sim';
import { connectSession, MARKET_OPEN, type TestSession } from './support/session';
import { quietFor, waitUntil } from '../support/wait';
import { fakeTime, type FakeTime } from '../support/fake-time';

const AAPL = 265598;
const SHOP_TSE = 195014255;

describe('quotes against the simulator', () => {
  let sim: StartedSim;
  let session: TestSession;
  let contracts: ContractService;
  let quotes: QuoteService;
  let time: FakeTime;
  const clientId = 21;

  /** Other gateways a test moved to (stopped after it). */
  const others: StartedSim[] = [];
  const linesFor = (conId: number) => sim.server.activeMarketData().filter((l) => l.clientId === clientId && l.conId === conId);

  /** The simulator's log lines of the current test (printed too under SIM_LOG). */
  let simLog: string[] = [];

  beforeEach(async () => {
    // the simulator and the connection on a fake clock: ticks, faults and backoff come as the test advances it
    time = fakeTime(MARKET_OPEN);
    simLog = [];
    const log = (line: string): void => {
      simLog.push(line);
      if (process.env.SIM_LOG) console.log(`    [sim] ${line}`);
    };
    sim = await startSim({ clock: { start: MARKET_OPEN }, tickIntervalMs: 40, scheduler: time.scheduler, log });
    session = await connectSession(sim.port, clientId, { clock: time.clock });
    contracts = new ContractService(session.manager);
    quotes = new QuoteService(session.manager, contracts);
  });

  afterEach(async () => {
    quotes?.dispose();
    await session?.close();
    await sim?.stop();
    for (const o of others.splice(0)) await o.stop();
    session?.assertNoDecodingErrors();
  });

  it('takes a snapshot with prices, sizes, previous close, change and time', async () => {
    const q = await quotes.snapshot('AAPL');
    assert.equal(q.symbol, 'AAPL');
    assert.equal(q.conId, AAPL);
    assert.equal(q.dataType, 'live');
    for (const k of ['bid', 'ask', 'last', 'bidSize', 'askSize', 'volume', 'open', 'high', 'low', 'close'] as const) {
      assert.equal(typeof q[k], 'number', `${k} in ${JSON.stringify(q)}`);
    }
    assert.ok(q.bid! < q.ask!, 'bid below ask');
    assert.ok(Math.abs(q.change! - (q.last! - q.close!)) < 1e-9);
    assert.ok(Math.abs(q.time! - MARKET_OPEN) < 3_600_000, `trade time near the simulated clock: ${new Date(q.time!).toISOString()}`);
    assert.equal(q.halted, false);
    assert.equal(linesFor(AAPL).length, 0, 'a snapshot leaves no streaming line');
  });

  it('an index: its price is the last value, with no bid, ask, sizes or volume (an index is calculated, not traded)', async () => {
    const q = await quotes.snapshot('SPX IND@CBOE');
    assert.equal(typeof q.last, 'number', JSON.stringify(q));
    assert.equal(q.price, q.last);
    for (const k of ['bid', 'ask', 'bidSize', 'askSize', 'lastSize', 'volume'] as const) assert.equal(q[k], undefined, `${k} in ${JSON.stringify(q)}`);
    assert.equal(typeof q.close, 'number');
  });

  it('ends a snapshot that gets no answer with a clear error instead of hanging', async () => {
    await contracts.resolve('MSFT');
    sim.server.faults.stall(1500);
    // the time limit runs on the connection's clock, the stall on the simulator's: the same fake time here
    const started = time.now();
    let endedAt: number | undefined;
    const ended = assert.rejects(quotes.snapshot('MSFT', 300), (e: unknown) => {
      assert.ok(e instanceof IbError);
      assert.match(e.info.message, /did not answer the snapshot for MSFT/);
      assert.equal(e.info.category, 'connectivity');
      endedAt = time.now();
      return true;
    });
    // the clock stands still until the request has reached the gateway: its time limit counts from `started`
    await waitUntil('the snapshot request at the gateway', () => simLog.some((l) => /reqMktData #\d+ .*MSFT.* snapshot/.test(l)));
    assert.equal(time.now(), started);
    await time.advanceUntil('the snapshot to end', () => endedAt !== undefined, { maxMs: 1400 });
    await ended;
    // 300 ms, in the step of the fake clock (50 ms) that reaches it: its own time limit, long before the stall ends
    assert.ok(endedAt! - started >= 300 && endedAt! - started < 350, `rejected by its own time limit of 300 ms: after ${endedAt! - started} ms`);
  });

  it('shares one gateway line between two watchers; the last to leave cancels it', async () => {
    const a: Quote[] = [];
    const b: Quote[] = [];
    const first = quotes.subscribe('AAPL', (q) => a.push(q));
    const second = quotes.subscribe('aapl', (q) => b.push(q));
    await time.advanceUntil('quotes for both watchers', () => a.length > 2 && b.length > 2);
    assert.equal(linesFor(AAPL).length, 1);
    assert.equal(quotes.activeLines, 1);
    assert.equal(a[a.length - 1].symbol, 'AAPL');
    assert.equal(b[b.length - 1].symbol, 'aapl', 'each watcher sees the text it asked for');
    first.dispose();
    await quietFor(150);
    assert.equal(linesFor(AAPL).length, 1, 'one watcher left: the line stays');
    const before = b.length;
    await time.advanceUntil('more quotes for the remaining watcher', () => b.length > before + 1);
    second.dispose();
    await waitUntil('the line to be cancelled', () => linesFor(AAPL).length === 0 || undefined);
    assert.equal(quotes.activeLines, 0);
  });

  it('counts as streaming only the lines the gateway streams: not one it ended (RY@TSE, no subscription and no delayed data)', async () => {
    const errors: IbErrorInfo[] = [];
    const aapl = quotes.subscribe('AAPL', () => undefined);
    const ry = quotes.subscribe(
      'RY@TSE',
      () => undefined,
      (e) => errors.push(e),
    );
    await time.advanceUntil('the refusal', () => errors.length > 0);
    assert.equal(errors[0].category, 'permission', JSON.stringify(errors[0]));
    assert.equal(quotes.activeLines, 1, 'AAPL streams; RY@TSE was ended by the gateway');
    aapl.dispose();
    ry.dispose();
  });

  it('watch: told once that the line changed, not again until it reads the quote; the quote built only when read (once per change)', async () => {
    const seen: Quote[] = [];
    const pushed = quotes.subscribe('AAPL', (q) => seen.push(q));
    let changes = 0;
    const watch = quotes.watch('aapl', () => changes++);
    assert.equal(watch.latest(), undefined, 'nothing before the first tick');
    await time.advanceUntil('a change on the shared line', () => changes > 0);
    const pushedBefore = seen.length;
    await time.advanceUntil('more changes for the other watcher', () => seen.length > pushedBefore + 3);
    assert.equal(changes, 1, 'told once while it has not read the quote');
    assert.equal(linesFor(AAPL).length, 1, 'one gateway line for both');
    const q = watch.latest()!;
    assert.equal(q.symbol, 'aapl', 'the text it asked for');
    assert.equal(q.conId, AAPL);
    assert.equal(watch.latest(), q, 'read again before a change: the same quote, not built again');
    // the same values as the quote pushed to the other watcher for the latest change: none was missed
    const { symbol: _a, ...values } = q;
    const { symbol: _b, ...pushedValues } = seen[seen.length - 1];
    assert.deepEqual(values, pushedValues);
    await time.advanceUntil('told again once read', () => changes > 1);
    const next = watch.latest()!;
    assert.notEqual(next, q, 'a change: built again when read');
    watch.dispose();
    const last = watch.latest();
    assert.deepEqual(last, next, 'disposed, it keeps the last quote');
    const after = changes;
    await time.advanceUntil('more quotes for the other watcher', () => seen.length > 10);
    assert.equal(changes, after, 'no change heard after dispose');
    assert.equal(watch.latest(), last);
    pushed.dispose();
    await waitUntil('the line to be cancelled', () => linesFor(AAPL).length === 0 || undefined);
  });

  it('watch alone on a line: its ticks go on into the quote while nobody is told, and the quote read is the latest', async () => {
    let changes = 0;
    const watch = quotes.watch('AAPL', () => changes++);
    await time.advanceUntil('the first change', () => changes > 0);
    const first = watch.latest()!;
    await time.advanceUntil('told again once read', () => changes > 1);
    // three seconds of ticks, read by nobody: not told again
    await time.advance(3000);
    assert.equal(changes, 2, 'told once until read');
    const later = watch.latest()!;
    assert.ok(later.time! >= first.time! + 2000, `the quote read has the ticks of the three seconds: ${first.time} then ${later.time}`);
    await time.advanceUntil('told again after it read', () => changes > 2);
    watch.dispose();
    await waitUntil('the line to be cancelled', () => linesFor(AAPL).length === 0 || undefined);
  });

  it('many quick watch/unwatch pairs leave no line open once the client has sent its queue', async () => {
    const symbols = ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMZN'];
    for (const s of symbols) await contracts.resolve(s);
    let opened = 0;
    // 10 pairs (each symbol twice) are 20 messages: half a second of @stoqey/ib's 40-a-second send queue
    for (let i = 0; i < 10; i++) {
      const sub = quotes.subscribe(symbols[i % symbols.length], () => undefined);
      await new Promise((r) => setImmediate(r)); // the line goes out
      opened += quotes.activeLines;
      sub.dispose();
    }
    assert.equal(opened, 10, 'every pair opened a line');
    assert.equal(quotes.activeLines, 0);
    // @stoqey/ib sends at most 40 messages a second: a request queued behind the cancels
    // is answered once the simulator has seen them all
    await session.manager.api!.matchingSymbols('AAPL', { ms: 10_000, what: 'a round trip' });
    assert.deepEqual(
      sim.server.activeMarketData().filter((l) => l.clientId === clientId),
      [],
    );
  });

  it('under auto, falls back to delayed data for a symbol without a live subscription and says so', async () => {
    const got: Quote[] = [];
    const errors: IbErrorInfo[] = [];
    const sub = quotes.subscribe(
      'SHOP@TSE',
      (q) => got.push(q),
      (e) => errors.push(e),
    );
    const q = await time.advanceUntil('a delayed quote', () => got.find((x) => x.last !== undefined && x.bid !== undefined));
    assert.equal(q.fellBack, true);
    assert.equal(q.dataType, 'delayed');
    assert.equal(q.conId, SHOP_TSE);
    assert.deepEqual(errors, [], 'the fallback is not an error');
    assert.equal(linesFor(SHOP_TSE).length, 1, 'one line, the delayed one');
    assert.ok(
      session.seen.some((e) => e.code === 354),
      'the gateway did refuse live data first',
    );
    const snap = await quotes.snapshot('SHOP@TSE');
    assert.equal(snap.fellBack, true);
    assert.equal(snap.dataType, 'delayed');
    sub.dispose();
  });

  it('under auto, a move to another gateway asks live data again for a symbol the old one had only delayed (another account may have it)', async () => {
    const got: Quote[] = [];
    const sub = quotes.subscribe('SHOP@TSE', (q) => got.push(q));
    await time.advanceUntil('a delayed quote', () => got.find((x) => x.fellBack));
    // another gateway (standing in for another account's) on the same fake clock
    const other = await startSim({ clock: { start: MARKET_OPEN }, tickIntervalMs: 40, scheduler: time.scheduler });
    try {
      await session.manager.updateSettings({ enabled: true, host: '127.0.0.1', port: other.port, clientId, simulated: true });
      await time.advanceUntil('ready on the other gateway', () => session.manager.status.phase === 'ready' && session.manager.status.port === other.port);
      await time.advanceUntil('its line', () => (other.server.receivedMessageIds().get(1) ?? 0) >= 2);
      // live asked first (this account lacks it too: 354, then delayed), not delayed at once from the old gateway's answer
      assert.equal(other.server.receivedMessageIds().get(1), 2, 'a live request, refused, then the delayed one');
    } finally {
      sub.dispose();
      await other.stop();
    }
  });

  it('under auto, an index whose live data needs an API subscription (10089, "delayed market data is available") streams delayed', async () => {
    const got: Quote[] = [];
    const errors: IbErrorInfo[] = [];
    const sub = quotes.subscribe(
      'VIX IND@CBOE',
      (q) => got.push(q),
      (e) => errors.push(e),
    );
    // TWS says 10089 again on the delayed line, and the delayed ticks follow: advice, not the line's end
    const q = await time.advanceUntil('a delayed VIX quote', () => got.find((x) => x.price !== undefined));
    assert.equal(q.dataType, 'delayed');
    assert.equal(q.fellBack, true);
    assert.ok(session.seen.filter((e) => e.code === 10089).length >= 2, 'the gateway said 10089 on the live and on the delayed line');
    const n = got.length;
    await time.advanceUntil('more delayed quotes', () => got.length > n + 1);
    assert.deepEqual(errors, [], 'the line lives on');
    const snap = await quotes.snapshot('VIX IND@CBOE');
    assert.equal(snap.dataType, 'delayed');
    assert.ok(snap.price !== undefined, 'a snapshot of it too');
    sub.dispose();
  });

  it('reads delayed tick types when delayed data is asked for, and takes the data type from the gateway', async () => {
    quotes.setMarketDataType('delayed');
    const got: Quote[] = [];
    const errors: IbErrorInfo[] = [];
    const sub = quotes.subscribe(
      'SHOP@TSE',
      (q) => got.push(q),
      (e) => errors.push(e),
    );
    const q = await time.advanceUntil('a delayed SHOP quote', () =>
      got.find((x) => x.bid !== undefined && x.last !== undefined && x.close !== undefined && x.volume !== undefined),
    );
    assert.equal(q.dataType, 'delayed');
    assert.equal(q.fellBack, undefined, 'delayed was asked for: no fallback');
    assert.ok(q.time !== undefined && q.time <= MARKET_OPEN - 14 * 60_000, 'delayed trades are about 15 minutes old');
    assert.deepEqual(errors, []);
    assert.ok(!session.seen.some((e) => e.code === 354), 'asked as delayed from the start');
    // With a live subscription IB sends live data even when delayed is asked for, and says so.
    const live: Quote[] = [];
    const sub2 = quotes.subscribe('MSFT', (x) => live.push(x));
    const m = await time.advanceUntil('an MSFT quote', () => live.find((x) => x.last !== undefined));
    assert.equal(m.dataType, 'live');
    sub.dispose();
    sub2.dispose();
  });

  it('reports a symbol without a live subscription as an error when live data is required', async () => {
    quotes.setMarketDataType('live');
    const errors: IbErrorInfo[] = [];
    const sub = quotes.subscribe(
      'SHOP@TSE',
      () => undefined,
      (e) => errors.push(e),
    );
    const e = await waitUntil('error 354', () => errors[0]);
    assert.equal(e.code, 354);
    assert.equal(e.category, 'permission');
    assert.equal(linesFor(SHOP_TSE).length, 0);
    sub.dispose();
  });

  it('a watcher of a line the gateway ended hears why too, under another spelling of the same contract (and only it)', async () => {
    quotes.setMarketDataType('live');
    const first: IbErrorInfo[] = [];
    const a = quotes.subscribe(
      'SHOP@TSE',
      () => undefined,
      (e) => first.push(e),
    );
    assert.equal((await waitUntil('error 354', () => first[0])).code, 354);
    // the same contract, written otherwise: it joins the ended line
    const second: IbErrorInfo[] = [];
    const b = quotes.subscribe(
      'SHOP@TSE CAD',
      () => undefined,
      (e) => second.push(e),
    );
    assert.equal((await waitUntil('the second watcher hears 354', () => second[0])).code, 354);
    // told to the one that joined only, without asking the gateway again (it would refuse again, and tell everyone)
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(first.length, 1, 'the first watcher is not told again');
    assert.equal(linesFor(SHOP_TSE).length, 0);
    a.dispose();
    b.dispose();
  });

  it('reports an unknown symbol to the watcher', async () => {
    const errors: IbErrorInfo[] = [];
    const sub = quotes.subscribe(
      'ZZZZQ',
      () => undefined,
      (e) => errors.push(e),
    );
    const e = await waitUntil('error 200', () => errors[0]);
    assert.equal(e.code, 200);
    sub.dispose();
  });

  it('sends the lines again after a data farm blip, one line per contract', async () => {
    const got: Quote[] = [];
    const sub = quotes.subscribe('AAPL', (q) => got.push(q));
    await time.advanceUntil('first quotes', () => got.length > 1);
    const before = linesFor(AAPL);
    assert.equal(before.length, 1);
    let resubscribed = false;
    const r = session.manager.onResubscribe(() => (resubscribed = true));
    sim.server.faults.farmBlip(150);
    await time.advanceUntil('the resubscribe signal', () => resubscribed);
    const after = await time.advanceUntil('the line sent again', () => {
      const l = linesFor(AAPL);
      return l.length === 1 && l[0].reqId !== before[0].reqId ? l : undefined;
    });
    assert.equal(after.length, 1);
    const n = got.length;
    await time.advanceUntil('quotes after the blip', () => got.length > n + 1);
    assert.equal(linesFor(AAPL).length, 1);
    r.dispose();
    sub.dispose();
  });

  it('resumes a stream after a gateway restart with exactly one line on the gateway', async () => {
    const got: Quote[] = [];
    const sub = quotes.subscribe('AAPL', (q) => got.push(q));
    const sub2 = quotes.subscribe('SHOP@TSE', () => undefined);
    await time.advanceUntil('first quotes', () => got.length > 1);
    await waitUntil('the delayed SHOP line', () => linesFor(SHOP_TSE).length === 1 || undefined);
    sim.server.faults.restart(200);
    await waitUntil('the reconnect', () => session.manager.status.phase === 'reconnecting' || undefined);
    await time.advanceUntil('ready again', () => session.manager.status.phase === 'ready' || undefined);
    const n = got.length;
    await time.advanceUntil('quotes after the restart', () => got.length > n + 1);
    // the library sends at most 4 messages per 100 ms of real time (its own timer, not the fake clock): a fifth
    // request on ready (the gateway's clock is asked too) goes in its next turn
    await time.advanceUntil('both lines back', () => (linesFor(AAPL).length && linesFor(SHOP_TSE).length) || undefined);
    await time.advance(1000, { stepMs: 100 });
    assert.equal(linesFor(AAPL).length, 1, JSON.stringify(sim.server.activeMarketData()));
    assert.equal(linesFor(SHOP_TSE).length, 1, 'the fallen-back line comes back delayed, once');
    assert.equal(sim.server.activeMarketData().length, 2);
    sub.dispose();
    sub2.dispose();
  });

  it('starts a stream asked for before the connection is ready, once it is ready', async () => {
    const manager = new ConnectionManager({ enabled: true, host: '127.0.0.1', port: sim.port, clientId: 22, heartbeatIntervalMs: 60_000 });
    const early = new QuoteService(manager, new ContractService(manager));
    try {
      const got: Quote[] = [];
      const errors: IbErrorInfo[] = [];
      const sub = early.subscribe(
        'AAPL',
        (q) => got.push(q),
        (e) => errors.push(e),
      );
      await quietFor(50);
      assert.equal(got.length, 0);
      await manager.connect();
      await time.advanceUntil('quotes after connecting', () => got.length > 1);
      assert.deepEqual(errors, [], 'not being connected yet is not an error');
      assert.equal(sim.server.activeMarketData().filter((l) => l.clientId === 22).length, 1);
      sub.dispose();
    } finally {
      early.dispose();
      await manager.disconnect();
      manager.dispose();
    }
  });

  // on a move to a gateway that numbers the contract otherwise: the simulator's futures months are made up, and IB
  // has its own conIds for them (one of the simulator's may be another instrument there); the second simulator
  // numbers its futures from another base to stand for that gateway
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
    const other = await startSim({ clock: { start: MARKET_OPEN }, tickIntervalMs: 40, scheduler: time.scheduler, futuresConIdShift: 1000 });
    others.push(other);
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
    const other = await startSim({ clock: { start: MARKET_OPEN + 200 * 86_400_000 }, tickIntervalMs: 40, scheduler: time.scheduler, futuresConIdShift: 1000 });
    others.push(other);
    await moveTo(other);
    const why = await time.advanceUntil('the error', () => errors[0]);
    assert.match(why.message, /no|not|unknown/i, why.message);
    assert.equal(other.server.receivedMessageIds().get(1) ?? 0, 0, 'no market data asked there (the old conId may be another instrument)');
    // connected again to the same gateway: asked again, and still never sent as the old contract
    await session.manager.disconnect();
    await session.manager.connect();
    await time.advanceUntil('the error again', () => errors[1]);
    assert.equal(other.server.receivedMessageIds().get(1) ?? 0, 0, 'still no market data asked there');
    sub.dispose();
  });
});
