/**
 * 1. Quote pipeline: the simulator streams 100 symbols (its universe plus
 * synthetic listings) as fast as the socket drains. Ticks per CPU-second of this process through the
 * project's pipeline (decode -> quote model -> change events) against a bare
 * @stoqey/ib IBApi consumer that only counts tick events, in the same run.
 * Target: the pipeline keeps at least 0.8x of the bare rate.
 */
import { EventName, IBApi, type Contract, type SecType } from '@stoqey/ib';
import { ConnectionManager } from '../src/ib/connection';
import { ContractService } from '../src/ib/contracts';
import { rawApi } from '../src/ib/contracts/wire';
import { QuoteService } from '../src/ib/quotes';
import { createUniverse } from '../src/sim/market';
import { argNumber, cpuSince, median, report, round, sleep, startSimProcess } from './support';

/** Counts every tick event of a client (price, size, string, generic). */
function countTicks(api: Pick<IBApi, 'on'>, count: () => void): void {
  api.on(EventName.tickPrice, count).on(EventName.tickSize, count).on(EventName.tickString, count).on(EventName.tickGeneric, count);
}

async function measure(count: () => number, seconds: number): Promise<number> {
  await sleep(1000); // warm up
  const c0 = count();
  const cpu0 = process.cpuUsage();
  await sleep(seconds * 1000);
  return (count() - c0) / Math.max(1e-3, cpuSince(cpu0));
}

async function bare(port: number, contracts: Contract[], seconds: number): Promise<number> {
  const api = new IBApi({ host: '127.0.0.1', port });
  let ticks = 0;
  countTicks(api, () => ticks++);
  api.on(EventName.error, (_e: Error, code: number) => {
    if (code === 505) throw new Error('505 decoding error from the simulator');
  });
  await new Promise<void>((resolve) => {
    api.once(EventName.nextValidId, () => resolve());
    api.connect(11);
  });
  contracts.forEach((c, i) => api.reqMktData(1000 + i, c, '', false, false));
  const rate = await measure(() => ticks, seconds);
  api.disconnect();
  return rate;
}

async function pipeline(port: number, symbols: string[], seconds: number): Promise<{ rate: number; quotes: number }> {
  const conn = new ConnectionManager({ enabled: true, host: '127.0.0.1', port, clientId: 12, heartbeatIntervalMs: 60000 });
  await conn.connect();
  const contracts = new ContractService(conn);
  const quotes = new QuoteService(conn, contracts);
  quotes.setMarketDataType('live');
  let wireTicks = 0;
  let quoteEvents = 0;
  const raw = rawApi(conn.api!);
  countTicks(raw, () => wireTicks++);
  const subs = [];
  for (const s of symbols) subs.push(quotes.subscribe(s, () => quoteEvents++));
  const rate = await measure(() => wireTicks, seconds);
  for (const s of subs) s.dispose();
  quotes.dispose();
  conn.dispose();
  return { rate, quotes: quoteEvents };
}

async function main(): Promise<void> {
  const seconds = argNumber('seconds', 4);
  const rounds = argNumber('rounds', 6);
  const lines = argNumber('symbols', 100);
  const universe = createUniverse({ syntheticStocks: lines })
    .all()
    .filter((i) => i.liveSubscribed)
    .slice(0, lines);
  const contracts: Contract[] = universe.map((i) => ({ conId: i.conId, symbol: i.symbol, secType: i.secType as SecType, exchange: i.exchange, currency: i.currency }));
  const symbols = universe.map((i) => String(i.conId));
  const sim = await startSimProcess(['--tick-ms', '0', '--no-limits', '--synthetic', String(lines)]);
  const bareRates: number[] = [];
  const pipeRates: number[] = [];
  let quoteEvents = 0;
  try {
    for (let r = 0; r < rounds; r++) {
      bareRates.push(await bare(sim.port, contracts, seconds));
      const p = await pipeline(sim.port, symbols, seconds);
      pipeRates.push(p.rate);
      quoteEvents += p.quotes;
    }
  } finally {
    await sim.stop();
  }
  const b = median(bareRates);
  const p = median(pipeRates);
  report({
    name: 'quote pipeline',
    rows: [
      {
        metric: `ticks per CPU-second, ${universe.length} streaming lines`,
        value: Math.round(p),
        baseline: Math.round(b),
        ratio: round(p / b),
        better: 'higher',
        target: '>= 0.8',
        pass: p / b >= 0.8,
        note: 'pipeline: ConnectionManager + ContractService + QuoteService with a listener per symbol; baseline: bare IBApi counting tick events',
      },
    ],
    details: { bareRates: bareRates.map(Math.round), pipelineRates: pipeRates.map(Math.round), quoteEvents },
  });
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
