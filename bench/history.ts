/**
 * 3. History: 100,000 one-minute bars requested (day by day, as IB's step
 * table requires), decoded and converted to the chart's format by the
 * project's CandleService, against the bare IBApiNext.getHistoricalData call
 * for the same requests. Time and peak memory, as ratios.
 */
import { BarSizeSetting, IBApiNext, SecType, WhatToShow, type Contract } from '@stoqey/ib';
import { CandleService } from '../src/ib/candles';
import { ConnectionManager } from '../src/ib/connection';
import { ContractService } from '../src/ib/contracts';
import type { Candle } from '../src/ib/types';
import { silentLogger } from '../src/ib/log';
import { argNumber, report, round, SESSION_START, startSimProcess, withPeakMemory } from './support';

const pad = (n: number) => String(n).padStart(2, '0');
const ibUtc = (ms: number) => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}-${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
};

async function main(): Promise<void> {
  const target = argNumber('bars', 100_000);
  const sim = await startSimProcess(['--no-limits']);
  try {
    const conn = new ConnectionManager({ enabled: true, host: '127.0.0.1', port: sim.port, clientId: 21, heartbeatIntervalMs: 600000 });
    await conn.connect();
    const contracts = new ContractService(conn);
    const candles = new CandleService(conn, contracts, silentLogger, {
      pacing: { identicalWindowMs: 0, perContractCount: 1e9, windowCount: 1e9, maxOpen: 50 },
      cacheMs: 0,
    });
    const eurusd = await contracts.resolve('EUR.USD');
    // day-by-day windows going back from the session start
    const ends: string[] = [];
    const first = Date.parse(SESSION_START);

    const fetchAll = async (ends0: string[]) => {
      const out: Candle[] = [];
      for (const end of ends0) {
        const c = await candles.fetch({ symbol: eurusd, barSize: '1 min', duration: '1 D', whatToShow: 'MIDPOINT', useRTH: false, endDateTime: end });
        for (const x of c) out.push(x);
      }
      return out;
    };
    // discover how many days make the target (weekends have no bars)
    let total = 0;
    for (let day = 0; total < target && day < 400; day++) {
      const end = ibUtc(first - day * 86400_000);
      const c = await candles.fetch({ symbol: eurusd, barSize: '1 min', duration: '1 D', whatToShow: 'MIDPOINT', useRTH: false, endDateTime: end });
      if (c.length) ends.push(end);
      total += c.length;
    }

    const api = new IBApiNext({ host: '127.0.0.1', port: sim.port });
    api.connect(22);
    await api.getCurrentTime();
    const contract: Contract = { conId: eurusd.conId, symbol: eurusd.symbol, secType: SecType.CASH, exchange: eurusd.exchange, currency: eurusd.currency };
    const bareFetch = async () => {
      let n = 0;
      for (const end of ends) {
        const bars = await api.getHistoricalData(contract, end, '1 D', BarSizeSetting.MINUTES_ONE, WhatToShow.MIDPOINT, 0, 2);
        n += bars.length;
      }
      return n;
    };

    // alternate to share drift; the second pair is the one reported
    await withPeakMemory(bareFetch);
    await withPeakMemory(() => fetchAll(ends));
    const b = await withPeakMemory(bareFetch);
    const p = await withPeakMemory(() => fetchAll(ends));
    if (p.result.length !== b.result) throw new Error(`bar counts differ: ${p.result.length} vs ${b.result}`);
    api.disconnect();
    candles.dispose();
    conn.dispose();
    report({
      name: 'history',
      rows: [
        {
          metric: `time for ${p.result.length} bars (${ends.length} requests)`,
          value: round(p.ms),
          baseline: round(b.ms),
          ratio: round(p.ms / b.ms),
          better: 'lower',
          unit: 'ms',
          note: 'CandleService.fetch (validation, pacing queue, conversion to chart candles) vs bare IBApiNext.getHistoricalData',
        },
        {
          metric: 'peak heap growth',
          value: round(p.peakHeapMB),
          baseline: round(b.peakHeapMB),
          ratio: round(p.peakHeapMB / Math.max(0.01, b.peakHeapMB)),
          better: 'lower',
          unit: 'MB',
          note: 'the pipeline keeps the converted candles; the baseline drops each answer after counting',
        },
      ],
      details: { bars: p.result.length, requests: ends.length, bareRssMB: round(b.peakRssMB), pipelineRssMB: round(p.peakRssMB) },
    });
  } finally {
    await sim.stop();
  }
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
