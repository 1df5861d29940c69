import assert from 'node:assert/strict';
import { createMarket, createUniverse, sessionsBetween, scheduleOf } from '../../src/sim/market';
import type { BarQuery, Instrument, Market, SimBar } from '../../src/sim/market';

const utc = (iso: string): number => Date.parse(`${iso}Z`) / 1000;
const NOW = Date.parse('2026-11-25T17:00:00Z');

/**
 * Folds consecutive bars into groups by a key, the way IB's bigger bars are made from smaller ones:
 * a bar up to a day is dated by its start (the first part's time), a week or month bar by its
 * last trading day (the last part's time), as TWS dates them.
 */
function fold(bars: SimBar[], key: (b: SimBar) => number, dated: 'first' | 'last' = 'first'): Array<Omit<SimBar, 'wap'>> {
  const out: Array<Omit<SimBar, 'wap'> & { key: number }> = [];
  for (const b of bars) {
    const k = key(b);
    const last = out[out.length - 1];
    if (last && last.key === k) {
      last.high = Math.max(last.high, b.high);
      last.low = Math.min(last.low, b.low);
      last.close = b.close;
      if (dated === 'last') last.time = b.time;
      last.volume += b.volume;
      last.count += b.count;
    } else {
      out.push({ key: k, time: b.time, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume, count: b.count });
    }
  }
  return out.map(({ key: _k, ...rest }) => rest);
}

const withoutWap = (bars: SimBar[]): Array<Omit<SimBar, 'wap'>> => bars.map(({ wap: _w, ...rest }) => rest);

function q(endIso: string, durationSeconds: number, barSizeSeconds: number, useRTH = true, whatToShow = 'TRADES'): BarQuery {
  return { endTime: utc(endIso), durationSeconds, barSizeSeconds, whatToShow, useRTH };
}

const onTick = (x: number, tick: number): boolean => Math.abs(x / tick - Math.round(x / tick)) < 1e-6;

