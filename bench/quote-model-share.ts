/**
 * 1b. The quote model's share, replayed: what the quote model, its change
 * events and their coalescing cost against the rest of a tick's way in
 * (framing, decoding, the transport's dispatch), on the same bytes, in one
 * process, taking turns.
 *
 * The live pipeline bench (quote-pipeline.ts) runs three processes at once on
 * a simulator that streams as fast as the socket drains; how many ticks each
 * socket read holds then depends on how the machine schedules them, and its
 * rounds spread more than the 5% this row is about. Here the stream is
 * recorded once from the simulator (100 lines, as the quote service opens
 * them) and then handed again, chunk by chunk with one I/O turn between
 * chunks as a socket gives them, to the same connection's reader: in turns,
 * with the lines owned by the quote service (each tick into the model, a
 * quote built and heard once per turn per changed line) and with each
 * line's owner doing nothing per tick (the transport alone), and, as the
 * baseline, by a bare IBApi (the library's own framing and decoding, a
 * counting listener per tick event). All read the same bytes in the same
 * chunks. The rows: the pipeline's rate against the bare client's (issue 14:
 * at least 0.95x), and what the model adds per tick, (pipeline - transport)
 * / bare, under 5% of the library's decoding. The transport decodes ticks
 * itself (transport/tick-frames.ts), 2.5x faster than the library, so the
 * model's share of the transport's own rate is given too, without a target.
 *
 * The recording starts and ends where the simulator held its stream (its
 * `stall` command), so it begins and ends on whole messages.
 *
 * The figure is the middle of several processes (forks, one after another,
 * each recording and replaying on its own), as JMH runs a benchmark in forks:
 * how the engine compiles the per-tick path is settled once per process, and
 * one process's reading can sit apart from the next one's by more than its
 * rounds spread (docs/performance.md).
 */
import { spawn } from 'node:child_process';
import { EventName, IBApi } from '@stoqey/ib';
import { ConnectionManager } from '../src/ib/connection';
import { ContractService } from '../src/ib/contracts';
import { QuoteService } from '../src/ib/quotes';
import type { MarketDataOwner } from '../src/ib/transport/wire';
import { createUniverse } from '../src/sim/market';
import { argNumber, cpuSince, median, report, round, sleep, startSimProcess } from './support';

interface LibSocket {
  onData(data: Buffer): void;
  client?: { pause(): void };
}

/** --swap-listeners: the library's tick listeners swapped instead of each line owner's `tick` (see pass()). */
const SWAP = process.argv.includes('--swap-listeners');

const TICK_MESSAGES = new Set(['1', '2', '45', '46']);

/** Tick messages in a recording of whole frames (4-byte length, then NUL-separated fields). */
function countTicks(chunks: readonly Buffer[]): number {
  const all = Buffer.concat(chunks);
  let n = 0;
  for (let i = 0; i + 4 <= all.length; ) {
    const len = all.readInt32BE(i);
    const id = all.toString('latin1', i + 4, all.indexOf(0, i + 4));
    if (TICK_MESSAGES.has(id)) n++;
    i += 4 + len;
  }
  return n;
}

/** What one process measured. */
interface Fork {
  ticks: number;
  chunks: number;
  bytes: number;
  lines: number;
  /** Lines that streamed before the recording. */
  streaming: number;
  quotesHeard: number;
  modelCpu: number[];
  wireCpu: number[];
  /** A bare IBApi's, on the same chunks (the library's framing and decoding, a counting listener per tick event). */
  bareCpu: number[];
}

