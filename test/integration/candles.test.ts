import { strict as assert } from 'node:assert';
import { CandleService, mergeCandle } from '../../src/ib/candles';
import { ContractService } from '../../src/ib/contracts';
import { gatewayClockPerConnection } from '../../src/ib/gateway-clock';
import { IbError, LOCAL_CODES } from '../../src/ib/errors';
import type { Candle, CandleEvent, Disposable, HistoryRequest, ResolvedContract } from '../../src/ib/types';
import { startSim, type StartedSim } from './support/sim';
import { connectSession, MARKET_OPEN, type TestSession } from './support/session';
import { quietFor, waitUntil } from '../support/wait';
import { fakeTime, type FakeTime } from '../support/fake-time';

const REQ_HISTORICAL_DATA = 20;
const AAPL = 265598;

function assertSeries(candles: Candle[], barSeconds: number, label: string): void {
  assert.ok(candles.length > 0, `${label}: no bars`);
  let prev = -Infinity;
  for (const c of candles) {
    assert.ok(Number.isInteger(c.time), `${label}: time ${c.time} is whole epoch seconds`);
    assert.ok(c.time > prev, `${label}: times ascend`);
    prev = c.time;
    assert.ok(c.low <= c.open && c.low <= c.close && c.high >= c.open && c.high >= c.close, `${label}: OHLC consistent ${JSON.stringify(c)}`);
    if (barSeconds < 86400) assert.equal(c.time % Math.min(barSeconds, 1800), 0, `${label}: ${c.time} aligned to the bar`);
  }
}

