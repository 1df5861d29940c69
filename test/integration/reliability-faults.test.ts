/**
 * Faults survived with the domain wired as the extension wires it: one
 * ConnectionManager, a ContractService, a QuoteService streaming a watchlist
 * and a CandleService with two live series. After each fault every stream
 * resumes and the simulator holds each subscription exactly once.
 */
import { strict as assert } from 'node:assert';
import { CandleService } from '../../src/ib/candles';
import { ConnectionManager } from '../../src/ib/connection';
import { ContractService } from '../../src/ib/contracts';
import { describeIbError, LOCAL_CODES } from '../../src/ib/errors';
import { QuoteService } from '../../src/ib/quotes';
import type { CandleEvent, ConnectionSettings, ConnectionStatus, Disposable, IbErrorInfo } from '../../src/ib/types';
import { startSim, type StartedSim } from './support/sim';
import { MARKET_OPEN } from './support/session';
import { waitUntil } from '../support/wait';
import { fakeTime, type FakeTime } from '../support/fake-time';

const REQ_MKT_DATA = 1;
const REQ_HISTORICAL_DATA = 20;
const REQ_CURRENT_TIME = 49;
// a live stock, a forex pair (no trades) and a stock that falls back to delayed data: each line costs messages
// through the client's 40-a-second send queue, so one of each kind
const WATCHLIST = ['AAPL', 'EUR.USD', 'SHOP@TSE'];
const SERIES = [
  { symbol: 'AAPL', barSize: '5 secs', duration: '1800 S', useRTH: false },
  { symbol: 'MSFT', barSize: '1 min', duration: '1 D', useRTH: false },
];
const CLIENT_ID = 51;

interface Wired {
  manager: ConnectionManager;
  contracts: ContractService;
  quotes: QuoteService;
  candles: CandleService;
  /** Per symbol: receipt times (ms) of its quotes. */
  quoteTimes: Map<string, number[]>;
  /** Per series symbol: receipt times of its events, and the events. */
  seriesEvents: Map<string, Array<{ at: number; e: CandleEvent }>>;
  errors: IbErrorInfo[];
  streamErrors: IbErrorInfo[];
  statuses: ConnectionStatus[];
  readies: number;
  /** conIds of the watched symbols. */
  conIds: Map<string, number>;
  /** conIds of the series' symbols. */
  seriesConIds: Map<string, number>;
  close(): Promise<void>;
}

/**
 * The domain on the same fake clock as the simulator: backoff, heartbeat and
 * pacing wait for the test to advance time, not for real time to pass.
 */
async function wire(sim: StartedSim, time: FakeTime, extra: Partial<ConnectionSettings> = {}): Promise<Wired> {
  const manager = new ConnectionManager(
    {
      enabled: true,
      host: sim.host,
      port: sim.port,
      clientId: CLIENT_ID,
      simulated: true,
      heartbeatIntervalMs: 60_000,
      heartbeatTimeoutMs: 10_000,
      reconnectInitialDelayMs: 200,
      reconnectMaxDelayMs: 1000,
      // the handshake's real round trips must fit while the test advances the fake clock (the limit itself is a unit test)
      connectTimeoutMs: 30_000,
      ...extra,
    },
    undefined,
    { clock: time.clock },
  );
  const contracts = new ContractService(manager);
  const quotes = new QuoteService(manager, contracts);
  // a re-sent series is an identical request: the client-side 15 s rule is shortened here (the simulator's is off)
  const candles = new CandleService(manager, contracts, undefined, { pacing: { identicalWindowMs: 100 }, clock: time.clock });
  const w: Wired = {
    manager,
    contracts,
    quotes,
    candles,
    quoteTimes: new Map(),
    seriesEvents: new Map(),
    errors: [],
    streamErrors: [],
    statuses: [],
    readies: 0,
    conIds: new Map(),
    seriesConIds: new Map(),
    close: async () => undefined,
  };
  const subs: Disposable[] = [manager.onIbError((e) => w.errors.push(e)), manager.onStatus((s) => w.statuses.push(s)), manager.onReady(() => w.readies++)];
  await manager.connect();
  for (const symbol of WATCHLIST) {
    w.quoteTimes.set(symbol, []);
    w.conIds.set(symbol, (await contracts.resolve(symbol)).conId);
    subs.push(
      quotes.subscribe(
        symbol,
        () => w.quoteTimes.get(symbol)?.push(Date.now()),
        (e) => w.streamErrors.push(e),
      ),
    );
  }
  for (const req of SERIES) {
    w.seriesConIds.set(req.symbol, (await contracts.resolve(req.symbol)).conId);
    const list: Array<{ at: number; e: CandleEvent }> = [];
    w.seriesEvents.set(req.symbol, list);
    subs.push(candles.live(req, (e) => list.push({ at: Date.now(), e })));
  }
  w.close = async () => {
    for (const s of subs) s.dispose();
    quotes.dispose();
    candles.dispose();
    await manager.disconnect();
    manager.dispose();
  };
  return w;
}

