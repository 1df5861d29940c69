/**
 * The jax bridge: GET /quotes/{symbol} requests per second and p50/p99
 * latency (autocannon, in its own process) against a bare node:http server
 * answering the same JSON in the same run; p99 at a steady 1,000 requests/s
 * (target < 5 ms); and the fan-out of 100 SSE clients x 100 symbols at 10
 * ticks/s: CPU and memory per client of the bridge against a bare node:http
 * SSE server fed by the same quote subscriptions.
 */
import { execFile, spawn } from 'node:child_process';
import * as http from 'node:http';
import * as path from 'node:path';
import { Bridge } from '../src/bridge/server';
import { quoteJson } from '../src/bridge/wire-json';
import { CandleService } from '../src/ib/candles';
import { ConnectionManager } from '../src/ib/connection';
import { ContractService } from '../src/ib/contracts';
import { QuoteService } from '../src/ib/quotes';
import type { Disposable } from '../src/ib/types';
import { cpuSince, median, report, ROOT, round, sleep, startSimProcess, type BenchRow } from './support';

interface Cannon {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

function autocannon(url: string, args: string[]): Promise<Cannon> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(ROOT, 'node_modules/autocannon/autocannon.js'), '-j', ...args, url], { maxBuffer: 1 << 24 }, (err, stdout) => {
      if (err) return reject(err);
      const r = JSON.parse(stdout) as { requests: { average: number }; latency: { p50: number; p99: number }; errors: number; non2xx: number };
      resolve({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx });
    });
  });
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

/** N SSE clients in a child process, each on every symbol; resolves with the events they received. */
function sseClients(url: string, n: number, seconds: number): Promise<number> {
  const code = `
    const http = require('node:http');
    let events = 0;
    for (let i = 0; i < ${n}; i++) {
      http.get(${JSON.stringify(url)}, { agent: false }, (res) => {
        res.setEncoding('utf8');
        res.on('data', (c) => { let k = -1; while ((k = c.indexOf('event: quote', k + 1)) >= 0) events++; });
      });
    }
    setTimeout(() => { console.log(events); process.exit(0); }, ${seconds * 1000});`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', () => (out.trim() ? resolve(Number(out.trim())) : reject(new Error('the SSE clients printed nothing'))));
  });
}

async function main(): Promise<void> {
  const sim = await startSimProcess(['--synthetic', '100', '--tick-ms', '100']);
  try {
    await run(sim.port);
  } finally {
    await sim.stop();
  }
  process.exit(0);
}

