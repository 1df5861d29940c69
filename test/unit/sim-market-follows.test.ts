// The simulated market's related prices move together as real ones do: an
// index future and an index ETF follow their index minute by minute while it
// is open (ES about SPX plus carry, SPY about a tenth of SPX, NQ and QQQ with
// NDX), and a currency pair wanders about its level instead of away from it.
import assert from 'node:assert/strict';
import { createMarket, createUniverse } from '../../src/sim/market';
import type { BarQuery, Instrument, SimBar } from '../../src/sim/market';

const utc = (iso: string): number => Date.parse(`${iso}Z`) / 1000;
const NOW = Date.parse('2026-11-25T17:00:00Z');

function minutes(endIso: string, useRTH: boolean): BarQuery {
  return { endTime: utc(endIso), durationSeconds: 86_400, barSizeSeconds: 60, whatToShow: 'TRADES', useRTH };
}

describe('simulated market: what follows an index, and currencies', () => {
  const u = createUniverse({ now: NOW });
  const one = (query: Parameters<typeof u.match>[0]): Instrument => {
    const [inst] = u.match(query);
    assert.ok(inst, JSON.stringify(query));
    return inst;
  };
  const spx = one({ symbol: 'SPX', secType: 'IND' });
  const ndx = one({ symbol: 'NDX', secType: 'IND' });
  const es = one({ symbol: 'ES', secType: 'FUT' });
  const nq = one({ symbol: 'NQ', secType: 'FUT' });
  const spy = one({ symbol: 'SPY', secType: 'STK' });
  const qqq = one({ symbol: 'QQQ', secType: 'STK' });

  /** The ratio of the follower's one-minute closes to the index's, for each of the index's minutes of a day. */
  function ratios(market: ReturnType<typeof createMarket>, index: Instrument, follower: Instrument, day: string, followerAllHours = true): number[] {
    const ix = market.bars(index, minutes(`${day}T21:00:00`, true));
    const byTime = new Map<number, SimBar>(market.bars(follower, minutes(`${day}T21:00:00`, !followerAllHours)).map((b) => [b.time, b]));
    assert.equal(ix.length, 390, `${index.symbol}: a whole regular session on ${day}`);
    return ix.map((b) => {
      const f = byTime.get(b.time);
      assert.ok(f, `${follower.symbol} has the minute ${new Date(b.time * 1000).toISOString()}`);
      return f.close / b.close;
    });
  }

  it('ES, NQ, SPY and QQQ stay with their index through the regular session, minute by minute', () => {
    for (const seed of [1, 42, 7]) {
      const market = createMarket({ seed, universe: u });
      for (const day of ['2026-11-23', '2026-11-24']) {
        for (const [index, follower, tick] of [
          [spx, es, 0.25],
          [ndx, nq, 0.25],
          [spx, spy, 0.01],
          [ndx, qqq, 0.01],
        ] as const) {
          const r = ratios(market, index, follower, day);
          const spread = Math.max(...r) - Math.min(...r);
          // the follower's own rounding (0.25 of ES at 6,700 is 0.004%) and the index's: a few hundredths of a percent at most
          const allowed = (2 * tick) / (follower.basePrice * 0.8) + 0.0002;
          assert.ok(spread < allowed, `${follower.symbol}/${index.symbol} moved by ${(spread * 100).toFixed(3)}% within ${day} (seed ${seed})`);
          if (follower.secType === 'FUT') assert.ok(Math.min(...r) > 1, `${follower.symbol} above its index before expiry (carry): ${Math.min(...r)}`);
          else assert.ok(Math.abs(r[0] - follower.basePrice / index.basePrice) / r[0] < 0.001, `${follower.symbol}'s fraction of ${index.symbol}`);
        }
      }
    }
  });

  it('SHOP in Toronto is SHOP in New York in Canadian dollars, minute by minute while both trade', () => {
    const ny = one({ symbol: 'SHOP', secType: 'STK', currency: 'USD' });
    const to = one({ symbol: 'SHOP', secType: 'STK', currency: 'CAD' });
    const market = createMarket({ seed: 42, universe: u });
    const r = ratios(market, ny, to, '2026-11-24', false);
    const spread = Math.max(...r) - Math.min(...r);
    assert.ok(Math.abs(r[0] / (to.basePrice / ny.basePrice) - 1) < 0.002, `SHOP CAD/USD ${r[0]}`);
    assert.ok(spread < 0.003, `the two listings moved apart by ${(spread * 100).toFixed(2)}% within the day`);
  });

  it('a future asked for its previous close first still follows its index on that day', () => {
    // sessionStats builds the previous session's minutes: they must be the ones that follow the index
    const market = createMarket({ seed: 5, universe: u });
    market.sessionStats(es, Date.parse('2026-11-25T15:00:00Z'));
    const r = ratios(market, spx, es, '2026-11-24');
    assert.ok(Math.max(...r) - Math.min(...r) < 0.0003, `ES/SPX moved by ${((Math.max(...r) - Math.min(...r)) * 100).toFixed(3)}%`);
  });

  it('a future trades on its own overnight, from its close to the index open, with no jump at the open', () => {
    const market = createMarket({ seed: 3, universe: u });
    const bars = market.bars(es, minutes('2026-11-24T21:00:00', false));
    // 17:00 to 08:30 Chicago the evening before and the morning: the future's own minutes, each a small step
    const steps = bars.slice(1).map((b, i) => Math.abs(b.open - bars[i].close) / bars[i].close);
    assert.ok(Math.max(...steps) < 0.002, `largest step between minutes ${(Math.max(...steps) * 100).toFixed(3)}%`);
    const index = market.bars(spx, minutes('2026-11-24T21:00:00', true));
    const atOpen = bars.find((b) => b.time === index[0].time)!;
    assert.ok(Math.abs(atOpen.open / index[0].open - 1) < 0.003, 'at the index open the future opens with it (plus carry)');
  });

  it('a currency pair wanders about its level over decades, not away from it', () => {
    for (const pair of [one({ symbol: 'EUR', secType: 'CASH', currency: 'USD' }), one({ symbol: 'USD', secType: 'CASH', currency: 'JPY' })]) {
      for (let seed = 1; seed <= 10; seed++) {
        const market = createMarket({ seed, universe: u });
        for (let year = 2006; year <= 2046; year += 0.5) {
          const t = Date.UTC(Math.floor(year), year % 1 ? 6 : 0, 15, 15);
          const mid = (market.tickAt(pair, t).bid + market.tickAt(pair, t).ask) / 2;
          const away = Math.abs(Math.log(mid / pair.basePrice));
          assert.ok(away < 0.25, `${pair.localSymbol} at ${mid} in ${year} (seed ${seed}): ${(away * 100).toFixed(0)}% from ${pair.basePrice}`);
        }
      }
    }
  });
});