const quotedSince = (w: Wired, since: number): boolean => [...w.quoteTimes.values()].every((t) => t.some((x) => x > since));
const seriesSince = (w: Wired, since: number): boolean => [...w.seriesEvents.values()].every((l) => l.some((x) => x.at > since && x.e.type !== 'error'));

/** Every watched symbol quoted, and every series updated, after `since` (real ms), advancing simulated time for new ticks. */
async function allFlowing(w: Wired, time: FakeTime, since: number, what: string): Promise<void> {
  await time.advanceUntil(`${what}: every symbol quoted`, () => quotedSince(w, since), { maxMs: 20_000 });
  await time.advanceUntil(`${what}: every series updated`, () => seriesSince(w, since), { maxMs: 20_000 });
}

/**
 * Every watched symbol quoted and every series updated after `since` without
 * simulated time passing: what a resubscription alone brings (a first quote,
 * a fresh backfill).
 */
async function allResent(w: Wired, since: number, what: string): Promise<void> {
  await waitUntil(`${what}: every symbol quoted and every series updated`, () => (quotedSince(w, since) && seriesSince(w, since)) || undefined);
}

/** The gateway holds each watched contract exactly once for this client, and nothing else. */
function assertExactlyOnce(sim: StartedSim, w: Wired): void {
  const md = sim.server.activeMarketData().filter((l) => l.clientId === CLIENT_ID);
  assert.deepEqual(md.map((l) => l.conId).sort(), [...w.conIds.values()].sort(), `market data lines: ${JSON.stringify(md)}`);
  assert.equal(new Set(md.map((l) => l.reqId)).size, md.length, 'distinct request ids');
  const hist = sim.server.activeHistorical().filter((l) => l.clientId === CLIENT_ID);
  assert.deepEqual(hist.map((l) => l.conId).sort(), SERIES.map((s) => w.seriesConIds.get(s.symbol)).sort(), `keepUpToDate lines: ${JSON.stringify(hist)}`);
  assert.equal(sim.server.activeMarketData().length, md.length, 'no line of an earlier session left');
  assert.equal(sim.server.activeHistorical().length, hist.length, 'no series of an earlier session left');
  assert.equal(w.quotes.activeLines, WATCHLIST.length);
  assert.equal(w.candles.liveSeries, SERIES.length);
}

function sent(sim: StartedSim, id: number): number {
  return sim.server.receivedMessageIds().get(id) ?? 0;
}

/** Waits until the gateway holds a line for every watched symbol and every series. */
async function settle(sim: StartedSim, w: Wired, what: string): Promise<void> {
  await waitUntil(`${what}: lines on the gateway`, () => {
    const md = sim.server.activeMarketData().filter((l) => l.clientId === CLIENT_ID).length;
    const hist = sim.server.activeHistorical().filter((l) => l.clientId === CLIENT_ID).length;
    return (md === WATCHLIST.length && hist === SERIES.length) || undefined;
  });
}

