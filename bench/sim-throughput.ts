/**
 * How many ticks per second the simulator can send one client: the firehose
 * (tickIntervalMs 0) to one IBApi over TCP, counting the client's tick events
 * (tickPrice + tickSize). Prints one JSON line.
 *   npx tsx bench/sim-throughput.ts [--seconds 5] [--lines 4]
 */
import { EventName, IBApi, SecType, type Contract } from '@stoqey/ib';
import { SimServer } from '../src/sim/server';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

async function main(): Promise<void> {
  const seconds = arg('seconds', 5);
  const lines = arg('lines', 4);
  const server = new SimServer({ port: 0, tickIntervalMs: 0, clock: { start: Date.parse('2026-11-24T16:00:00Z') }, limits: { messagesPerSecond: 0 } });
  const { port } = await server.start();
  const api = new IBApi({ host: '127.0.0.1', port });
  let ticks = 0;
  let prices = 0;
  let decodingErrors = 0;
  api.on(EventName.tickPrice, () => {
    ticks++;
    prices++;
  });
  api.on(EventName.tickSize, () => ticks++);
  api.on(EventName.error, (_e: Error, code: number) => {
    if (code === 505) decodingErrors++;
  });
  await new Promise<void>((resolve) => {
    api.once(EventName.nextValidId, () => resolve());
    api.connect(1);
  });
  const symbols = ['AAPL', 'MSFT', 'NVDA', 'SPY', 'QQQ', 'AMZN', 'META', 'TSLA'];
  for (let i = 0; i < lines; i++) {
    const c: Contract = { symbol: symbols[i % symbols.length], secType: SecType.STK, exchange: 'SMART', currency: 'USD' };
    api.reqMktData(i + 1, c, '', false, false);
  }
  // warm up, then measure
  await new Promise((r) => setTimeout(r, 500));
  const startTicks = ticks;
  const startPrices = prices;
  const cpuStart = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const result = {
    ticksPerSecond: Math.round((ticks - startTicks) / elapsed),
    tickPricePerSecond: Math.round((prices - startPrices) / elapsed),
    seconds: Number(elapsed.toFixed(2)),
    lines,
    decodingErrors,
    cpuSecondsPerSecond: Number(((cpu.user + cpu.system) / 1e6 / elapsed).toFixed(2)),
    // what one fully available core would do (the machine may be shared)
    ticksPerCpuSecond: Math.round((ticks - startTicks) / Math.max(0.001, (cpu.user + cpu.system) / 1e6)),
    note: 'simulator and client share one process; the client decoder is included',
  };
  for (let i = 0; i < lines; i++) api.cancelMktData(i + 1);
  api.disconnect();
  await server.stop();
  console.log(JSON.stringify(result));
}

void main();
