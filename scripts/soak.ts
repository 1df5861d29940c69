/**
 * Soak: the domain streams a watchlist of 20 symbols and two live candle
 * series from an in-process simulator for a long time (15 minutes by
 * default) while a random fault strikes every 30 s: gateway restarts, dropped
 * connections, data farm blips, 1100 -> 1101/1102, stalls, garbled frames and
 * slow replies. At the end it checks that
 *   - every subscription is live: each symbol quoted in the last 10 s, each
 *     series updated in the last 30 s;
 *   - the simulator holds exactly one line per symbol and one per series;
 *   - the heap after GC is flat (last sample against the first after warm-up);
 *   - nothing went unhandled: no unhandled rejection or exception, no error
 *     logged by the domain, no decoding error apart from the garbled frames.
 * It prints a summary and exits non-zero on any failure.
 *
 *   npm run soak                 15 minutes
 *   npm run soak -- --minutes 2  a short run
 * Options: --minutes N, --fault-every S (seconds between faults), --seed N, --verbose.
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { CandleService } from '../src/ib/candles';
import { ConnectionManager } from '../src/ib/connection';
import { ContractService } from '../src/ib/contracts';
import type { Logger } from '../src/ib/log';
import { QuoteService } from '../src/ib/quotes';
import type { CandleEvent, Disposable, HistoryRequest, IbErrorInfo } from '../src/ib/types';
import { SimServer } from '../src/sim/server';

// ------------------------------------------------------------ options

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`--${name} needs a positive number (got ${JSON.stringify(process.argv[i + 1] ?? '')})`);
    process.exit(2);
  }
  return n;
}

const MINUTES = option('minutes', 15);
const FAULT_EVERY_MS = option('fault-every', 30) * 1000;
const SEED = option('seed', Date.now() % 100_000);
const VERBOSE = process.argv.includes('--verbose');
const RUN_MS = MINUTES * 60_000;
/** Quiet time after the last fault, so that the last recovery can finish before the checks. */
const SETTLE_MS = Math.min(45_000, Math.max(20_000, FAULT_EVERY_MS));
/** Heap samples before this are warm-up (caches filling). */
const WARM_UP_MS = Math.min(120_000, RUN_MS / 4);
const SAMPLE_EVERY_MS = Math.min(30_000, Math.max(5_000, RUN_MS / 20));

/** A US trading morning (Monday 2025-11-24, 09:45 New York): markets stay open for the whole run. */
const CLOCK_START = Date.UTC(2025, 10, 24, 14, 45, 0);

const WATCHLIST = [
  'AAPL',
  'MSFT',
  'NVDA',
  'TSLA',
  'AMZN',
  'GOOGL',
  'META',
  'JPM',
  'XOM',
  'KO',
  'IBM',
  'NFLX',
  'AMD',
  'DIS',
  'BAC',
  'SPY',
  'QQQ',
  'IWM',
  'EUR.USD',
  'SHOP@TSE',
];
const SERIES: HistoryRequest[] = [
  { symbol: 'AAPL', barSize: '5 secs', duration: '1800 S', useRTH: false },
  { symbol: 'MSFT', barSize: '1 min', duration: '1 D', useRTH: false },
];

// ------------------------------------------------------------ bookkeeping

const started = Date.now();
const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s`;
const say = (line: string): void => console.log(`[soak ${elapsed()}] ${line}`);
const failures: string[] = [];
const unhandled: string[] = [];
const domainErrors: string[] = [];

process.on('unhandledRejection', (e) => {
  unhandled.push(`unhandled rejection: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  say(unhandled[unhandled.length - 1]);
});
process.on('uncaughtException', (e) => {
  unhandled.push(`uncaught exception: ${e.stack ?? e.message}`);
  say(unhandled[unhandled.length - 1]);
});

const logger: Logger = {
  debug: () => undefined,
  info: (m) => VERBOSE && say(`info  ${m}`),
  warn: (m) => VERBOSE && say(`warn  ${m}`),
  error: (m) => {
    domainErrors.push(m);
    say(`ERROR ${m}`);
  },
};