describe('candles against the simulator', () => {
  let sim: StartedSim;
  let session: TestSession;
  let contracts: ContractService;
  let candles: CandleService;
  let time: FakeTime;
  const clientId = 31;
  const histCount = () => sim.server.receivedMessageIds().get(REQ_HISTORICAL_DATA) ?? 0;
  const liveFor = (conId: number) => sim.server.activeHistorical().filter((l) => l.clientId === clientId && l.conId === conId);

  /** The simulator, the connection and the candle service on one fake clock the test advances. */
  async function setUp(options: { pacing: boolean; speed?: number; identicalWindowMs?: number }): Promise<void> {
    time = fakeTime(MARKET_OPEN);
    sim = await startSim({ clock: { start: MARKET_OPEN, speed: options.speed ?? 1 }, limits: { historicalPacing: options.pacing }, scheduler: time.scheduler });
    session = await connectSession(sim.port, clientId, { clock: time.clock });
    contracts = new ContractService(session.manager);
    const pacing = options.identicalWindowMs !== undefined ? { identicalWindowMs: options.identicalWindowMs } : {};
    candles = new CandleService(session.manager, contracts, undefined, { pacingRetryMs: 500, pacing, clock: time.clock });
  }

  afterEach(async () => {
    candles?.dispose();
    await session?.close();
    await sim?.stop();
    session?.assertNoDecodingErrors();
  });

  it('fetches history for several bar sizes with times in UTC epoch seconds', async () => {
    await setUp({ pacing: false });
    const nowSec = Math.floor(MARKET_OPEN / 1000);
    const cases: Array<[HistoryRequest, number]> = [
      [{ symbol: 'AAPL', barSize: '1 min', duration: '1 D', useRTH: false }, 60],
      [{ symbol: 'AAPL', barSize: '5 mins', duration: '1 W' }, 300],
      [{ symbol: 'MSFT', barSize: '1 hour', duration: '1 M' }, 3600],
      [{ symbol: 'SPY', barSize: '1 day', duration: '1 Y' }, 86400],
      [{ symbol: 'EUR.USD', barSize: '15 mins', duration: '2 D' }, 900],
      [{ symbol: 'AAPL', barSize: '30 secs', duration: '3600 S', useRTH: false }, 30],
    ];
    for (const [req, seconds] of cases) {
      const bars = await candles.fetch(req);
      const label = `${String(req.symbol)} ${req.barSize} ${req.duration}`;
      assertSeries(bars, seconds, label);
      assert.ok(bars[bars.length - 1].time <= nowSec + 60, `${label}: no bar after the simulated now`);
      assert.ok(bars[0].time >= nowSec - 400 * 86400, `${label}: first bar within the duration`);
      if (seconds === 86400) {
        for (const b of bars) assert.equal(b.time % 86400, 0, 'daily bars at UTC midnight');
        assert.ok(bars.length > 200 && bars.length < 270, `about a year of sessions: ${bars.length}`);
      }
    }
  });

  it('serves an identical request within 15 s from the cache and validates before sending', async () => {
    await setUp({ pacing: true });
    const req: HistoryRequest = { symbol: 'AAPL', barSize: '5 mins', duration: '1 D' };
    const first = await candles.fetch(req);
    const sent = histCount();
    const second = await candles.fetch({ ...req, barSize: '5 min' });
    assert.deepEqual(second, first);
    assert.equal(histCount(), sent, 'no second request reached the gateway');
    second[0].close = -1;
    assert.notEqual((await candles.fetch(req))[0].close, -1, 'callers get copies');
    await assert.rejects(candles.fetch({ symbol: 'AAPL', barSize: '1 secs', duration: '1 W' }), (e: unknown) => {
      assert.ok(e instanceof IbError);
      assert.equal(e.info.code, LOCAL_CODES.invalidRequest, "refused before sending: the extension's code, not IB's 321");
      assert.equal(e.info.source, 'local');
      assert.match(e.info.message, /too small for a duration of "1 W"/);
      return true;
    });
    await assert.rejects(candles.fetch({ symbol: 'AAPL', barSize: '7 mins', duration: '1 D' }), /not an IB bar size/);
    assert.equal(histCount(), sent, 'invalid requests are not sent');
    // past IB's step table's rows but served by TWS (60 D of 1-hour bars, recorded): not refused here
    const quarter = await candles.fetch({ symbol: 'AAPL', barSize: '1 hour', duration: '3 M' });
    assert.ok(quarter.length > 60 * 6, `three months of hourly bars: ${quarter.length}`);
    assert.equal(histCount(), sent + 1, 'sent to the gateway');
    // the extension's own bound on one request's size, in its own words, not sent
    await assert.rejects(candles.fetch({ symbol: 'AAPL', barSize: '1 min', duration: '1 Y' }), /525,600 bars of calendar time, more than the 20,000/);
    assert.equal(histCount(), sent + 1, 'too big a request is not sent');
  });

  it('serves minute bars from the cache only while their last bar forms: after the minute ends, the gateway is asked again', async () => {
    await setUp({ pacing: true });
    const req: HistoryRequest = { symbol: 'AAPL', barSize: '1 min', duration: '1800 S', useRTH: false };
    // ten seconds before a minute ends (15:00:50 UTC)
    await time.advance(50_000 - (time.now() % 60_000));
    const first = await candles.fetch(req);
    const forming = first[first.length - 1];
    assert.ok(forming.time * 1000 <= time.now() && time.now() < (forming.time + 60) * 1000, 'the last bar is the one forming');
    const sent = histCount();
    await time.advance(5_000);
    assert.deepEqual(await candles.fetch(req), first, 'within its minute: the same bars');
    assert.equal(histCount(), sent, 'from the cache');
    // the minute has ended, 12 s after the fetch (within the 15 s the cache keeps other bars)
    await time.advance(7_000);
    const second = await candles.fetch(req);
    assert.equal(histCount(), sent + 1, 'asked again: the cached minute would be unfinished and the new one missing');
    assert.equal(second[second.length - 1].time, forming.time + 60, 'the new minute is there');
    const finished = second.find((c) => c.time === forming.time)!;
    assert.ok(finished.volume >= forming.volume, 'the ended minute with all its volume');
  });

  it("ends a forming bar on the gateway's clock, not this machine's: a simulated gateway three hours behind it", async () => {
    const AWAY = 3 * 3600_000;
    // this machine's clock three hours ahead of the gateway's (a simulated gateway pinned to a session, as in CI)
    time = fakeTime(MARKET_OPEN + AWAY);
    sim = await startSim({ clock: { start: MARKET_OPEN, speed: 1 }, limits: { historicalPacing: true }, scheduler: time.scheduler });
    session = await connectSession(sim.port, clientId, { clock: time.clock });
    contracts = new ContractService(session.manager);
    const gateway = gatewayClockPerConnection(session.manager, () => time.now());
    try {
      const gatewayNow = () => time.now() - AWAY;
      // the offset is measured from the gateway's CURRENT_TIME (whole seconds)
      await waitUntil('the gateway clock measured', () => Math.abs(gateway.now() - gatewayNow()) <= 1000, 5_000);
      candles = new CandleService(session.manager, contracts, undefined, { pacingRetryMs: 500, clock: time.clock, gatewayNow: gateway.now });
      const req: HistoryRequest = { symbol: 'AAPL', barSize: '1 min', duration: '1800 S', useRTH: false };
      // ten seconds before a minute ends on the gateway's clock
      await time.advance(50_000 - (gatewayNow() % 60_000));
      const first = await candles.fetch(req);
      const forming = first[first.length - 1];
      assert.ok(forming.time * 1000 <= gatewayNow() && gatewayNow() < (forming.time + 60) * 1000, 'the last bar is the one forming');
      const sent = histCount();
      await time.advance(5_000);
      assert.deepEqual(await candles.fetch(req), first, 'within its minute: from the cache');
      assert.equal(histCount(), sent);
      // the minute has ended on the gateway's clock, 12 s after the fetch
      await time.advance(7_000);
      const second = await candles.fetch(req);
      assert.equal(histCount(), sent + 1, "asked again, as with a gateway on this machine's time");
      assert.equal(second[second.length - 1].time, forming.time + 60, 'the new minute is there');
    } finally {
      gateway.dispose();
    }
  });

  it('completes a burst of 100 history requests within IB pacing, with the gateway enforcing it', async function () {
    this.timeout(60_000);
    await setUp({ pacing: true });
    const durations: Record<string, string[]> = {
      AAPL: ['1800 S', '3600 S', '7200 S', '14400 S', '28800 S', '1 D', '2 D', '3 D'],
      MSFT: ['1800 S', '3600 S', '7200 S', '14400 S', '28800 S', '1 D'],
      SPY: ['1800 S', '3600 S', '7200 S', '14400 S', '28800 S', '1 D'],
    };
    const distinct: HistoryRequest[] = [];
    for (const [symbol, list] of Object.entries(durations)) for (const duration of list) distinct.push({ symbol, barSize: '5 mins', duration, useRTH: false });
    assert.equal(distinct.length, 20);
    const burst: HistoryRequest[] = [];
    for (let round = 0; round < 5; round++) for (let i = 0; i < distinct.length; i++) burst.push(distinct[(i * 7 + round) % distinct.length]);
    assert.equal(burst.length, 100);
    const before = histCount();
    let results: Array<Candle[]> | undefined;
    const all = Promise.all(burst.map((r) => candles.fetch(r))).then((r) => (results = r));
    // the queue spreads them over several seconds of (simulated) time: 6 per contract in 2 s
    await time.advanceUntil('every answer', () => results, { stepMs: 100 });
    await all;
    assert.ok(results);
    assert.ok(time.elapsed() >= 2000, `the queue waited for IB's window (${time.elapsed()} ms)`);
    assert.equal(results.length, 100);
    for (let i = 0; i < results.length; i++) assertSeries(results[i], 300, `${String(burst[i].symbol)} ${burst[i].duration}`);
    assert.equal(histCount() - before, 20, 'each distinct request reached the gateway once');
    const refusals = session.seen.filter((e) => e.code === 162);
    assert.deepEqual(refusals, [], 'the gateway never had to refuse for pacing');
  });

  it('streams live bars: a backfill, then updates merged by time, one gateway line for two watchers', async () => {
    await setUp({ pacing: true, speed: 50 });
    const req: HistoryRequest = { symbol: 'AAPL', barSize: '5 secs', duration: '1800 S', useRTH: false };
    const a: CandleEvent[] = [];
    const b: CandleEvent[] = [];
    const first = candles.live(req, (e) => a.push(e));
    const mine: Candle[] = [];
    await waitUntil('the backfill', () => a.find((e) => e.type === 'reset'));
    const reset = a.find((e) => e.type === 'reset');
    assert.ok(reset && reset.type === 'reset');
    assertSeries(reset.candles, 5, 'backfill');
    mine.push(...reset.candles);
    const second = candles.live({ ...req, barSize: '5 sec' }, (e) => b.push(e));
    await time.advanceUntil('appended bars', () => a.filter((e) => e.type === 'update' && !e.replaced).length >= 2);
    await waitUntil('the second watcher joined with a reset', () => b.find((e) => e.type === 'reset'));
    assert.equal(liveFor(AAPL).length, 1, 'two watchers, one keepUpToDate line');
    for (const e of a) if (e.type === 'update') mergeCandle(mine, e.candle);
    assertSeries(mine, 5, 'merged series');
    const updates = a.filter((e) => e.type === 'update');
    assert.ok(
      updates.some((e) => e.type === 'update' && e.replaced),
      'the running bar was replaced at least once',
    );
    assert.ok(mine[mine.length - 1].time > reset.candles[reset.candles.length - 1].time, 'the series grew');
    assert.deepEqual(
      a.filter((e) => e.type === 'error'),
      [],
    );
    first.dispose();
    await quietFor(100);
    assert.equal(liveFor(AAPL).length, 1);
    second.dispose();
    await waitUntil('the line cancelled', () => liveFor(AAPL).length === 0 || undefined);
    assert.equal(candles.liveSeries, 0);
  });

  /** ES's front month streaming live 5-second bars on the first gateway, its backfill arrived. */
  async function liveFrontMonth(): Promise<{ front: ResolvedContract; events: CandleEvent[]; sub: Disposable }> {
    await setUp({ pacing: false, speed: 50, identicalWindowMs: 100 });
    const [front] = await contracts.futures('ES', 'CME');
    const events: CandleEvent[] = [];
    const sub = candles.live({ symbol: `ES ${front.contractMonth!} FUT@CME`, barSize: '5 secs', duration: '1800 S', useRTH: false }, (e) => events.push(e));
    await waitUntil('the backfill', () => events.find((e) => e.type === 'reset'));
    return { front, events, sub };
  }

  it("a future's live series is resolved again on another gateway and sent there as its contract, never as the old conId", async () => {
    const { front, events, sub } = await liveFrontMonth();
    assert.equal(liveFor(front.conId).length, 1);
    // a gateway that numbers its futures months from another base (as IB does the simulator's made-up ones)
    const other = await startSim({
      clock: { start: MARKET_OPEN, speed: 50 },
      limits: { historicalPacing: false },
      scheduler: time.scheduler,
      futuresConIdShift: 1000,
    });
    const there = front.conId + 1000;
    const linesThere = () => other.server.activeHistorical().filter((l) => l.clientId === clientId);
    try {
      await session.manager.updateSettings({ enabled: true, host: '127.0.0.1', port: other.port, clientId, simulated: true });
      await time.advanceUntil('ready there', () => session.manager.status.phase === 'ready' && session.manager.status.port === other.port);
      await time.advanceUntil('a backfill from there', () => events.filter((e) => e.type === 'reset').length >= 2);
      assert.deepEqual(
        linesThere().map((l) => l.conId),
        [there],
        "one keepUpToDate line there, for that gateway's contract",
      );
      assert.deepEqual(
        events.filter((e) => e.type === 'error'),
        [],
        'no error on the way (the old conId was never sent there)',
      );
      const n = events.length;
      await time.advanceUntil('updates from there', () => events.slice(n).some((e) => e.type === 'update'));
    } finally {
      sub.dispose();
      await time.advanceUntil('the line cancelled there', () => linesThere().length === 0 || undefined);
      await other.stop();
    }
  });

  it('a live series whose symbol the new gateway does not know: its listener hears why, and nothing is sent for the old conId', async () => {
    const { events, sub } = await liveFrontMonth();
    // a gateway whose futures are all beyond this month, which expired more than two years before: unknown there even among the expired
    const other = await startSim({ clock: { start: MARKET_OPEN + 800 * 86_400_000 }, scheduler: time.scheduler, futuresConIdShift: 1000 });
    const asked = () => other.server.receivedMessageIds().get(REQ_HISTORICAL_DATA) ?? 0;
    try {
      await session.manager.updateSettings({ enabled: true, host: '127.0.0.1', port: other.port, clientId, simulated: true });
      const why = await time.advanceUntil('the error', () => events.find((e) => e.type === 'error'));
      assert.ok(why.type === 'error' && /no|not|unknown/i.test(why.error.message), JSON.stringify(why));
      assert.equal(asked(), 0, 'no history asked there (the old conId may be another instrument)');
      // connected again to the same gateway: asked again, and still never sent as the old contract
      await session.manager.disconnect();
      await session.manager.connect();
      await time.advanceUntil('the error again', () => events.filter((e) => e.type === 'error').length >= 2 || undefined);
      assert.equal(asked(), 0, 'still no history asked there');
    } finally {
      sub.dispose();
      await other.stop();
    }
  });

  it('refuses live bars under 5 s with a clear error and sends nothing', async () => {
    await setUp({ pacing: true });
    const events: CandleEvent[] = [];
    const before = histCount();
    const sub = candles.live({ symbol: 'AAPL', barSize: '1 secs', duration: '1800 S' }, (e) => events.push(e));
    const e = await waitUntil('the error event', () => events[0]);
    assert.equal(e.type, 'error');
    assert.ok(e.type === 'error' && /5 secs or more/.test(e.error.message));
    assert.equal(histCount(), before);
    sub.dispose();
  });

  it('sends a live series again after a farm blip and after a gateway restart, never twice', async () => {
    // A re-sent series is an identical request: the gateway's 15 s rule is off here and the queue's is shortened.
    await setUp({ pacing: false, speed: 50, identicalWindowMs: 100 });
    const events: CandleEvent[] = [];
    const sub = candles.live({ symbol: 'AAPL', barSize: '5 secs', duration: '1800 S', useRTH: false }, (e) => events.push(e));
    await waitUntil('the backfill', () => events.find((e) => e.type === 'reset'));
    const firstLine = liveFor(AAPL);
    assert.equal(firstLine.length, 1);
    sim.server.faults.farmBlip(100);
    const blipLine = await time.advanceUntil('the series sent again', () => {
      const l = liveFor(AAPL);
      return l.length === 1 && l[0].reqId !== firstLine[0].reqId ? l : undefined;
    });
    await time.advanceUntil('a second backfill', () => events.filter((e) => e.type === 'reset').length >= 2);
    let n = events.length;
    await time.advanceUntil('updates after the blip', () => events.slice(n).some((e) => e.type === 'update'));
    sim.server.faults.restart(200);
    await time.advanceUntil(
      'ready again',
      () => session.manager.status.phase === 'ready' && session.manager.api && liveFor(AAPL).length === 1 && liveFor(AAPL)[0].reqId !== blipLine[0].reqId,
    );
    await time.advanceUntil('a third backfill', () => events.filter((e) => e.type === 'reset').length >= 3);
    n = events.length;
    await time.advanceUntil('updates after the restart', () => events.slice(n).some((e) => e.type === 'update'));
    await time.advance(1000, { stepMs: 100 });
    assert.equal(sim.server.activeHistorical().length, 1, JSON.stringify(sim.server.activeHistorical()));
    assert.deepEqual(
      events.filter((e) => e.type === 'error'),
      [],
    );
    sub.dispose();
  });

  it('ends a history request that gets no answer with a clear error, and the queue goes on', async () => {
    await setUp({ pacing: false });
    const quick = new CandleService(session.manager, contracts, undefined, { timeoutMs: 200, clock: time.clock });
    try {
      await contracts.resolve('MSFT');
      sim.server.faults.stall(500);
      const asked = histCount();
      const unanswered = quick.fetch({ symbol: 'MSFT', barSize: '1 hour', duration: '1 W' });
      let settled = false;
      void unanswered.catch(() => undefined).finally(() => (settled = true));
      await waitUntil('the request at the gateway', () => histCount() > asked || undefined);
      await time.advance(150);
      assert.equal(settled, false, 'not given up within its time limit');
      await time.advance(50);
      await assert.rejects(unanswered, (e: unknown) => {
        assert.ok(e instanceof IbError);
        assert.match(e.info.message, /did not answer the history request for MSFT/);
        return true;
      });
      await time.advance(300); // the stall is over
      const bars = await quick.fetch({ symbol: 'MSFT', barSize: '1 hour', duration: '2 W' });
      assertSeries(bars, 3600, 'after the stall');
      assert.equal(quick.pacing.running, 0);
    } finally {
      quick.dispose();
    }
  });
});