async function run(simPort: number): Promise<void> {
  const connection = new ConnectionManager({ enabled: true, host: '127.0.0.1', port: simPort, clientId: 31, heartbeatIntervalMs: 60_000 });
  await connection.connect();
  const contracts = new ContractService(connection);
  const quotes = new QuoteService(connection, contracts);
  const candles = new CandleService(connection, contracts);
  const bridge = new Bridge(
    { connection, contracts, quotes, candles },
    { port: 0, version: 'bench', connectionControl: 'own', maxLines: 100, maxSymbolsPerStream: 100, maxConnections: 1000 },
  );
  const { url } = await bridge.start();
  // one of the fan-out's symbols, so the polled line is one of its 100 (IB's line limit)
  const first = await fetch(`${url}/quotes/SIM001`);
  const body = JSON.stringify(await first.json());

  // ---- GET /quotes: the bridge against bare node:http answering the same JSON
  const bare = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(body);
  });
  const barePort = await listen(bare);
  const bareUrl = `http://127.0.0.1:${barePort}/quotes/SIM001`;
  const rounds: Array<{ bridge: Cannon; bare: Cannon }> = [];
  for (let i = 0; i < 3; i++) {
    const b = await autocannon(`${url}/quotes/SIM001`, ['-c', '10', '-d', '5']);
    const n = await autocannon(bareUrl, ['-c', '10', '-d', '5']);
    if (b.errors || b.non2xx) throw new Error(`the bridge answered errors: ${JSON.stringify(b)}`);
    rounds.push({ bridge: b, bare: n });
  }
  const rps = median(rounds.map((r) => r.bridge.rps));
  const bareRps = median(rounds.map((r) => r.bare.rps));
  const steady = await autocannon(`${url}/quotes/SIM001`, ['-c', '10', '-d', '10', '-R', '1000']);
  const steadyBare = await autocannon(bareUrl, ['-c', '10', '-d', '10', '-R', '1000']);
  bare.close();

  // ---- SSE fan-out: 100 clients x 100 symbols at 10 ticks/s
  const symbols = Array.from({ length: 100 }, (_, i) => `SIM${String(i + 1).padStart(3, '0')}`);
  // both runs find the contracts resolved (IB's contract lookups are paced; that is not the fan-out's cost)
  for (const s of symbols) await contracts.resolve(s);
  const CLIENTS = 100;
  const SECONDS = 10;
  const fan = async (streamUrl: string): Promise<{ cores: number; events: number; heapPerClient: number }> => {
    global.gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    const cpu0 = process.cpuUsage();
    const got = sseClients(streamUrl, CLIENTS, SECONDS);
    await sleep((SECONDS / 2) * 1000);
    global.gc?.();
    const heap1 = process.memoryUsage().heapUsed;
    const events = await got;
    if (events === 0) throw new Error(`no SSE events from ${streamUrl.slice(0, 60)}`);
    const cores = cpuSince(cpu0) / SECONDS;
    return { cores, events, heapPerClient: (heap1 - heap0) / CLIENTS };
  };
  const streamUrl = `${url}/stream/quotes?symbols=${symbols.join(',')}`;
  // the 100 lines opened first (by one client, 2 s; then they linger), as the baseline's are: the heap per client is the client's
  await sseClients(streamUrl, 1, 2);
  const viaBridge = await fan(streamUrl);
  await sleep(1000);

  // baseline: a bare node:http SSE server writing each quote of the same subscriptions to every client
  const clients = new Set<http.ServerResponse>();
  const subs: Disposable[] = symbols.map((s) =>
    quotes.subscribe(s, (q) => {
      const frame = `event: quote\ndata: ${JSON.stringify(quoteJson(s, q, undefined, Date.now()))}\n\n`;
      for (const res of clients) res.write(frame);
    }),
  );
  const bareSse = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    clients.add(res);
    req.on('close', () => clients.delete(res));
  });
  const bareSsePort = await listen(bareSse);
  const viaBare = await fan(`http://127.0.0.1:${bareSsePort}/`);
  for (const s of subs) s.dispose();
  bareSse.close();
  for (const res of clients) res.destroy();

  const rows: BenchRow[] = [
    {
      metric: 'GET /quotes/{symbol}: requests per second (10 connections)',
      value: Math.round(rps),
      baseline: Math.round(bareRps),
      ratio: round(rps / bareRps),
      better: 'higher',
      target: '>= 0.5x of bare node:http',
      pass: rps / bareRps >= 0.5,
      note: 'baseline = bare node:http answering the same JSON',
    },
    {
      metric: 'GET /quotes/{symbol}: p50 / p99 latency at full load',
      value: median(rounds.map((r) => r.bridge.p99)),
      baseline: median(rounds.map((r) => r.bare.p99)),
      ratio: round(median(rounds.map((r) => r.bridge.p99)) / Math.max(0.01, median(rounds.map((r) => r.bare.p99)))),
      better: 'lower',
      unit: 'ms (p99)',
      note: `p50 ${median(rounds.map((r) => r.bridge.p50))} ms vs ${median(rounds.map((r) => r.bare.p50))} ms`,
    },
    {
      metric: 'GET /quotes/{symbol}: p99 latency at 1,000 requests/s',
      value: steady.p99,
      baseline: steadyBare.p99,
      ratio: round(steady.p99 / Math.max(0.01, steadyBare.p99)),
      better: 'lower',
      unit: 'ms',
      target: '< 5 ms',
      pass: steady.p99 < 5,
    },
    {
      metric: 'SSE fan-out, 100 clients x 100 symbols at 10 ticks/s: CPU',
      value: round(viaBridge.cores),
      baseline: round(viaBare.cores),
      ratio: round(viaBridge.cores / Math.max(1e-3, viaBare.cores)),
      better: 'lower',
      unit: 'cores',
      note: `events delivered: ${viaBridge.events} vs ${viaBare.events} in ${SECONDS} s`,
    },
    {
      metric: 'SSE fan-out: heap per client',
      value: round(viaBridge.heapPerClient / 1024, 1),
      baseline: round(viaBare.heapPerClient / 1024, 1),
      ratio: viaBare.heapPerClient > 0 ? round(viaBridge.heapPerClient / viaBare.heapPerClient) : 0,
      better: 'lower',
      unit: 'KB',
      note: 'heap after a forced GC mid-run, less before; moves by megabytes between runs',
    },
  ];
  report({ name: 'bridge', rows, details: { rounds, steady, steadyBare, viaBridge, viaBare } });
  await bridge.stop();
  quotes.dispose();
  candles.dispose();
  await connection.disconnect();
  connection.dispose();
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