async function measure(rounds: number): Promise<Fork> {
  const lines = argNumber('symbols', 100);
  const recordMs = argNumber('record-ms', 600);
  const universe = createUniverse({ syntheticStocks: lines })
    .all()
    .filter((i) => i.liveSubscribed)
    .slice(0, lines);
  const sim = await startSimProcess(['--tick-ms', '0', '--no-limits', '--synthetic', String(lines)]);
  // the connection's IBApi, for its socket: the bench hands the recorded chunks to the same reader the socket does
  const made: IBApi[] = [];
  const connect = IBApi.prototype.connect;
  IBApi.prototype.connect = function (this: IBApi, ...args: Parameters<IBApi['connect']>) {
    made.push(this);
    return connect.apply(this, args);
  };
  const conn = new ConnectionManager({ enabled: true, host: '127.0.0.1', port: sim.port, clientId: 14, heartbeatIntervalMs: 3_600_000 });
  const quotes = new QuoteService(conn, new ContractService(conn));
  try {
    await conn.connect();
    IBApi.prototype.connect = connect;
    const api = made[made.length - 1];
    const socket = (api as unknown as { controller: { socket: LibSocket } }).controller.socket;
    // every line's owner as the quote service made it; switched between its own tick and none
    const owners: MarketDataOwner[] = [];
    const wire = conn.api!;
    const marketData = wire.marketData.bind(wire);
    wire.marketData = (owner, contract, snapshot, limit) => {
      owners.push(owner);
      return marketData(owner, contract, snapshot, limit);
    };
    let errors = 0;
    api.on(EventName.error, (_e: Error, code: number) => {
      if (code === 505) errors++;
    });
    quotes.setMarketDataType('live');
    let heard = 0;
    const streaming = new Set<number>();
    for (const i of universe)
      quotes.subscribe(String(i.conId), () => {
        heard++;
        streaming.add(i.conId);
      });
    // every line streaming, or no other line started for 3 s (an index may have no ticks at the simulator's hour)
    for (let i = 0, seen = 0, still = 0; i < 600 && streaming.size < universe.length && still < 30; i++) {
      await sleep(100);
      still = streaming.size > seen ? 0 : still + 1;
      seen = streaming.size;
    }
    const modelTicks = owners.map((o) => o.tick);
    const idle = () => undefined;

    // record: from the end of one stall to the start of the next, every chunk the socket gives
    const read = socket.onData;
    const chunks: Buffer[] = [];
    let recording = false;
    socket.onData = function (this: LibSocket, data: Buffer) {
      if (recording) chunks.push(Buffer.from(data));
      read.call(this, data);
    };
    sim.child.stdin!.write('stall 2\n');
    await sleep(1500);
    recording = true;
    await sleep(500 + recordMs);
    sim.child.stdin!.write('stall 3600\n');
    await sleep(1000);
    recording = false;
    socket.onData = read;
    socket.client?.pause();
    const ticks = countTicks(chunks);
    const bytes = chunks.reduce((n, c) => n + c.length, 0);

    // --swap-listeners: the library's tick listeners swapped instead (the product's, or one that does nothing), so the
    // product's own dispatch counts against it and no line's owner is given a `tick` of its own (docs/performance.md)
    const TICK_EVENTS = [EventName.tickPrice, EventName.tickSize, EventName.tickGeneric, EventName.tickString];
    const productListeners = TICK_EVENTS.map((e) => api.listeners(e) as Array<(...a: unknown[]) => void>);
    // the baseline: a bare IBApi reading the same chunks with the library's own framing and decoding, a counting
    // listener on each tick event (as the live pipeline bench's bare client), its socket as after a handshake
    const bare = new IBApi({ port: 1 });
    const bareSocket = (bare as unknown as { controller: { socket: LibSocket & Record<string, unknown> } }).controller.socket;
    Object.assign(bareSocket, { _serverVersion: (socket as unknown as { serverVersion: number }).serverVersion, neverReceived: false, useV100Plus: true });
    let bareEvents = 0;
    const countBare = () => void bareEvents++;
    bare.on(EventName.tickPrice, countBare).on(EventName.tickSize, countBare).on(EventName.tickGeneric, countBare).on(EventName.tickString, countBare);
    bare.on(EventName.error, (_e: Error, code: number) => {
      if (code === 505) errors++;
    });
    const barePass = async (): Promise<number> => {
      (globalThis as { gc?: () => void }).gc?.();
      const cpu0 = process.cpuUsage();
      for (const c of chunks) {
        bareSocket.onData(c);
        await new Promise<void>((r) => setImmediate(r));
      }
      return cpuSince(cpu0);
    };
    const pass = async (model: boolean): Promise<number> => {
      if (SWAP)
        TICK_EVENTS.forEach((e, k) => {
          api.removeAllListeners(e);
          for (const l of model ? productListeners[k] : [idle]) (api as unknown as { on(e: string, l: (...a: unknown[]) => void): void }).on(e, l);
        });
      else owners.forEach((o, i) => (o.tick = model ? modelTicks[i] : idle));
      // each pass starts with the garbage of the one before collected (run with --expose-gc, as bench/run.mjs does)
      (globalThis as { gc?: () => void }).gc?.();
      const cpu0 = process.cpuUsage();
      for (const c of chunks) {
        read.call(socket, c);
        await new Promise<void>((r) => setImmediate(r));
      }
      return cpuSince(cpu0);
    };
    // warm every way up
    await pass(true);
    await pass(false);
    await barePass();
    const bareEventsPerPass = bareEvents;
    if (bareEventsPerPass < ticks) throw new Error(`the bare client heard ${bareEventsPerPass} tick events of ${ticks} tick messages`);
    const modelCpu: number[] = [];
    const wireCpu: number[] = [];
    const bareCpu: number[] = [];
    const heardBefore = heard;
    for (let r = 0; r < rounds; r++) {
      // the three take turns going first
      const order = [() => pass(true), () => pass(false), barePass];
      const into = [modelCpu, wireCpu, bareCpu];
      for (let k = 0; k < 3; k++) into[(k + r) % 3].push(await order[(k + r) % 3]());
    }
    if (errors) throw new Error(`${errors} decoding errors (505) while replaying`);
    const quotesHeard = heard - heardBefore;
    if (!quotesHeard) throw new Error('the quote service heard no quote while replaying: the replay did not reach it');
    return { ticks, chunks: chunks.length, bytes, lines: universe.length, streaming: streaming.size, quotesHeard, modelCpu, wireCpu, bareCpu };
  } finally {
    IBApi.prototype.connect = connect;
    quotes.dispose();
    conn.dispose();
    await sim.stop();
  }
}

