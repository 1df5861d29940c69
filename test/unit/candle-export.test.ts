// Fetch Candles' CSV and JSON: the columns, the trading day of daily bars, and no volume where IB sends none.
import * as assert from 'node:assert/strict';
import { candlesToCsv, candlesToJson } from '../../src/vscode/candle-export';
import { toCandle } from '../../src/ib/candles/merge';
import type { Candle } from '../../src/ib/types';

const bar = (time: string, low: number, high: number, volume: number): Candle => toCandle(time, low, high, low, high, volume)!;

describe('candle export', () => {
  it('writes traded volume as IB counts it', () => {
    const csv = candlesToCsv([bar('1794925800', 231.41, 231.42, 1200), bar('1794926100', 231.42, 231.5, 0)], '5 mins');
    assert.deepEqual(csv.trim().split('\n'), [
      'time,date,open,high,low,close,volume',
      '1794925800,2026-11-17T14:30:00.000Z,231.41,231.42,231.41,231.42,1200',
      // a bar in which nothing traded is a 0, as IB sent it
      '1794926100,2026-11-17T14:35:00.000Z,231.42,231.5,231.42,231.5,0',
    ]);
  });

  it('writes no volume (an empty cell, JSON null) where IB sends none (-1: a forex MIDPOINT series, an index), not 0', () => {
    const mid = [bar('1794925800', 1.24394, 1.24404, -1), bar('1794926100', 1.24404, 1.24412, -1)];
    const csv = candlesToCsv(mid, '5 mins');
    assert.equal(csv.trim().split('\n')[1], '1794925800,2026-11-17T14:30:00.000Z,1.24394,1.24404,1.24394,1.24404,');
    const json = JSON.parse(candlesToJson(mid, { symbol: 'EUR.USD', barSize: '5 mins', duration: '1 D', simulated: false })) as {
      candles: Array<{ volume: unknown }>;
    };
    assert.deepEqual(
      json.candles.map((c) => c.volume),
      [null, null],
    );
  });

  it('dates a daily bar by its trading day', () => {
    const csv = candlesToCsv([bar('20261117', 229.1, 232.05, 5_930_600)], '1 day');
    assert.equal(csv.trim().split('\n')[1], `${Date.UTC(2026, 10, 17) / 1000},2026-11-17,229.1,232.05,229.1,232.05,5930600`);
  });
});