/** A seeded random source, so a run can be repeated with --seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}
const random = rng(SEED);
const between = (lo: number, hi: number): number => Math.round(lo + (hi - lo) * random());

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}
const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------ the run

async function main(): Promise<number> {
  say(`${MINUTES} min, a fault every ${FAULT_EVERY_MS / 1000} s, seed ${SEED}, ${WATCHLIST.length} symbols, ${SERIES.length} live series`);
  const sim = new SimServer({ clock: { start: CLOCK_START }, tickIntervalMs: 250, log: VERBOSE ? (l) => say(`sim   ${l}`) : undefined });
  const { host, port } = await sim.start();
  const manager = new ConnectionManager(
    {
      enabled: true,
      host,
      port,
      clientId: 1,
      simulated: true,
      heartbeatIntervalMs: 2000,
      heartbeatTimeoutMs: 3000,
      reconnectInitialDelayMs: 250,
      reconnectMaxDelayMs: 4000,
      connectTimeoutMs: 5000,
    },
    logger,
  );
  const contracts = new ContractService(manager, logger);
  const quotes = new QuoteService(manager, contracts, logger);
  const candles = new CandleService(manager, contracts, logger);
  const subs: Disposable[] = [];
  const lastQuote = new Map<string, number>();
  const lastBar = new Map<string, number>();
  const streamErrors: string[] = [];
  const ibErrors: IbErrorInfo[] = [];
  let readies = 0;
  let resubscribes = 0;
  subs.push(
    manager.onIbError((e) => {
      ibErrors.push(e);
      if (VERBOSE) say(`IB    ${e.code} ${e.message}`);
    }),
    manager.onReady(() => readies++),
    manager.onResubscribe(() => resubscribes++),
  );

  await manager.connect();
  for (const symbol of WATCHLIST) {
    subs.push(
      quotes.subscribe(
        symbol,
        () => lastQuote.set(symbol, Date.now()),
        (e) => {
          streamErrors.push(`${symbol}: ${e.code} ${e.message}`);
          say(`stream error ${symbol}: ${e.code} ${e.message}`);
        },
      ),
    );
  }
  for (const req of SERIES) {
    const key = `${String(req.symbol)} ${req.barSize}`;
    subs.push(
      candles.live(req, (e: CandleEvent) => {
        if (e.type === 'error') {
          streamErrors.push(`${key}: ${e.error.code} ${e.error.message}`);
          say(`series error ${key}: ${e.error.code} ${e.error.message}`);
        } else lastBar.set(key, Date.now());
      }),
    );
  }

  // faults
  const faultCounts = new Map<string, number>();
  let garbles = 0;
  const pending = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      pending.delete(t);
      fn();
    }, ms);
    pending.add(t);
  };
  const faults: Array<[string, () => string]> = [
    [
      'restart',
      () => {
        const ms = between(1000, 8000);
        sim.faults.restart(ms);
        return `restart, down ${ms} ms`;
      },
    ],
    [
      'drop',
      () => {
        sim.faults.dropAll();
        return 'drop every connection';
      },
    ],
    [
      'farm blip',
      () => {
        const ms = between(500, 5000);
        sim.faults.farmBlip(ms);
        return `farm blip ${ms} ms`;
      },
    ],
    [
      '1100 -> 1101',
      () => {
        const ms = between(500, 5000);
        sim.faults.connectivityLost();
        later(ms, () => sim.faults.connectivityRestored(true));
        return `1100, 1101 after ${ms} ms`;
      },
    ],
    [
      '1100 -> 1102',
      () => {
        const ms = between(500, 5000);
        sim.faults.connectivityLost();
        later(ms, () => sim.faults.connectivityRestored(false));
        return `1100, 1102 after ${ms} ms`;
      },
    ],
    [
      'stall',
      () => {
        const ms = between(1000, 9000);
        sim.faults.stall(ms);
        return `stall ${ms} ms`;
      },
    ],
    [
      'garble',
      () => {
        garbles++;
        sim.faults.garble();
        return 'garbled frame';
      },
    ],
    [
      'delay',
      () => {
        const ms = between(100, 1500);
        sim.faults.delayReplies(ms);
        later(between(2000, 8000), () => sim.faults.delayReplies(0));
        return `replies delayed ${ms} ms`;
      },
    ],
  ];
  const faultTimer = setInterval(() => {
    if (Date.now() - started > RUN_MS - SETTLE_MS) return;
    const [name, run] = faults[Math.floor(random() * faults.length)];
    faultCounts.set(name, (faultCounts.get(name) ?? 0) + 1);
    say(`fault: ${run()} (phase ${manager.status.phase})`);
  }, FAULT_EVERY_MS);

  // heap samples
  const samples: Array<{ at: number; heap: number }> = [];
  const sampleTimer = setInterval(() => {
    const heap = heapAfterGc();
    samples.push({ at: Date.now() - started, heap });
    say(
      `heap ${mb(heap)}, phase ${manager.status.phase}, lines ${sim.activeMarketData().length}, series ${sim.activeHistorical().length}, reconnects ${Math.max(0, readies - 1)}`,
    );
  }, SAMPLE_EVERY_MS);

  await sleep(RUN_MS);
  clearInterval(faultTimer);
  clearInterval(sampleTimer);
  for (const t of pending) clearTimeout(t);
  sim.faults.delayReplies(0);

  // ---------------------------------------------------------- checks
  const now = Date.now();
  if (manager.status.phase !== 'ready') failures.push(`the connection is ${manager.status.phase}, not ready`);
  const stale = WATCHLIST.filter((s) => now - (lastQuote.get(s) ?? 0) > 10_000);
  if (stale.length) failures.push(`no quote in the last 10 s for: ${stale.join(', ')}`);
  const staleSeries = SERIES.map((r) => `${String(r.symbol)} ${r.barSize}`).filter((k) => now - (lastBar.get(k) ?? 0) > 30_000);
  if (staleSeries.length) failures.push(`no bar update in the last 30 s for: ${staleSeries.join(', ')}`);

  const conIds = new Map<number, string>();
  for (const s of WATCHLIST) {
    const c = await contracts.resolve(s).catch(() => undefined);
    if (c) conIds.set(c.conId, s);
  }
  const lines = sim.activeMarketData();
  const perCon = new Map<number, number>();
  for (const l of lines) perCon.set(l.conId, (perCon.get(l.conId) ?? 0) + 1);
  const dupes = [...perCon].filter(([, n]) => n > 1).map(([c, n]) => `${conIds.get(c) ?? c} x${n}`);
  const missing = [...conIds].filter(([c]) => !perCon.has(c)).map(([, s]) => s);
  const strays = [...perCon.keys()].filter((c) => !conIds.has(c));
  if (dupes.length) failures.push(`duplicate market data lines on the simulator: ${dupes.join(', ')}`);
  if (missing.length) failures.push(`no market data line on the simulator for: ${missing.join(', ')}`);
  if (strays.length) failures.push(`market data lines nobody watches: conIds ${strays.join(', ')}`);
  if (new Set(lines.map((l) => l.clientId)).size > 1) failures.push(`lines from more than one session: ${JSON.stringify(lines.map((l) => l.clientId))}`);
  const hist = sim.activeHistorical();
  if (hist.length !== SERIES.length) failures.push(`${hist.length} keepUpToDate series on the simulator, expected ${SERIES.length}`);
  if (sim.clientCount() !== 1) failures.push(`${sim.clientCount()} sessions on the simulator, expected 1`);

  const settled = samples.filter((s) => s.at >= WARM_UP_MS);
  let heapLine = 'heap: too few samples after warm-up to judge';
  if (settled.length >= 2) {
    const first = settled[0].heap;
    const last = heapAfterGc();
    const growth = last - first;
    const allowed = Math.max(8 * 1024 * 1024, first * 0.2);
    heapLine = `heap after GC: ${mb(first)} at ${Math.round(settled[0].at / 1000)} s -> ${mb(last)} at the end (${growth >= 0 ? '+' : ''}${mb(growth)}, allowed +${mb(allowed)})`;
    if (growth > allowed) failures.push(`the heap grew: ${heapLine}`);
  } else if (RUN_MS >= 4 * SAMPLE_EVERY_MS) {
    failures.push(heapLine);
  }

  const decoding = ibErrors.filter((e) => e.code === 505 || e.code === 507 || e.code === 509).length;
  if (decoding > garbles) failures.push(`${decoding} decoding errors for ${garbles} garbled frames`);
  if (unhandled.length) failures.push(...unhandled);
  if (domainErrors.length) failures.push(...domainErrors.map((m) => `logged error: ${m}`));
  const unexpectedStream = streamErrors.filter((e) => !/\b(504|0) /.test(e));
  if (unexpectedStream.length) failures.push(...unexpectedStream.map((e) => `stream error: ${e}`));

  // ---------------------------------------------------------- summary
  for (const s of subs) s.dispose();
  quotes.dispose();
  candles.dispose();
  await manager.disconnect();
  manager.dispose();
  await sim.stop();

  console.log('');
  console.log(`soak summary (${MINUTES} min, seed ${SEED})`);
  console.log(`  faults: ${[...faultCounts].map(([n, c]) => `${n} x${c}`).join(', ') || 'none'}`);
  console.log(`  reconnects: ${Math.max(0, readies - 1)}, resubscribe signals: ${resubscribes}, IB notices/errors seen: ${ibErrors.length}`);
  console.log(`  lines on the simulator at the end: ${lines.length} for ${WATCHLIST.length} symbols, ${hist.length} live series`);
  console.log(`  ${heapLine}`);
  console.log(`  stream errors: ${streamErrors.length} (not-connected/timeouts during faults are expected)`);
  if (failures.length) {
    console.log(`FAILED (${failures.length}):`);
    for (const f of failures) console.log(`  - ${f}`);
    return 1;
  }
  console.log('PASSED: every subscription live, one line each, heap flat, nothing unhandled');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`soak could not run: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
