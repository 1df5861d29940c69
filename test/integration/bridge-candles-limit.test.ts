import { strict as assert } from 'node:assert';
import { request, startBridge, type StartedBridge } from './support/bridge';

/**
 * Tuesday 5 January 2027, 10:00 New York: the eight weeks before it hold
 * Thanksgiving and its half day, Christmas and New Year, so 1000 bars of 15
 * minutes in regular hours reach back over nine calendar weeks (eight
 * one-week requests brought 938).
 */
const NOW = Date.parse('2027-01-05T15:00:00Z');

interface Candle {
  timestamp: string;
  vwap: number;
}

async function candles(b: StartedBridge, symbol: string, query: string): Promise<Candle[]> {
  const a = await request(`${b.url}/candles/${encodeURIComponent(symbol)}?${query}`);
  assert.equal(a.status, 200, a.text);
  const body = a.json as { count: number; candles: Candle[] };
  assert.equal(body.count, body.candles.length);
  const times = body.candles.map((c) => Date.parse(c.timestamp));
  for (let i = 1; i < times.length; i++) assert.ok(times[i] > times[i - 1], `${symbol} ${query}: oldest first, each bar once`);
  // the simulated clock started at NOW and runs on while the cases run (a slow machine: minutes)
  const simNow = b.sim.server.clock.now();
  assert.ok(times[times.length - 1] <= simNow, `${symbol} ${query}: no bar after the simulated now (${new Date(simNow).toISOString()})`);
  return body.candles;
}

describe('jax bridge: GET /candles?limit=N gives N bars whenever the instrument has traded that long', function () {
  this.timeout(180_000);
  let b: StartedBridge;

  before(async () => {
    b = await startBridge({}, { clock: { start: NOW } });
  });
  after(async () => {
    await b?.stop();
  });

  const cases: Array<[string, string]> = [
    ['AAPL', ''],
    ['AAPL', '&use_rth=false'],
    ['SPY', ''],
    ['EUR.USD', ''],
    ['ESH7@CME', ''],
  ];
  for (const [symbol, rth] of cases) {
    it(`${symbol}${rth}: limit=1000 is 1000 bars for every intraday timeframe`, async () => {
      for (const tf of ['1m', '5m', '15m', '1h']) {
        const list = await candles(b, symbol, `timeframe=${tf}&limit=1000${rth}`);
        assert.equal(list.length, 1000, `${symbol} ${tf}${rth}`);
      }
    });
  }

  it('AAPL and EUR.USD: limit=1000 is 1000 daily and 1000 weekly bars', async () => {
    for (const symbol of ['AAPL', 'EUR.USD'])
      for (const tf of ['1d', '1w']) assert.equal((await candles(b, symbol, `timeframe=${tf}&limit=1000`)).length, 1000, `${symbol} ${tf}`);
  });

  it('a futures month listed a year ago: daily and weekly bars back to its first day, as many as IB has', async () => {
    for (const [tf, barSize] of [
      ['1d', '1 day'],
      ['1w', '1 week'],
    ]) {
      const all = await request(`${b.url}/candles/${encodeURIComponent('ESH7@CME')}`, 'POST', { duration: '5 Y', bar_size: barSize, use_rth: true });
      assert.equal(all.status, 200, all.text);
      const listed = (all.json as { count: number }).count;
      assert.ok(listed > 30 && listed < 1000, `ESH7 ${tf}: ${listed} bars since it was listed`);
      assert.equal((await candles(b, 'ESH7@CME', `timeframe=${tf}&limit=1000`)).length, listed, `ESH7 ${tf}: every bar it has`);
      assert.equal((await candles(b, 'ESH7@CME', `timeframe=${tf}&limit=${listed - 1}`)).length, listed - 1);
    }
  });

  for (const [tf, rth] of [
    ['15m', ''],
    ['1h', ''],
    ['5m', '&use_rth=false'],
  ]) {
    it(`AAPL ${tf}${rth}: limit=N is the N most recent of limit=1000 (N = 1, 250, 999)`, async () => {
      const all = await candles(b, 'AAPL', `timeframe=${tf}&limit=1000${rth}`);
      assert.equal(all.length, 1000);
      for (const n of [1, 250, 999]) {
        const some = await candles(b, 'AAPL', `timeframe=${tf}&limit=${n}${rth}`);
        assert.deepEqual(
          some.map((c) => c.timestamp),
          all.slice(-n).map((c) => c.timestamp),
          `${tf} limit=${n}`,
        );
      }
    });
  }

  it('vwap carries no binary noise: midpoint typical prices and WAPs at 12 significant digits at most', async () => {
    for (const [symbol, tf] of [
      ['EUR.USD', '1m'],
      ['EUR.USD', '1d'],
      ['ESH7@CME', '5m'],
      ['AAPL', '1m'],
    ]) {
      const list = await candles(b, symbol, `timeframe=${tf}&limit=500`);
      for (const c of list) {
        const digits = JSON.stringify(c.vwap).replace(/^-?0\.0*|\.|-/g, '');
        assert.ok(digits.length <= 12, `${symbol} ${tf} ${c.timestamp}: vwap ${JSON.stringify(c.vwap)}`);
      }
    }
  });
});