/** A second of simulated time with nothing left to do: a duplicate resubscription or retry would show by then. */
async function noMoreComing(time: FakeTime): Promise<void> {
  await time.advance(1000, { stepMs: 100 });
}

/** Every listener on the client under the manager's current connection. */
function clientListeners(m: ConnectionManager): number {
  const api = m.api;
  assert.ok(api, 'connected');
  return api.counts().listeners;
}

const decoding = (w: Wired) => w.errors.filter((e) => e.code === 505 || e.code === 507 || e.code === 509);

describe('reliability: faults with the domain wired together', function () {
  this.timeout(60_000);
  let sim: StartedSim;
  let time: FakeTime;
  let w: Wired | undefined;

  beforeEach(async () => {
    time = fakeTime(MARKET_OPEN);
    sim = await startSim({ clock: { start: MARKET_OPEN, speed: 20 }, tickIntervalMs: 100, limits: { historicalPacing: false }, scheduler: time.scheduler });
  });

  afterEach(async () => {
    await w?.close();
    w = undefined;
    await sim.stop();
  });

  async function startStreaming(extra: Partial<ConnectionSettings> = {}): Promise<Wired> {
    w = await wire(sim, time, extra);
    await allResent(w, 0, 'first quotes and bars');
    await settle(sim, w, 'initial');
    assertExactlyOnce(sim, w);
    return w;
  }

  it('a gateway restart refusing connections for 2 s: backoff, then every quote and live series resumes, each exactly once', async () => {
    const wd = await startStreaming({ reconnectInitialDelayMs: 100, reconnectMaxDelayMs: 400 });
    const md0 = sent(sim, REQ_MKT_DATA);
    const hd0 = sent(sim, REQ_HISTORICAL_DATA);
    const resetsBefore = [...wd.seriesEvents.values()].map((l) => l.filter((x) => x.e.type === 'reset').length);
    const listenersBefore = clientListeners(wd.manager);
    const t0 = time.now();
    sim.server.faults.restart(2000);
    await waitUntil('reconnecting', () => wd.manager.status.phase === 'reconnecting' || undefined);
    const back = Date.now();
    await time.advanceUntil('ready again', () => wd.manager.status.phase === 'ready', { maxMs: 20_000 });
    assert.ok(time.now() - t0 >= 2000, `not ready while the port was closed (ready after ${time.now() - t0} ms)`);
    const attempts = wd.statuses.filter((s) => s.phase === 'reconnecting').map((s) => s.attempt ?? 0);
    assert.ok(Math.max(...attempts) >= 3, `several attempts with backoff (${attempts.join(',')})`);
    const reasons = wd.statuses.filter((s) => s.phase === 'reconnecting').map((s) => s.error?.category);
    assert.ok(
      reasons.every((c) => c === 'connectivity'),
      `the status says why: ${reasons.join(',')}`,
    );
    assert.ok(
      wd.errors.some((e) => e.code === 504 && /was closed/.test(e.message)),
      'the drop was reported in words',
    );
    await allResent(wd, back, 'after the restart');
    await settle(sim, wd, 'after the restart');
    await noMoreComing(time);
    assertExactlyOnce(sim, wd);
    assert.equal(sent(sim, REQ_MKT_DATA) - md0, WATCHLIST.length, 'each quote line sent exactly once after the restart');
    assert.equal(sent(sim, REQ_HISTORICAL_DATA) - hd0, SERIES.length, 'each live series sent exactly once after the restart');
    const resetsAfter = [...wd.seriesEvents.values()].map((l) => l.filter((x) => x.e.type === 'reset').length);
    assert.deepEqual(
      resetsAfter,
      resetsBefore.map((n) => n + 1),
      'each chart got one fresh backfill',
    );
    assert.equal(sim.server.clientCount(), 1);
    assert.equal(wd.readies, 2);
    assert.equal(clientListeners(wd.manager), listenersBefore, 'the services listen on the new client as on the old, nothing doubled');
    assert.deepEqual(wd.streamErrors, [], 'streams saw no error, only a pause');
    assert.deepEqual(decoding(wd), []);
  });

  it('1100 -> 1102 keeps every line; 1100 -> 1101 sends each line and series again, once', async () => {
    const wd = await startStreaming();
    const md0 = sent(sim, REQ_MKT_DATA);
    const hd0 = sent(sim, REQ_HISTORICAL_DATA);
    sim.server.faults.connectivityLost();
    await waitUntil('link lost', () => wd.manager.status.ibLink === 'lost' || undefined);
    const lost = wd.errors.find((e) => e.code === 1100);
    assert.equal(lost?.message, describeIbError(1100).message, 'the status bar can say what happened');
    sim.server.faults.connectivityRestored(false);
    await waitUntil('link ok', () => wd.manager.status.ibLink === 'ok' || undefined);
    assert.equal(wd.errors.find((e) => e.code === 1102)?.message, describeIbError(1102).message);
    await allFlowing(wd, time, Date.now(), 'after 1102');
    assert.equal(sent(sim, REQ_MKT_DATA), md0, '1102: data maintained, nothing re-sent');
    assert.equal(sent(sim, REQ_HISTORICAL_DATA), hd0);
    assertExactlyOnce(sim, wd);

    sim.server.faults.connectivityLost();
    await waitUntil('link lost again', () => wd.manager.status.ibLink === 'lost' || undefined);
    sim.server.faults.connectivityRestored(true);
    await waitUntil('link ok again', () => wd.manager.status.ibLink === 'ok' || undefined);
    assert.equal(wd.errors.find((e) => e.code === 1101)?.message, describeIbError(1101).message);
    await allFlowing(wd, time, Date.now(), 'after 1101');
    await settle(sim, wd, 'after 1101');
    await noMoreComing(time);
    assertExactlyOnce(sim, wd);
    assert.equal(sent(sim, REQ_MKT_DATA) - md0, WATCHLIST.length, 'each line sent again once');
    assert.equal(sent(sim, REQ_HISTORICAL_DATA) - hd0, SERIES.length, 'each series sent again once');
    assert.equal(wd.readies, 1, 'the socket stayed up');
    assert.deepEqual(wd.streamErrors, []);
  });

  it('a gateway repeating 1101 (a hundred times in a moment) has each line and series sent again once, after it calms', async () => {
    const wd = await startStreaming();
    const md0 = sent(sim, REQ_MKT_DATA);
    const hd0 = sent(sim, REQ_HISTORICAL_DATA);
    sim.server.faults.connectivityLost();
    await waitUntil('link lost', () => wd.manager.status.ibLink === 'lost' || undefined);
    for (let i = 0; i < 100; i++) {
      sim.server.faults.connectivityRestored(true);
      if (i % 10 === 9) await time.advance(20);
    }
    await waitUntil('link ok', () => wd.manager.status.ibLink === 'ok' || undefined);
    await time.advance(5_000, { stepMs: 250 });
    await settle(sim, wd, 'after the 1101s');
    await noMoreComing(time);
    assert.equal(sent(sim, REQ_MKT_DATA) - md0, WATCHLIST.length, 'each line sent again once');
    assert.equal(sent(sim, REQ_HISTORICAL_DATA) - hd0, SERIES.length, 'each series sent again once');
    assertExactlyOnce(sim, wd);
    assert.equal(wd.readies, 1, 'the socket stayed up');
  });

  it('a market data farm blip (2103 -> 2104): the status shows it and every stream resumes, once', async () => {
    const wd = await startStreaming();
    sim.server.faults.farmBlip(400);
    await waitUntil('farm broken', () => wd.manager.status.farms.usfarm === 'broken' || undefined);
    assert.equal(wd.errors.find((e) => e.code === 2103)?.message, describeIbError(2103).message);
    await time.advance(350);
    assert.equal(wd.manager.status.farms.usfarm, 'broken', 'broken for the whole blip');
    await time.advanceUntil('farm ok', () => wd.manager.status.farms.usfarm === 'ok', { maxMs: 200 });
    await allFlowing(wd, time, Date.now(), 'after the blip');
    await settle(sim, wd, 'after the blip');
    await noMoreComing(time);
    assertExactlyOnce(sim, wd);
    assert.equal(wd.manager.status.phase, 'ready');
    assert.deepEqual(wd.streamErrors, []);
  });

  it('a historical data farm blip (2105 -> 2106) sends each chart series again once, and no quote line (they do not come from it)', async () => {
    const wd = await startStreaming();
    const md0 = sent(sim, REQ_MKT_DATA);
    const hd0 = sent(sim, REQ_HISTORICAL_DATA);
    sim.server.faults.hmdsBlip(400);
    await waitUntil('HMDS farm broken', () => wd.manager.status.farms.ushmds === 'broken' || undefined);
    await time.advanceUntil('HMDS farm ok', () => wd.manager.status.farms.ushmds === 'ok', { maxMs: 600 });
    await time.advanceUntil('sent again', () => sent(sim, REQ_HISTORICAL_DATA) - hd0 === SERIES.length, { maxMs: 2500 });
    await allFlowing(wd, time, Date.now(), 'after the HMDS blip');
    await settle(sim, wd, 'after the HMDS blip');
    await noMoreComing(time);
    assertExactlyOnce(sim, wd);
    assert.equal(sent(sim, REQ_MKT_DATA), md0, 'no quote line sent again');
    assert.equal(sent(sim, REQ_HISTORICAL_DATA) - hd0, SERIES.length, 'each series sent again once');
  });

  it('IB drops the live updates of every bar series (10182), nothing else: each series is sent again after a pause, once, and streams', async () => {
    const wd = await startStreaming();
    const hd0 = sent(sim, REQ_HISTORICAL_DATA);
    const md0 = sent(sim, REQ_MKT_DATA);
    const since = Date.now();
    sim.server.faults.liveUpdatesLost();
    await waitUntil('the series told', () => [...wd.seriesEvents.values()].every((l) => l.some((x) => x.at >= since && x.e.type === 'error')) || undefined);
    const told = [...wd.seriesEvents.values()].map((l) => l.find((x) => x.at >= since && x.e.type === 'error')!.e);
    for (const e of told) assert.equal(e.type === 'error' && e.error.code, 10182);
    assert.equal(sim.server.activeHistorical().length, 0, 'the gateway holds none');
    // not at once (IB's farm is coming back), but after the pause
    await time.advance(1500, { stepMs: 100 });
    assert.equal(sent(sim, REQ_HISTORICAL_DATA), hd0);
    await time.advanceUntil('sent again', () => sent(sim, REQ_HISTORICAL_DATA) - hd0 === SERIES.length, { maxMs: 2000 });
    await time.advanceUntil(
      'every series whole again',
      () => [...wd.seriesEvents.values()].every((l) => l.some((x) => x.at >= since && x.e.type === 'reset')),
      {
        maxMs: 20_000,
      },
    );
    await allFlowing(wd, time, Date.now(), 'after 10182');
    await settle(sim, wd, 'after 10182');
    await noMoreComing(time);
    assertExactlyOnce(sim, wd);
    assert.equal(sent(sim, REQ_HISTORICAL_DATA) - hd0, SERIES.length, 'each series sent again once');
    assert.equal(sent(sim, REQ_MKT_DATA), md0, 'quote lines untouched');
    assert.equal(wd.readies, 1, 'the socket stayed up');
  });

  it("live updates dropped (10182) while IB's link is down (1100) are sent again once it is back (1102), not before", async () => {
    const wd = await startStreaming();
    const hd0 = sent(sim, REQ_HISTORICAL_DATA);
    sim.server.faults.connectivityLost();
    await waitUntil('link lost', () => wd.manager.status.ibLink === 'lost' || undefined);
    sim.server.faults.liveUpdatesLost();
    await time.advance(10_000, { stepMs: 500 });
    assert.equal(sent(sim, REQ_HISTORICAL_DATA), hd0, 'nothing sent while the link is down');
    sim.server.faults.connectivityRestored(false);
    await waitUntil('link ok', () => wd.manager.status.ibLink === 'ok' || undefined);
    await time.advanceUntil('sent again', () => sent(sim, REQ_HISTORICAL_DATA) - hd0 === SERIES.length, { maxMs: 2500 });
    await allFlowing(wd, time, Date.now(), 'after 1102');
    await settle(sim, wd, 'after 1102');
    await noMoreComing(time);
    assertExactlyOnce(sim, wd);
    assert.equal(sent(sim, REQ_HISTORICAL_DATA) - hd0, SERIES.length, 'each series sent again once');
  });

  // The exact timing (interval, then timeout) is proven on a fake clock in test/unit/connection-driver.test.ts.
  it('a silent gateway is noticed by the heartbeat, reconnected, and streams resume', async () => {
    // a heartbeat less than a second after the gateway's last current-time answer is told that answer (TWS answers one a second)
    const wd = await startStreaming({ heartbeatIntervalMs: 1200, heartbeatTimeoutMs: 2500 });
    const beats = sent(sim, REQ_CURRENT_TIME);
    sim.server.faults.stall(7000);
    await time.advance(1200);
    await waitUntil('a heartbeat asked', () => sent(sim, REQ_CURRENT_TIME) > beats || undefined);
    await time.advance(2400);
    assert.equal(wd.manager.status.phase, 'ready', 'not given up before the heartbeat time limit');
    await time.advanceUntil('the stall noticed', () => wd.manager.status.phase !== 'ready', { maxMs: 200 });
    assert.match(wd.manager.status.error?.message ?? '', /stopped answering/);
    assert.equal(wd.manager.status.error?.code, LOCAL_CODES.gatewaySilent);
    const since = Date.now();
    await time.advanceUntil('ready again', () => wd.manager.status.phase === 'ready' && wd.readies >= 2, { maxMs: 20_000 });
    assert.ok(time.elapsed() >= 7000, `not ready again while the gateway was silent (${time.elapsed()} ms)`);
    // time stands still from here: the heartbeat of the new session cannot race the test
    await allResent(wd, since, 'after the stall');
    await waitUntil('the stalled session released', () => sim.server.clientCount() === 1 || undefined, 15_000);
    await settle(sim, wd, 'after the stall');
    assertExactlyOnce(sim, wd);
  });

  it('a garbled frame is reported once, the connection reset, and every stream recovers', async () => {
    const wd = await startStreaming();
    sim.server.faults.garble();
    await waitUntil('the garble reported', () => decoding(wd).length > 0 || undefined);
    const report = decoding(wd);
    assert.equal(report.length, 1, JSON.stringify(report));
    assert.match(report[0].message, /could not be read; the connection is reset/);
    assert.equal(report[0].action, describeIbError(report[0].code).action);
    const since = Date.now();
    await time.advanceUntil('ready again', () => wd.manager.status.phase === 'ready' && wd.readies >= 2, { maxMs: 20_000 });
    // the series is sent again once the client-side identical-request window (100 ms here) has passed
    await allFlowing(wd, time, since, 'after the garble');
    await waitUntil('one session', () => sim.server.clientCount() === 1 || undefined);
    await settle(sim, wd, 'after the garble');
    assertExactlyOnce(sim, wd);
    assert.deepEqual(wd.streamErrors, []);
  });
});
