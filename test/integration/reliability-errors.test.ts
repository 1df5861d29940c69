/**
 * The errors a person meets, each with the sentence from describeIbError
 * reaching the caller, while a canary (a quote stream and a live candle
 * series on the same connection) keeps going undisturbed: client id in use
 * (326), max tickers (101), pacing (162), not subscribed (354/10167),
 * unknown (200) and ambiguous symbols.
 */
import { strict as assert } from 'node:assert';
import { CandleService } from '../../src/ib/candles';
import { ConnectionManager } from '../../src/ib/connection';
import { AmbiguousSymbolError, ContractService } from '../../src/ib/contracts';
import { describeIbError, IbError } from '../../src/ib/errors';
import { QuoteService } from '../../src/ib/quotes';
import type { CandleEvent, Disposable, IbErrorInfo, Quote } from '../../src/ib/types';
import type { SimOptions } from '../../src/sim/server';
import { startSim, type StartedSim } from './support/sim';
import { MARKET_OPEN } from './support/session';
import { waitUntil } from '../support/wait';
import { fakeTime, type FakeTime } from '../support/fake-time';

const CLIENT_ID = 61;
const SHOP_TSE = 195014255;

interface Rig {
  sim: StartedSim;
  manager: ConnectionManager;
  contracts: ContractService;
  quotes: QuoteService;
  candles: CandleService;
  /** The gateway, the connection and the pacing queue run on it. */
  time: FakeTime;
  managerErrors: IbErrorInfo[];
  canaryQuotes: number[];
  canaryBars: number[];
  canaryErrors: IbErrorInfo[];
  disposables: Disposable[];
}

function assertSentence(info: IbErrorInfo, code: number): void {
  // with IB's own text: 162's sentence depends on it (pacing, no data, cancelled, permissions)
  const d = describeIbError(code, info.raw);
  assert.equal(info.code, code);
  assert.equal(info.category, d.category);
  assert.equal(info.message, d.message, `the human sentence for ${code}`);
  assert.equal(info.action, d.action);
}

