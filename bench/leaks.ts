/**
 * 6. Leaks: 10,000 subscribe/unsubscribe cycles, then minutes of streaming.
 * Heap after forced GC, raw client listeners, and the request ids still open
 * on the simulator's side, at the start and at the end: all flat.
 *   --cycles 10000   --stream-seconds 60 (600 for the ten-minute run)
 * With IB_BENCH_HEAP_SNAPSHOTS=<dir>, heap snapshots are written at the first
 * and the last streaming sample (compare them by constructor in DevTools'
 * Comparison view to see what, if anything, grew).
 */
import { writeHeapSnapshot } from 'node:v8';
import * as path from 'node:path';
import { ConnectionManager } from '../src/ib/connection';
import { ContractService } from '../src/ib/contracts';
import { QuoteService } from '../src/ib/quotes';
import { createUniverse } from '../src/sim/market';
import { argNumber, forceGc, report, round, sleep, startSimProcess } from './support';

function heapMB(): number {
  forceGc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/**
 * Whether a series trends upward beyond its own noise: the fitted growth over
 * the whole span is compared with twice the residuals' standard deviation
 * (after forced GC the heap still moves by a few MB with buffers in flight).
 */
function trend(points: Array<[number, number]>): { growthMB: number; noiseMB: number; flat: boolean } {
  const b = slope(points);
  const mx = points.reduce((a, [x]) => a + x, 0) / points.length;
  const my = points.reduce((a, [, y]) => a + y, 0) / points.length;
  const residuals = points.map(([x, y]) => y - (my + b * (x - mx)));
  const noiseMB = Math.sqrt(residuals.reduce((a, r) => a + r * r, 0) / Math.max(1, points.length - 2));
  const span = points[points.length - 1][0] - points[0][0];
  const growthMB = b * span;
  return { growthMB, noiseMB, flat: growthMB <= Math.max(1, 2 * noiseMB) };
}

/** Least-squares slope of y over x. */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const num = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const den = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

function listenerCount(conn: ConnectionManager): number {
  return conn.api!.counts().listeners;
}

async function main(): Promise<void> {
  const cycles = argNumber('cycles', 10_000);
  const streamSeconds = argNumber('stream-seconds', 60);
  // the simulator runs in its own process, so its market caches do not count against this heap
  const sim = await startSimProcess(['--no-limits', '--synthetic', '66']);
  const port = sim.port;
  const openLines = async () => (await sim.status()).lines;
  const conn = new ConnectionManager({ enabled: true, host: '127.0.0.1', port, clientId: 31, heartbeatIntervalMs: 60_000 });
  await conn.connect();
  const contracts = new ContractService(conn);
  const quotes = new QuoteService(conn, contracts);
  quotes.setMarketDataType('live');
  /** Resolves when everything the client queued before it has reached the simulator. */
  const drained = async () => {
    await conn.api!.currentTime(60_000);
  };
  const symbols = createUniverse({ syntheticStocks: 66 })
    .all()
    .filter((i) => i.liveSubscribed)
    .map((i) => String(i.conId));
  for (const s of symbols) await contracts.resolve(s);

  const cycle = async (n: number) => {
    for (let i = 0; i < n; i++) {
      const sub = quotes.subscribe(symbols[i % symbols.length], () => undefined);
      if (i % 50 === 0) await sleep(0); // let the wire drain now and then
      sub.dispose();
    }
    await sleep(300);
  };
  await cycle(500); // warm-up
  const heap0 = heapMB();
  const listeners0 = listenerCount(conn);
  // heap after GC at five checkpoints: a leak shows as a slope, noise (a few MB of buffers) does not
  const checkpoints: Array<[number, number]> = [[0, heap0]];
  for (let block = 1; block <= 5; block++) {
    await cycle(cycles / 5);
    checkpoints.push([(block * cycles) / 5, heapMB()]);
  }
  const slopeBytesPerCycle = slope(checkpoints) * 2 ** 20;
  const cycleTrend = trend(checkpoints);
  // @stoqey/ib queues what it sends (at most 40 messages a second): a current-time
  // request queued behind the cancels is answered once the simulator has them all
  const drainStart = Date.now();
  await drained();
  const drainMs = Date.now() - drainStart;
  const heap1 = heapMB();
  const listeners1 = listenerCount(conn);
  const openAfterCycles = await openLines();

  // streaming
  const subs = symbols.map((s) => quotes.subscribe(s, () => undefined));
  await sleep(5000);
  const snapshotDir = process.env.IB_BENCH_HEAP_SNAPSHOTS;
  const snapshot = (name: string) => snapshotDir && console.log(`heap snapshot: ${writeHeapSnapshot(path.join(snapshotDir, `leaks-${name}.heapsnapshot`))}`);
  const samples: number[] = [heapMB()];
  const step = Math.max(5, Math.floor(streamSeconds / 6));
  for (let t = 0; t < streamSeconds; t += step) {
    await sleep(step * 1000);
    samples.push(heapMB());
    if (samples.length === 2) snapshot('first');
  }
  snapshot('last');
  // the first sample is the warm-up (lines just opened); the trend is read after it
  const streamPoints: Array<[number, number]> = samples.slice(1).map((h, i) => [(i + 1) * step, h]);
  const streamSlope = slope(streamPoints) * 2 ** 20;
  const streamTrend = trend(streamPoints);
  const linesWhileStreaming = await openLines();
  for (const s of subs) s.dispose();
  await drained();
  const openAtEnd = await openLines();
  quotes.dispose();
  conn.dispose();
  await sim.stop();

  const first = samples[0];
  const last = samples[samples.length - 1];
  report({
    name: 'leaks',
    rows: [
      {
        metric: `heap after GC, before/after ${cycles} subscribe/unsubscribe cycles`,
        value: round(heap1),
        baseline: round(heap0),
        ratio: round(heap1 / heap0),
        better: 'lower',
        unit: 'MB',
        target: 'no trend beyond noise',
        pass: cycleTrend.flat,
        note: `fitted growth ${round(cycleTrend.growthMB)} MB (${Math.round(slopeBytesPerCycle)} bytes/cycle) against noise ${round(cycleTrend.noiseMB)} MB, 6 checkpoints`,
      },
      {
        metric: 'raw client listeners, before/after the cycles',
        value: listeners1,
        baseline: listeners0,
        ratio: round(listeners1 / Math.max(1, listeners0)),
        better: 'lower',
        target: '= 1',
        pass: listeners1 === listeners0,
      },
      {
        metric: 'request ids open on the simulator after the cycles / after streaming',
        value: openAfterCycles + openAtEnd,
        baseline: 0,
        ratio: openAfterCycles + openAtEnd === 0 ? 1 : Infinity,
        better: 'lower',
        target: '0 open',
        pass: openAfterCycles + openAtEnd === 0,
      },
      {
        metric: `heap after GC over ${streamSeconds} s of streaming ${symbols.length} lines (last/first)`,
        value: round(last),
        baseline: round(first),
        ratio: round(last / first),
        better: 'lower',
        unit: 'MB',
        target: 'no trend beyond noise',
        pass: streamTrend.flat,
        note: `after warm-up: fitted growth ${round(streamTrend.growthMB)} MB (${Math.round(streamSlope)} bytes/s) against noise ${round(streamTrend.noiseMB)} MB, ${streamPoints.length} samples`,
      },
    ],
    details: {
      checkpointsMB: checkpoints.map(([n, h]) => [n, round(h)]),
      slopeBytesPerCycle: Math.round(slopeBytesPerCycle),
      drainMs,
      openAfterCycles,
      openAtEnd,
      heapSamplesMB: samples.map((x) => round(x)),
      linesWhileStreaming,
      symbols: symbols.length,
    },
  });
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
