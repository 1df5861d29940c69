/**
 * Shared pieces of the benchmarks: a simulator in its own process (so its CPU
 * is not counted against the code being measured), CPU and memory sampling,
 * and the one JSON line each benchmark prints for bench/run.mjs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** The project's folder: the nearest one up with a package.json (the benchmarks run from bench/ as sources, or compiled from out/bench/). */
export const ROOT = projectRoot(__dirname);

function projectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(__dirname, '..');
  }
}
/** A weekday mid-session instant, so every instrument trades whatever day the bench runs. */
export const SESSION_START = '2026-11-24T16:00:00Z';

export interface SimProcess {
  port: number;
  child: ChildProcess;
  /** The simulator's own count of open market-data lines and keepUpToDate subscriptions (its `status` command). */
  status(): Promise<{ clients: number; lines: number; keepUpToDate: number }>;
  stop(): Promise<void>;
}

/** Starts dist/sim.js (built by `node esbuild.mjs`) on a free port. */
export function startSimProcess(extraArgs: string[] = []): Promise<SimProcess> {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/sim.js'), '--port', '0', '--quiet', '--start', SESSION_START, ...extraArgs], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`simulator did not start: ${out}`)), 15000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /on [\d.]+:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.removeAllListeners('data');
        let tail = '';
        child.stdout!.on('data', (d: Buffer) => {
          tail = (tail + d.toString()).slice(-4096);
        });
        resolve({
          port: Number(m[1]),
          child,
          status: async () => {
            tail = '';
            child.stdin!.write('status\n');
            for (let i = 0; i < 100; i++) {
              const s = /clients (\d+), market-data lines (\d+), keepUpToDate (\d+)/.exec(tail);
              if (s) return { clients: Number(s[1]), lines: Number(s[2]), keepUpToDate: Number(s[3]) };
              await sleep(50);
            }
            throw new Error(`the simulator did not answer "status": ${tail}`);
          },
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`simulator exited (${code}): ${out}`)));
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** CPU seconds (user + system) used by this process since `from`. */
export function cpuSince(from: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1e6;
}

/** Samples heap and RSS every few ms while `work` runs; returns the peaks above the starting values. */
export async function withPeakMemory<T>(work: () => Promise<T>): Promise<{ result: T; peakHeapMB: number; peakRssMB: number; ms: number }> {
  forceGc();
  const base = process.memoryUsage();
  let heap = base.heapUsed;
  let rss = base.rss;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    heap = Math.max(heap, m.heapUsed);
    rss = Math.max(rss, m.rss);
  }, 5);
  const t0 = performance.now();
  try {
    const result = await work();
    const ms = performance.now() - t0;
    const m = process.memoryUsage();
    heap = Math.max(heap, m.heapUsed);
    rss = Math.max(rss, m.rss);
    return { result, ms, peakHeapMB: (heap - base.heapUsed) / 2 ** 20, peakRssMB: (rss - base.rss) / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

export function forceGc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function argNumber(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

export interface BenchRow {
  /** What was measured, e.g. "ticks per CPU-second". */
  metric: string;
  value: number;
  baseline: number;
  /** value / baseline, or baseline / value when lower is better (see `better`). */
  ratio: number;
  better: 'higher' | 'lower';
  target?: string;
  pass?: boolean;
  unit?: string;
  note?: string;
}

export interface BenchResult {
  name: string;
  rows: BenchRow[];
  details?: Record<string, unknown>;
}

/** Prints the result as the last line of output, for bench/run.mjs. */
export function report(result: BenchResult): void {
  console.log('BENCH ' + JSON.stringify(result));
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