describe('reliability: errors are explained and disturb nothing else', function () {
  this.timeout(40_000);
  let rig: Rig | undefined;
  const extraManagers: ConnectionManager[] = [];

  async function setUp(options: SimOptions = {}, candleOptions: ConstructorParameters<typeof CandleService>[3] = {}): Promise<Rig> {
    const time = fakeTime(MARKET_OPEN);
    const sim = await startSim({ clock: { start: MARKET_OPEN, speed: 20 }, tickIntervalMs: 60, scheduler: time.scheduler, ...options });
    const manager = new ConnectionManager(
      {
        enabled: true,
        host: sim.host,
        port: sim.port,
        clientId: CLIENT_ID,
        heartbeatIntervalMs: 60_000,
        reconnectInitialDelayMs: 100,
        reconnectMaxDelayMs: 500,
        connectTimeoutMs: 30_000,
      },
      undefined,
      { clock: time.clock },
    );
    const contracts = new ContractService(manager);
    const quotes = new QuoteService(manager, contracts);
    const candles = new CandleService(manager, contracts, undefined, { clock: time.clock, ...candleOptions });
    const r: Rig = { sim, manager, contracts, quotes, candles, time, managerErrors: [], canaryQuotes: [], canaryBars: [], canaryErrors: [], disposables: [] };
    r.disposables.push(manager.onIbError((e) => r.managerErrors.push(e)));
    await manager.connect();
    r.disposables.push(
      quotes.subscribe(
        'SPY',
        () => r.canaryQuotes.push(Date.now()),
        (e) => r.canaryErrors.push(e),
      ),
    );
    r.disposables.push(
      candles.live({ symbol: 'SPY', barSize: '5 secs', duration: '1800 S', useRTH: false }, (e: CandleEvent) => {
        if (e.type === 'error') r.canaryErrors.push(e.error);
        else r.canaryBars.push(Date.now());
      }),
    );
    await time.advanceUntil('the canary streaming', () => r.canaryQuotes.length > 1 && r.canaryBars.length > 1);
    rig = r;
    return r;
  }

  /** The canary still streams after `since`, with no error, on the first connection. */
  async function canaryUndisturbed(r: Rig, since: number): Promise<void> {
    await r.time.advanceUntil('canary quotes', () => r.canaryQuotes.some((t) => t > since));
    await r.time.advanceUntil('canary bars', () => r.canaryBars.some((t) => t > since));
    assert.deepEqual(r.canaryErrors, []);
    assert.equal(r.manager.status.phase, 'ready');
    assert.ok(!r.managerErrors.some((e) => e.code === 505 || e.code === 504), JSON.stringify(r.managerErrors));
  }

  afterEach(async () => {
    for (const m of extraManagers.splice(0)) m.dispose();
    if (!rig) return;
    for (const d of rig.disposables) d.dispose();
    rig.quotes.dispose();
    rig.candles.dispose();
    await rig.manager.disconnect();
    rig.manager.dispose();
    await rig.sim.stop();
    rig = undefined;
  });

  it('326: a second client with the same id is told in words and can take the next free id; the first streams on', async () => {
    const r = await setUp();
    const second = new ConnectionManager({ enabled: true, host: r.sim.host, port: r.sim.port, clientId: CLIENT_ID, heartbeatIntervalMs: 60_000 });
    extraManagers.push(second);
    const since = Date.now();
    await assert.rejects(second.connect(), (e: unknown) => {
      assert.ok(e instanceof IbError);
      assert.equal(e.info.code, 326);
      assert.equal(e.info.category, describeIbError(326).category);
      assert.equal(e.info.action, describeIbError(326).action);
      assert.match(e.info.message, new RegExp(`Client id ${CLIENT_ID} is in use by another API client`));
      return true;
    });
    assert.equal(second.status.error?.code, 326, 'the status bar has it too');
    await second.useNextClientId();
    assert.equal(second.status.clientId, CLIENT_ID + 1);
    assert.equal(r.sim.server.clientCount(), 2);
    await canaryUndisturbed(r, since);
  });

  it('101: past the market data lines the extra symbols get the sentence, the lines within the limit stream on', async () => {
    const r = await setUp({ limits: { maxMarketDataLines: 3 } });
    const since = Date.now();
    const symbols = ['AAPL', 'MSFT', 'IBM', 'NVDA'];
    const got = new Map<string, Quote[]>();
    const errors = new Map<string, IbErrorInfo[]>();
    for (const s of symbols) {
      got.set(s, []);
      errors.set(s, []);
      r.disposables.push(
        r.quotes.subscribe(
          s,
          (q) => got.get(s)?.push(q),
          (e) => errors.get(s)?.push(e),
        ),
      );
    }
    // SPY holds one line: two of the four fit, two are refused
    await waitUntil('two refusals', () => [...errors.values()].filter((l) => l.length > 0).length === 2 || undefined);
    await r.time.advanceUntil('two streaming', () => [...got.values()].filter((l) => l.length > 1).length === 2);
    for (const [s, list] of errors) {
      if (list.length === 0) continue;
      assert.equal(list.length, 1, `${s}: one error, not a storm`);
      assertSentence(list[0], 101);
      assert.equal(got.get(s)?.length, 0, `${s} has no quotes`);
    }
    assert.equal(r.sim.server.activeMarketData().length, 3, 'the gateway holds exactly its limit');
    await canaryUndisturbed(r, since);
  });

  it('162: a history request the gateway refuses for pacing fails with the sentence; the canary and the queue go on', async () => {
    // client-side pacing and the cache are off here so that the gateway's own rule is what refuses
    const r = await setUp({ limits: { historicalPacing: true } }, { cacheMs: 0, pacingRetries: 0, pacing: { identicalWindowMs: 0, marginMs: 0 } });
    const since = Date.now();
    // IB paces small bars (30 secs or less)
    const req = { symbol: 'MSFT', barSize: '30 secs', duration: '1800 S' };
    assert.ok((await r.candles.fetch(req)).length > 0);
    await assert.rejects(r.candles.fetch(req), (e: unknown) => {
      assert.ok(e instanceof IbError);
      assertSentence(e.info, 162);
      assert.match(e.info.raw ?? '', /pacing violation/);
      return true;
    });
    assert.ok((await r.candles.fetch({ ...req, duration: '3600 S' })).length > 0, 'a different request is served');
    assert.equal(r.candles.pacing.running, 0);
    await canaryUndisturbed(r, since);
  });

  it('354 when live data is required, delayed data (10167) under auto; each said in words', async () => {
    const r = await setUp();
    const since = Date.now();
    r.quotes.setMarketDataType('live');
    const errors: IbErrorInfo[] = [];
    const sub = r.quotes.subscribe(
      'SHOP@TSE',
      () => undefined,
      (e) => errors.push(e),
    );
    const e = await waitUntil('354', () => errors[0]);
    assertSentence(e, 354);
    assert.match(e.action, /delayed/);
    sub.dispose();
    r.quotes.setMarketDataType('auto');
    const quotes: Quote[] = [];
    const errors2: IbErrorInfo[] = [];
    r.disposables.push(
      r.quotes.subscribe(
        'SHOP@TSE',
        (q) => quotes.push(q),
        (x) => errors2.push(x),
      ),
    );
    const q = await r.time.advanceUntil('a delayed quote', () => quotes.find((x) => x.last !== undefined));
    assert.equal(q.dataType, 'delayed');
    assert.equal(q.fellBack, true, 'the watchlist can say "delayed"');
    assert.deepEqual(errors2, []);
    assert.equal(r.sim.server.activeMarketData().filter((l) => l.conId === SHOP_TSE).length, 1);
    // 10167's own sentence, for the status of a delayed line
    assert.match(describeIbError(10167).message, /delayed data is shown/);
    await canaryUndisturbed(r, since);
  });

  it('200: an unknown symbol is explained to every caller (resolve, quote, snapshot, history, live chart)', async () => {
    const r = await setUp();
    const since = Date.now();
    const check = (e: unknown): true => {
      assert.ok(e instanceof IbError, String(e));
      assertSentence(e.info, 200);
      return true;
    };
    await assert.rejects(r.contracts.resolve('ZZZZQ'), check);
    await assert.rejects(r.quotes.snapshot('ZZZZQ'), check);
    await assert.rejects(r.candles.fetch({ symbol: 'ZZZZQ', barSize: '1 day', duration: '1 M' }), check);
    const streamErrors: IbErrorInfo[] = [];
    r.disposables.push(
      r.quotes.subscribe(
        'ZZZZQ',
        () => undefined,
        (e) => streamErrors.push(e),
      ),
    );
    const live: CandleEvent[] = [];
    r.disposables.push(r.candles.live({ symbol: 'ZZZZQ', barSize: '1 min', duration: '1 D' }, (e) => live.push(e)));
    assertSentence(await waitUntil('stream error', () => streamErrors[0]), 200);
    const ev = await waitUntil('live error', () => live[0]);
    assert.ok(ev.type === 'error');
    assertSentence(ev.error, 200);
    assert.equal(r.quotes.activeLines, 1, 'only the canary');
    assert.equal(r.candles.liveSeries, 1, 'only the canary series');
    await canaryUndisturbed(r, since);
  });

  it('ambiguous: the candidates and how to pick one, in words; nothing else affected', async () => {
    const r = await setUp();
    const since = Date.now();
    await assert.rejects(r.contracts.resolve({ text: 'SHOP', symbol: 'SHOP', secType: 'STK', exchange: 'SMART' }), (e: unknown) => {
      assert.ok(e instanceof AmbiguousSymbolError);
      assert.equal(e.info.category, 'contract');
      assert.match(e.message, /^"SHOP" matches 2 contracts: /);
      assert.ok(e.message.includes('CAD') && e.message.includes('USD'), e.message);
      assert.match(e.info.action, /add the exchange, currency or contract month/);
      return true;
    });
    await canaryUndisturbed(r, since);
  });
});
