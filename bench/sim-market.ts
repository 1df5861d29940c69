/**
 * The simulated market's own speed: how fast it makes bars and ticks from a
 * cold start (fresh market, empty caches), for the largest requests a client
 * makes. Targets: a year of day bars and 100,000 one-minute bars each well
 * under a second. Prints one JSON line (BENCH ...) for bench/run.mjs.
 *   npx tsx bench/sim-market.ts [--repeat 3]
 */
import { createMarket, createUniverse, type BarQuery, type Instrument } from '../src/sim/market';
import { argNumber, report, round, type BenchRow } from './support';

const END = Date.parse('2026-11-24T21:00:00Z');

interface Case {
  label: string;
  symbol: Parameters<ReturnType<typeof createUniverse>['match']>[0];
  query: BarQuery;
  /** Seconds this request may take at most. */
  targetSeconds: number;
}

const cases: Case[] = [
  {
    label: '1 Y of day bars (AAPL, RTH)',
    symbol: { conId: 265598 },
    query: { endTime: END / 1000, durationSeconds: 365 * 86_400, barSizeSeconds: 86_400, whatToShow: 'TRADES', useRTH: true },
    targetSeconds: 1,
  },
  {
    label: '100,000 one-minute bars (EUR.USD)',
    symbol: { symbol: 'EUR', secType: 'CASH', currency: 'USD' },
    query: { endTime: END / 1000, durationSeconds: 100 * 86_400, barSizeSeconds: 60, whatToShow: 'MIDPOINT', useRTH: false },
    targetSeconds: 1,
  },
  {
    label: '30 min of one-second bars (ES)',
    symbol: { symbol: 'ES', secType: 'FUT' },
    query: { endTime: END / 1000, durationSeconds: 1800, barSizeSeconds: 1, whatToShow: 'TRADES', useRTH: false },
    targetSeconds: 0.1,
  },
];

function cpuSeconds(from: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1e6;
}

function main(): void {
  const repeat = argNumber('repeat', 3);
  const universe = createUniverse({ now: END });
  const rows: BenchRow[] = [];
  const details: Record<string, unknown> = {};
  for (const c of cases) {
    const [inst] = universe.match(c.symbol) as Instrument[];
    let best = Infinity;
    let bars = 0;
    for (let r = 0; r < repeat; r++) {
      const market = createMarket({ seed: 42 + r, universe });
      const start = process.cpuUsage();
      bars = market.bars(inst, c.query).length;
      best = Math.min(best, cpuSeconds(start));
    }
    const perSecond = Math.round(bars / best);
    const target = Math.round(bars / c.targetSeconds);
    rows.push({
      metric: `${c.label}: bars per CPU-second, cold`,
      value: perSecond,
      baseline: target,
      ratio: round(perSecond / target),
      better: 'higher',
      target: `< ${c.targetSeconds} s per request`,
      pass: best < c.targetSeconds,
      note: `${bars} bars in ${round(best * 1000, 1)} ms`,
    });
    details[c.label] = { bars, cpuMs: round(best * 1000, 1) };
  }

  // ticks: one instrument, every second of an hour, cold
  const es = universe.match({ symbol: 'ES', secType: 'FUT' })[0];
  const market = createMarket({ seed: 1, universe });
  const count = 3600 * 5;
  const start = process.cpuUsage();
  let checksum = 0;
  for (let i = 0; i < count; i++) checksum += market.tickAt(es, END - 3 * 3600_000 + i * 200).last;
  const tickSeconds = cpuSeconds(start);
  const ticksPerSecond = Math.round(count / tickSeconds);
  rows.push({
    metric: 'ticks per CPU-second (tickAt, 5 per second of an hour)',
    value: ticksPerSecond,
    baseline: 100_000,
    ratio: round(ticksPerSecond / 100_000),
    better: 'higher',
    target: '>= 100,000/s',
    pass: ticksPerSecond >= 100_000,
  });
  details.ticks = { count, cpuMs: round(tickSeconds * 1000, 1), checksum: round(checksum) };

  for (const r of rows) console.log(`${r.metric}: ${r.value} (${r.note ?? ''})`);
  report({ name: 'sim-market', rows, details });
}

main();