describe('simulated market: prices and bars', () => {
  const u = createUniverse({ now: NOW });
  const one = (query: Parameters<typeof u.match>[0]): Instrument => {
    const [inst] = u.match(query);
    assert.ok(inst, JSON.stringify(query));
    return inst;
  };
  const aapl = one({ conId: 265598 });
  const es = one({ symbol: 'ES', secType: 'FUT' });
  const eur = one({ symbol: 'EUR', secType: 'CASH', currency: 'USD' });
  const spx = one({ symbol: 'SPX', secType: 'IND' });
  const jpy = one({ symbol: 'USD', secType: 'CASH', currency: 'JPY' });
  const market = createMarket({ seed: 42, universe: u });

  it('gives the same bars and ticks for the same seed, whatever the query order', () => {
    const a = createMarket({ seed: 7, universe: u });
    const b = createMarket({ seed: 7, universe: u });
    const queries = [q('2026-11-25T21:00:00', 86_400, 60), q('2026-11-20T21:00:00', 3 * 86_400, 300, false), q('2026-11-25T15:00:00', 1800, 5)];
    const times = [NOW - 3_600_000, NOW, NOW - 86_400_000 * 2, NOW + 1234];
    const fromA = queries.map((x) => a.bars(aapl, x));
    const ticksA = times.map((t) => a.tickAt(es, t));
    const ticksB = [...times]
      .reverse()
      .map((t) => b.tickAt(es, t))
      .reverse();
    const fromB = [...queries]
      .reverse()
      .map((x) => b.bars(aapl, x))
      .reverse();
    assert.deepEqual(fromB, fromA);
    assert.deepEqual(ticksB, ticksA);
    assert.ok(fromA.every((bars) => bars.length > 0));
    const other = createMarket({ seed: 8, universe: u });
    assert.notDeepEqual(other.bars(aapl, queries[0]), fromA[0], 'another seed, another path');
  });

  it('a stock moves mostly in its regular hours: its overnight moves (close to next open) are smaller than its sessions', () => {
    for (const inst of [aapl, one({ symbol: 'MSFT', secType: 'STK' }), one({ symbol: 'JPM', secType: 'STK' })]) {
      const days = market.bars(inst, q('2026-11-25T21:00:00', 120 * 86_400, 86_400, true));
      assert.ok(days.length > 60, `${inst.symbol}: ${days.length} days`);
      const mean = (xs: number[]) => xs.reduce((t, x) => t + x, 0) / xs.length;
      const overnight = mean(days.slice(1).map((d, i) => Math.abs(Math.log(d.open / days[i].close))));
      const session = mean(days.map((d) => Math.abs(Math.log(d.close / d.open))));
      assert.ok(overnight < 0.75 * session, `${inst.symbol}: overnight ${(overnight * 100).toFixed(2)}% against sessions ${(session * 100).toFixed(2)}%`);
    }
  });

  it('a currency pair reopens where it stopped after its daily break (it trades through the night: no overnight gap)', () => {
    const moves: number[] = [];
    for (let d = 2; d <= 20; d++) {
      const day = `2026-11-${String(d).padStart(2, '0')}`;
      // 21:00 to 23:00 UTC: the break is 17:00 to 17:15 New York (22:00 to 22:15 UTC in November)
      const bars = market.bars(eur, q(`${day}T23:00:00`, 7200, 60, false, 'MIDPOINT'));
      const i = bars.findIndex((b, k) => k > 0 && b.time - bars[k - 1].time > 60);
      if (i < 0) continue; // a Saturday: no break inside the window
      moves.push(Math.abs(bars[i].open - bars[i - 1].close));
    }
    assert.ok(moves.length >= 10, `breaks seen: ${moves.length}`);
    assert.ok(Math.max(...moves) <= 0.0001, `across the break at most a pip: ${moves.map((m) => m.toFixed(5)).join(' ')}`);
  });

  it('computes any window on its own, equal to the same part of a bigger request', () => {
    const fresh = createMarket({ seed: 42, universe: u });
    const big = market.bars(aapl, q('2026-11-25T21:00:00', 5 * 86_400, 60, false));
    const small = fresh.bars(aapl, q('2026-11-24T15:00:00', 3600, 60, false));
    assert.equal(small.length, 60);
    const start = big.findIndex((b) => b.time === small[0].time);
    assert.ok(start >= 0);
    assert.deepEqual(big.slice(start, start + small.length), small);
  });

  it('aggregates every size from one base series: 5 s -> 1 min -> 5 min -> 1 h -> day -> week', () => {
    const sec5 = market.bars(aapl, q('2026-11-24T15:30:00', 1800, 5));
    const min1 = market.bars(aapl, q('2026-11-24T15:30:00', 1800, 60));
    assert.equal(sec5.length, 360);
    assert.deepEqual(
      fold(sec5, (b) => Math.floor(b.time / 60)),
      withoutWap(min1),
    );

    for (const rth of [true, false]) {
      const minutes = market.bars(aapl, q('2026-11-25T02:00:00', 86_400, 60, rth));
      const five = market.bars(aapl, q('2026-11-25T02:00:00', 86_400, 300, rth));
      const hours = market.bars(aapl, q('2026-11-25T02:00:00', 86_400, 3600, rth));
      assert.equal(minutes.length, rth ? 390 : 960);
      assert.deepEqual(
        fold(minutes, (b) => Math.floor(b.time / 300)),
        withoutWap(five),
      );
      const hourly = fold(minutes, (b) => Math.floor(b.time / 3600));
      assert.deepEqual(hourly, withoutWap(hours));
      if (rth) assert.equal(new Date(hours[0].time * 1000).toISOString(), '2026-11-24T14:30:00.000Z', 'first RTH hour starts at 09:30');
      const day = market.bars(aapl, q('2026-11-25T02:00:00', 86_400, 86_400, rth));
      assert.equal(day.length, 1);
      const folded = fold(minutes, () => 0)[0];
      assert.deepEqual(withoutWap(day)[0], { ...folded, time: day[0].time });
    }

    const days = market.bars(es, q('2026-11-21T00:00:00', 14 * 86_400, 86_400, false));
    const weeks = market.bars(es, q('2026-11-21T00:00:00', 14 * 86_400, 604_800, false));
    assert.equal(days.length, 10);
    assert.deepEqual(
      withoutWap(weeks),
      fold(days, (b) => Math.floor((b.time / 86_400 + 3) / 7), 'last'),
    );
  });

  it('aligns multi-hour bars to local midnight and splits them at session boundaries (futures, forex)', () => {
    // November 2026: Chicago is UTC-6, New York UTC-5. A session starts the evening before its date:
    // shifting by the evening start (17:00 CT = +7 h; 17:15 ET = +6 h 45 min) gives the session date.
    const cases: Array<[Instrument, number, number]> = [
      [es, -6, 7 * 60],
      [eur, -5, 6 * 60 + 45],
    ];
    for (const [inst, offsetHours, shiftMinutes] of cases) {
      const window = q('2026-11-18T20:00:00', 3 * 86_400, 60, false); // from Sunday 15 Nov 20:00Z, before either opens
      const minutes = market.bars(inst, window);
      for (const size of [4 * 3600, 8 * 3600]) {
        const big = market.bars(inst, { ...window, barSizeSeconds: size });
        const key = (b: SimBar): number => {
          const local = b.time + offsetHours * 3600;
          const sessionDay = Math.floor((local + shiftMinutes * 60) / 86_400);
          return Math.floor(local / size) * 100_000 + sessionDay;
        };
        assert.deepEqual(withoutWap(big), fold(minutes, key), `${inst.localSymbol} ${size / 3600} h`);
        for (const b of big) {
          const local = b.time + offsetHours * 3600;
          const onBoundary = local % size === 0;
          assert.ok(
            onBoundary || market.isOpen(inst, b.time * 1000 - 1000, false) === false,
            `${inst.localSymbol} ${new Date(b.time * 1000).toISOString()} starts on a boundary or at a session start`,
          );
        }
      }
    }
  });

  it('folds month bars from the day bars of the window, dated by their last trading day', () => {
    const window = q('2026-11-20T00:00:00', 120 * 86_400, 86_400, true);
    const days = market.bars(aapl, window);
    const months = market.bars(aapl, { ...window, barSizeSeconds: 2_592_000 });
    const monthOf = (b: SimBar): number => {
      const d = new Date((b.time - 5 * 3600) * 1000 + 12 * 3600_000);
      return d.getUTCFullYear() * 12 + d.getUTCMonth();
    };
    assert.equal(months.length, 5);
    assert.deepEqual(withoutWap(months), fold(days, monthOf, 'last'));
  });

  it('derives midpoint, bid, ask and volatility series from the same path', () => {
    const window = q('2026-11-25T16:00:00', 3600, 300);
    const trades = market.bars(aapl, window);
    const mid = market.bars(aapl, { ...window, whatToShow: 'MIDPOINT' });
    const bid = market.bars(aapl, { ...window, whatToShow: 'BID' });
    const ask = market.bars(aapl, { ...window, whatToShow: 'ASK' });
    const vol = market.bars(aapl, { ...window, whatToShow: 'HISTORICAL_VOLATILITY' });
    assert.equal(trades.length, 12);
    for (const [i, t] of trades.entries()) {
      assert.deepEqual([mid[i].open, mid[i].high, mid[i].low, mid[i].close], [t.open, t.high, t.low, t.close]);
      assert.ok(bid[i].close < ask[i].close && bid[i].low < t.low && ask[i].high > t.high);
      assert.equal(mid[i].volume, -1);
      assert.ok(vol[i].low <= vol[i].high && vol[i].low > 0 && vol[i].high < 2);
    }
  });

  it('dates day bars by session, including futures sessions that start the evening before', () => {
    const days = market.bars(es, q('2026-11-25T18:00:00', 7 * 86_400, 86_400, false));
    const schedule = scheduleOf(es);
    const sessions = sessionsBetween(schedule, utc('2026-11-18T18:00:00'), utc('2026-11-25T18:00:00'), false);
    assert.equal(days.length, sessions.length);
    for (const [i, d] of days.entries()) {
      // midnight in Chicago (CST, UTC-6) of the session date
      assert.equal((d.time - 6 * 3600) % 86_400, 0, new Date(d.time * 1000).toISOString());
      const endTime = Math.min(sessions[i].end, utc('2026-11-25T18:00:00'));
      const minutes = market.bars(es, { endTime, durationSeconds: endTime - sessions[i].start, barSizeSeconds: 60, whatToShow: 'TRADES', useRTH: false });
      assert.deepEqual(withoutWap([d])[0], { ...fold(minutes, () => 0)[0], time: d.time });
    }
    const last = days[days.length - 1];
    assert.equal(new Date(last.time * 1000).toISOString(), '2026-11-25T06:00:00.000Z', 'the session still trading is the last, partial, bar');
  });

  it('streams ticks that agree with the bars: last = close of the base bar, bid < ask around it (a currency pair: its mid), on the quote grid', () => {
    for (const inst of [aapl, es, eur, spx, jpy]) {
      const secs = market.bars(inst, q('2026-11-25T16:00:00', 600, 1, true, 'TRADES'));
      assert.equal(secs.length, 600, inst.localSymbol);
      for (let i = 0; i < secs.length; i += 37) {
        const b = secs[i];
        const tick = market.tickAt(inst, b.time * 1000 + 500);
        assert.equal(tick.last, b.close, `${inst.localSymbol} ${i}`);
        assert.ok(tick.bid < tick.ask, 'bid < ask');
        assert.ok(tick.bid <= tick.last && tick.last <= tick.ask, 'last inside the spread');
        const step = inst.quoteTick ?? inst.minTick;
        assert.ok((tick.ask - tick.bid) / step <= (inst.quoteOnly ? 6.0001 : 3.0001), 'a few ticks wide');
        for (const x of [tick.bid, tick.ask, tick.last, b.open, b.high, b.low, b.close]) assert.ok(onTick(x, step), `${x} on ${step}`);
        // a currency pair has no trades: its path is the book's mid, as its MIDPOINT bars are
        if (inst.quoteOnly)
          assert.ok(Math.abs((tick.bid + tick.ask) / 2 - tick.last) < step / 100, `${inst.localSymbol}: mid ${(tick.bid + tick.ask) / 2} = ${tick.last}`);
      }
      const minute = market.bars(inst, q('2026-11-25T16:00:00', 60, 60));
      assert.equal(market.tickAt(inst, Date.parse('2026-11-25T15:59:59.999Z')).last, minute[0].close);
    }
  });

  it('grows volume through the session: tick volume is the sum of the bars so far', () => {
    const session = market.bars(aapl, q('2026-11-25T17:00:00', 13 * 3600, 60, false));
    let cumulative = 0;
    let previous = -1;
    for (let i = 0; i < session.length; i += 41) {
      cumulative = session.slice(0, i + 1).reduce((s, b) => s + b.volume, 0);
      const tick = market.tickAt(aapl, (session[i].time + 59) * 1000);
      assert.equal(tick.volume, cumulative);
      assert.ok(tick.volume >= previous);
      previous = tick.volume;
    }
    assert.ok(cumulative > 0);
    const stats = market.sessionStats(aapl, Date.parse('2026-11-25T17:00:00Z') - 1);
    assert.equal(
      stats.volume,
      session.reduce((s, b) => s + b.volume, 0),
    );
    assert.equal(stats.high, Math.max(...session.map((b) => b.high)));
    assert.equal(stats.low, Math.min(...session.map((b) => b.low)));
    const rthFirst = market.bars(aapl, q('2026-11-25T14:31:00', 60, 60));
    assert.equal(stats.open, rthFirst[0].open, 'open is the regular session open');
    const prevDay = market.bars(aapl, q('2026-11-24T23:00:00', 86_400, 86_400, true));
    assert.equal(stats.prevClose, prevDay[0].close, 'previous close is the last regular-hours close');
    // IB's OPEN tick before the open "will refer to previous day": in the pre-market, the day before's regular open
    const preMarket = market.sessionStats(aapl, Date.parse('2026-11-25T12:00:00Z'));
    assert.equal(preMarket.open, prevDay[0].open, "7:00 in New York: the open is Tuesday's");
    assert.notEqual(preMarket.open, market.bars(aapl, q('2026-11-25T09:01:00', 60, 60, false))[0].open, 'not the first pre-market trade');
    for (const inst of [aapl, es]) {
      for (const iso of ['2026-11-25T14:30:17.250', '2026-11-25T16:45:59.999', '2026-11-25T09:12:03']) {
        const at = Date.parse(`${iso}Z`);
        const now = market.sessionStats(inst, at);
        const tick = market.tickAt(inst, at);
        assert.equal(now.volume, tick.volume, `${inst.localSymbol} ${iso}`);
        assert.ok(now.low <= tick.last && tick.last <= now.high);
        const secs = market.bars(inst, { endTime: Math.floor(at / 1000) + 1, durationSeconds: 60, barSizeSeconds: 1, whatToShow: 'TRADES', useRTH: false });
        assert.ok(
          secs.every((b) => b.high <= now.high && b.low >= now.low),
          'the last minute is inside the session range',
        );
      }
    }
    for (const inst of [spx]) {
      assert.ok(
        market.bars(inst, q('2026-11-25T16:00:00', 3600, 60)).every((b) => b.volume === 0),
        'an index has no volume',
      );
    }
    assert.ok(market.bars(eur, q('2026-11-25T16:00:00', 3600, 60, true, 'MIDPOINT')).every((b) => b.volume === -1 && b.count === -1));
  });

  it('keeps useRTH bars inside regular hours and extended bars inside the session', () => {
    const check = (m: Market, inst: Instrument, rth: boolean): void => {
      const bars = m.bars(inst, q('2026-11-25T17:00:00', 7 * 86_400, 1800, rth));
      assert.ok(bars.length > 0);
      for (const b of bars) assert.equal(m.isOpen(inst, b.time * 1000, rth), true, `${inst.localSymbol} ${new Date(b.time * 1000).toISOString()} rth=${rth}`);
      const times = bars.map((b) => b.time);
      assert.deepEqual(
        [...times].sort((x, y) => x - y),
        times,
        'oldest first',
      );
      assert.equal(new Set(times).size, times.length, 'no duplicate bar times');
    };
    for (const inst of [aapl, es, eur]) for (const rth of [true, false]) check(market, inst, rth);
    const rthOnly = market.bars(aapl, q('2026-11-25T17:00:00', 7 * 86_400, 1800, true)).length;
    const extended = market.bars(aapl, q('2026-11-25T17:00:00', 7 * 86_400, 1800, false)).length;
    assert.ok(extended > rthOnly);
  });

  it('moves index futures with their index from day to day', () => {
    const window = q('2026-11-21T00:00:00', 30 * 86_400, 86_400, false);
    const index = market.bars(spx, window);
    const future = market.bars(es, window);
    assert.equal(future.length, index.length);
    for (const [i, f] of future.entries()) {
      const ratio = f.close / index[i].close;
      assert.ok(ratio > 0.995 && ratio < 1.04, `ES/SPX close ratio ${ratio} on ${new Date(f.time * 1000).toISOString()}`);
    }
  });

  it('starts history at the head timestamp', () => {
    const fut = u.match({ symbol: 'ES', secType: 'FUT' }).at(-1)!;
    const head = market.headTimestamp(fut, 'TRADES');
    assert.equal(market.isOpen(fut, head * 1000, false), true);
    const around = market.bars(fut, { endTime: head + 10 * 86_400, durationSeconds: 30 * 86_400, barSizeSeconds: 86_400, whatToShow: 'TRADES', useRTH: false });
    assert.ok(around.length > 0);
    assert.ok(
      around.every((b) => b.time + 86_400 > head),
      'nothing before the head timestamp',
    );
    assert.deepEqual(
      market.bars(fut, { endTime: head - 86_400, durationSeconds: 30 * 86_400, barSizeSeconds: 86_400, whatToShow: 'TRADES', useRTH: false }),
      [],
    );
  });

  it("starts a stock's history where it listed: AAPL in December 1980, META in May 2012", () => {
    const day = (i: Instrument): string => new Date(market.headTimestamp(i, 'TRADES') * 1000).toISOString().slice(0, 10);
    assert.equal(day(aapl), '1980-12-12');
    assert.equal(day(one({ symbol: 'META', secType: 'STK', currency: 'USD' })), '2012-05-18');
  });

  it('keeps long requests bounded and prices plausible over years', () => {
    const year = market.bars(aapl, q('2026-11-25T21:00:00', 365 * 86_400, 86_400));
    assert.ok(year.length >= 248 && year.length <= 253, `${year.length} sessions in a year`);
    for (const b of year) {
      assert.ok(b.low <= Math.min(b.open, b.close) && b.high >= Math.max(b.open, b.close));
      assert.ok(b.low > aapl.basePrice / 4 && b.high < aapl.basePrice * 4, `${b.low}..${b.high}`);
      assert.ok(b.volume > 0);
    }
    const minutes = market.bars(es, q('2026-11-25T21:00:00', 80 * 86_400, 60, false));
    assert.ok(minutes.length > 50_000, `${minutes.length} minute bars`);
  });
});
