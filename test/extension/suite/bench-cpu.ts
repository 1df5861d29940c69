// CPU measurement of the extension host for the in-editor benchmark
// (bench.test.ts): the host process's CPU time over a window, and on Linux
// how much of it its main thread (where every extension's JavaScript runs)
// spent, apart from V8's and libuv's helper threads (garbage collection,
// compression of the messages to the window).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { constants as perf, PerformanceObserver } from 'node:perf_hooks';

/** CPU seconds of this process's main thread so far (Linux: /proc), or undefined elsewhere. */
function mainThreadSeconds(): number | undefined {
  try {
    // the fields after the command name (which is in parentheses and may hold spaces): utime and stime are the 12th and 13th
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks: 100 a second on Linux
  } catch {
    return undefined;
  }
}

/** CPU seconds so far of each kind of thread of this process, by the thread's name (Linux: /proc), or undefined elsewhere. */
function threadSeconds(): Map<string, number> | undefined {
  try {
    const byName = new Map<string, number>();
    for (const tid of readdirSync('/proc/self/task')) {
      try {
        const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        const name =
          tid === String(process.pid)
            ? 'main'
            : stat
                .slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                .replace(/\d+$/, '')
                .trim();
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        byName.set(name, (byName.get(name) ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100);
      } catch {
        // the thread ended meanwhile
      }
    }
    return byName;
  } catch {
    return undefined;
  }
}

/** Pauses of V8's garbage collector in a window, in ms by kind (young generation, full, incremental marking, weak callbacks). */
export interface GcPauses {
  minor: number;
  major: number;
  incremental: number;
  weak: number;
  count: number;
}

function gcKind(kind: number | undefined): keyof Omit<GcPauses, 'count'> {
  if (kind === perf.NODE_PERFORMANCE_GC_MAJOR) return 'major';
  if (kind === perf.NODE_PERFORMANCE_GC_INCREMENTAL) return 'incremental';
  if (kind === perf.NODE_PERFORMANCE_GC_WEAKCB) return 'weak';
  return 'minor';
}

export interface CpuWindow {
  /** Cores used by the whole host process over the window (CPU seconds / wall seconds). */
  share: number;
  /** Cores used by its main thread alone (undefined where /proc is not there). */
  mainThreadShare?: number;
  /** The garbage collector's pauses on the main thread in the window. */
  gc?: GcPauses;
  /** Cores used by each kind of thread, by name ("main", "V8 DefaultWorke", "libuv-worker"...), where over 0.001 (Linux). */
  threads?: Record<string, number>;
  wallSeconds: number;
}

/**
 * Measures the host's CPU while `work` runs (typically a sleep while a
 * stream flows). With `profileFile`, also records a CPU profile of the host's
 * main thread over the same window (the profiler's own sampling thread is
 * then counted in `share`: compare profiled windows only with each other).
 */
export async function measureCpu(work: () => Promise<void>, profileFile?: string): Promise<CpuWindow> {
  const session = profileFile ? new Session() : undefined;
  const post = (method: string) => new Promise<unknown>((resolve, reject) => session!.post(method, (e, r) => (e ? reject(e) : resolve(r))));
  if (session) {
    session.connect();
    await post('Profiler.enable');
    await post('Profiler.start');
    if (process.env.IB_BENCH_HEAP_SAMPLES) {
      // every allocation sampled, also those the garbage collector has taken again: what makes the GC work
      await new Promise<void>((resolve, reject) =>
        session!.post(
          'HeapProfiler.startSampling',
          { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: process.env.IB_BENCH_HEAP_SAMPLES !== 'major' },
          (e) => (e ? reject(e) : resolve()),
        ),
      );
    }
  }
  const gc: GcPauses = { minor: 0, major: 0, incremental: 0, weak: 0, count: 0 };
  const gcWatch = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gc[gcKind((e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind)] += e.duration;
      gc.count++;
    }
  });
  gcWatch.observe({ entryTypes: ['gc'] });
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadSeconds();
  const threads0 = threadSeconds();
  const t0 = performance.now();
  try {
    await work();
  } finally {
    gcWatch.disconnect();
    if (session) {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      writeFileSync(profileFile!, JSON.stringify(profile));
      if (process.env.IB_BENCH_HEAP_SAMPLES) {
        const { profile: heap } = (await post('HeapProfiler.stopSampling')) as { profile: unknown };
        writeFileSync(profileFile!.replace(/\.cpuprofile$/, '.heapprofile'), JSON.stringify(heap));
      }
      session.disconnect();
    }
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(cpu0);
  const main1 = mainThreadSeconds();
  const threads1 = threadSeconds();
  let threads: Record<string, number> | undefined;
  if (threads0 && threads1) {
    threads = {};
    for (const [name, seconds] of threads1) {
      const share = (seconds - (threads0.get(name) ?? 0)) / wallSeconds;
      if (share > 0.001) threads[name] = +share.toFixed(4);
    }
  }
  for (const k of ['minor', 'major', 'incremental', 'weak'] as const) gc[k] = Math.round(gc[k]);
  return {
    gc,
    threads,
    share: (used.user + used.system) / 1e6 / wallSeconds,
    mainThreadShare: main0 !== undefined && main1 !== undefined ? (main1 - main0) / wallSeconds : undefined,
    wallSeconds,
  };
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