/** Runs this benchmark's measurement in a process of its own, as it was started (flags included). */
function fork(): Promise<Fork> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1], ...process.argv.slice(2), '--fork-child'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('FORK '));
      if (code === 0 && line) resolve(JSON.parse(line.slice(5)) as Fork);
      else reject(new Error(`a fork ended with ${code}: ${out.slice(-2000)}`));
    });
  });
}

async function main(): Promise<void> {
  const rounds = argNumber('rounds', 11);
  if (process.argv.includes('--fork-child')) {
    console.log('FORK ' + JSON.stringify(await measure(rounds)));
    return;
  }
  const forks: Fork[] = [];
  for (let f = argNumber('forks', 5); f > 0; f--) forks.push(await fork());
  const ratiosOf = (k: Fork) => k.modelCpu.map((m, i) => k.wireCpu[i] / m);
  const bareRatiosOf = (k: Fork) => k.modelCpu.map((m, i) => k.bareCpu[i] / m);
  // what the model adds per tick, as a share of what the library's decoding of the same bytes costs
  const addedOf = (k: Fork) => k.modelCpu.map((m, i) => (m - k.wireCpu[i]) / k.bareCpu[i]);
  const medians = forks.map((k) => median(ratiosOf(k)));
  const bareMedians = forks.map((k) => median(bareRatiosOf(k)));
  const addedMedians = forks.map((k) => median(addedOf(k)));
  const m = median(medians);
  const mb = median(bareMedians);
  const added = median(addedMedians);
  const rate = (k: Fork, cpu: number[]) => Math.round(k.ticks / median(cpu));
  const [first] = forks;
  const list = (xs: number[]) => xs.map((x) => round(x, 3)).join(', ');
  const of = `the middle of ${forks.length} processes' medians`;
  report({
    name: 'quote model share (replay)',
    rows: [
      {
        metric: `the quote pipeline's rate against a bare IBApi's, ${first.lines} lines, the same recorded bytes in turns`,
        value: median(forks.map((k) => rate(k, k.modelCpu))),
        baseline: median(forks.map((k) => rate(k, k.bareCpu))),
        ratio: round(mb, 3),
        better: 'higher',
        target: '>= 0.95',
        pass: mb >= 0.95,
        note: `${SWAP ? 'tick listeners swapped; ' : ''}${of} (${list(bareMedians)}), each of ${rounds} rounds' bare/pipeline CPU ratios; the pipeline: the transport's framing and tick decoding, the quote model, its change events; the bare client: the library's framing and decoding, a counting listener per tick event; ${first.ticks} tick messages (${(first.bytes / 1e6).toFixed(1)} MB in ${first.chunks} chunks) per pass in the first`,
      },
      {
        metric: "what the quote model and change events add per tick, as a share of the library's decoding of the same bytes",
        value: round(added * 100, 1),
        baseline: 5,
        ratio: round(added / 0.05, 2),
        better: 'lower',
        unit: '%',
        target: '< 5%',
        pass: added < 0.05,
        note: `(model - transport) / bare CPU; ${of} (${addedMedians.map((x) => round(x * 100, 1)).join(', ')} %)`,
      },
      {
        metric: `what the quote model and change events keep of the transport's own rate (informational: the transport decodes ticks itself, ${round(median(forks.map((k) => median(k.bareCpu.map((b, i) => b / k.wireCpu[i])))), 2)}x faster than the library)`,
        value: median(forks.map((k) => rate(k, k.modelCpu))),
        baseline: median(forks.map((k) => rate(k, k.wireCpu))),
        ratio: round(m, 3),
        better: 'higher',
        note: `${of} (${list(medians)}), each of ${rounds} rounds' transport/model CPU ratios`,
      },
    ],
    details: {
      forks: forks.map((k) => ({
        ticks: k.ticks,
        chunks: k.chunks,
        bytes: k.bytes,
        streaming: k.streaming,
        quotesHeardPerPass: Math.round(k.quotesHeard / rounds),
        median: round(median(ratiosOf(k)), 3),
        bareMedian: round(median(bareRatiosOf(k)), 3),
        modelTicksPerCpuSecond: rate(k, k.modelCpu),
        transportTicksPerCpuSecond: rate(k, k.wireCpu),
        bareTicksPerCpuSecond: rate(k, k.bareCpu),
        roundRatios: ratiosOf(k).map((x) => round(x, 3)),
        modelCpuMs: k.modelCpu.map((x) => round(x * 1000, 1)),
        transportCpuMs: k.wireCpu.map((x) => round(x * 1000, 1)),
        bareCpuMs: k.bareCpu.map((x) => round(x * 1000, 1)),
      })),
    },
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
