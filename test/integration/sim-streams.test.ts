/**
 * Streams jax services use: real-time 5-second bars (REAL_TIME_BARS) and
 * tick-by-tick data (Last, AllLast, BidAsk, MidPoint; TICK_BY_TICK), at server
 * versions 157, 178 and 193, decoded by @stoqey/ib over TCP with no 505 and
 * checked against the simulator's own market model (same seed); plus the
 * keepUpToDate pace and a book that never crosses.
 */
import { strict as assert } from 'node:assert';
import { EventName, SecType, TickByTickDataType, WhatToShow, type Contract } from '@stoqey/ib';
import { createMarket, createUniverse } from '../../src/sim/market';
import { connectApi, startSim, type ApiClient, type StartedSim } from './support/sim';
import { marketTime, simClockAt } from '../support/market-times';
import { fakeTime, type FakeTime } from '../support/fake-time';

const AAPL: Contract = { conId: 265598, exchange: 'SMART' };
const TSLA: Contract = { conId: 76792991, exchange: 'SMART' };
const EURUSD: Contract = { symbol: 'EUR', secType: SecType.CASH, exchange: 'IDEALPRO', currency: 'USD' };
const START = marketTime('regularSession');
const market = createMarket({ seed: 42, universe: createUniverse({ now: START }) });
const aapl = market.universe.byConId(265598)!;

for (const version of [157, 178, 193]) {
  describe(`sim at server version ${version}: real-time bars and tick-by-tick`, function () {
    this.timeout(30_000);
    let sim: StartedSim;
    let c: ApiClient;
    let time: FakeTime;
    before(async () => {
      // 40x on a fake clock the test advances: a 5-second bar every 125 ms of it, no real wait.
      time = fakeTime();
      // the streams are the point, not the message rate: no 40-a-second client queue, no gateway rate limit
      sim = await startSim({
        clock: simClockAt('regularSession', 40),
        serverVersion: version,
        tickIntervalMs: 40,
        scheduler: time.scheduler,
        limits: { messagesPerSecond: 0 },
      });
      c = await connectApi(sim.port, 1, { maxReqPerSec: 1000 });
    });
    after(async () => {
      c.assertClean();
      await c.disconnect();
      await sim.stop();
    });

    it(`streams 5-second bars as they complete, equal to the model's, volume ${version >= 175 ? 'in shares' : 'in lots of 100'}`, async () => {
      const bars: Array<{ time: number; open: number; high: number; low: number; close: number; volume: number; wap: number; count: number }> = [];
      c.api.on(
        EventName.realtimeBar,
        (id: number, time: number, open: number, high: number, low: number, close: number, volume: number, wap: number, count: number) => {
          if (id === 1) bars.push({ time, open, high, low, close, volume, wap, count });
        },
      );
      c.api.reqRealTimeBars(1, AAPL, 5, WhatToShow.TRADES, false);
      await time.advanceUntil('three real-time bars', () => bars.length >= 3);
      assert.deepEqual(sim.server.activeLines('realTimeBars'), [{ clientId: 1, reqId: 1, conId: 265598 }]);
      c.api.cancelRealTimeBars(1);
      await time.advanceUntil('the subscription to end', () => sim.server.activeLines('realTimeBars').length === 0);
      for (let i = 0; i < bars.length; i++) {
        const b = bars[i];
        assert.equal(b.time % 5, 0);
        if (i > 0) assert.equal(b.time - bars[i - 1].time, 5, 'consecutive');
        const [m] = market.bars(aapl, { endTime: b.time + 5, durationSeconds: 5, barSizeSeconds: 5, whatToShow: 'TRADES', useRTH: false });
        assert.deepEqual(
          { ...b, volume: b.volume },
          {
            time: m.time,
            open: m.open,
            high: m.high,
            low: m.low,
            close: m.close,
            volume: version >= 175 ? m.volume : Math.round(m.volume / 100),
            wap: m.wap,
            count: m.count,
          },
        );
      }
    });

    it('refuses TRADES real-time bars for forex with 321 under the request id, serves MIDPOINT', async () => {
      c.api.reqRealTimeBars(2, EURUSD, 5, WhatToShow.TRADES, false);
      assert.match((await c.waitFor(321, 2)).message, /What to show field is missing or incorrect/);
      let mid = 0;
      c.api.on(EventName.realtimeBar, (id: number, _t: number, open: number, _h: number, _l: number, _c: number, volume: number) => {
        if (id === 3 && open > 1 && open < 2 && volume === -1) mid++;
      });
      c.api.reqRealTimeBars(3, EURUSD, 5, WhatToShow.MIDPOINT, false);
      await time.advanceUntil('a forex midpoint bar', () => mid > 0);
      c.api.cancelRealTimeBars(3);
      c.errors.length = 0;
    });

    it('streams tick-by-tick Last, AllLast, BidAsk and MidPoint with the layout of IB decoders', async () => {
      const last: Array<{ type: number; time: number; price: number; size: number; exchange: string }> = [];
      const quotes: Array<{ time: number; bid: number; ask: number; bidSize: number; askSize: number }> = [];
      const mids: Array<{ time: number; mid: number }> = [];
      c.api.on(EventName.tickByTickAllLast, (id: number, type: number, time: string, price: number, size: number, _a: unknown, exchange: string) => {
        if (id === 10 || id === 11) last.push({ type, time: Number(time), price, size, exchange });
      });
      c.api.on(EventName.tickByTickBidAsk, (id: number, time: number, bid: number, ask: number, bidSize: number, askSize: number) => {
        if (id === 12) quotes.push({ time: Number(time), bid, ask, bidSize, askSize });
      });
      c.api.on(EventName.tickByTickMidPoint, (id: number, time: number, mid: number) => {
        if (id === 13) mids.push({ time: Number(time), mid });
      });
      c.api.reqTickByTickData(10, AAPL, TickByTickDataType.Last, 0, false);
      c.api.reqTickByTickData(11, AAPL, TickByTickDataType.AllLast, 0, false);
      c.api.reqTickByTickData(12, AAPL, TickByTickDataType.BidAsk, 0, false);
      c.api.reqTickByTickData(13, AAPL, TickByTickDataType.MidPoint, 0, false);
      await time.advanceUntil(
        'ticks of every kind',
        () => last.filter((t) => t.type === 1).length >= 3 && last.filter((t) => t.type === 2).length >= 3 && quotes.length >= 3 && mids.length >= 3,
      );
      assert.equal(sim.server.activeLines('tickByTick').length, 4);
      for (const id of [10, 11, 12, 13]) c.api.cancelTickByTickData(id);
      await time.advanceUntil('the subscriptions to end', () => sim.server.activeLines('tickByTick').length === 0);
      for (const t of last) {
        assert.ok(Math.abs(t.time * 1000 - START) < 10 * 60_000, 'epoch seconds near the clock');
        assert.equal(t.price, market.tickAt(aapl, t.time * 1000 + 999).last, 'the trade the model has at that second');
        assert.ok(t.size > 0 && t.exchange === 'NASDAQ');
      }
      for (const q of quotes) assert.ok(q.bid < q.ask && q.bidSize >= 100 && q.askSize >= 100, JSON.stringify(q));
      for (const m of mids) assert.ok(m.mid > 0 && Number.isFinite(m.mid));
    });

    it('streams forex BidAsk in base-currency units, and refuses forex Last under its request id', async () => {
      const quotes: number[] = [];
      c.api.on(EventName.tickByTickBidAsk, (id: number, _t: number, _b: number, _a: number, bidSize: number) => {
        if (id === 20) quotes.push(bidSize);
      });
      c.api.reqTickByTickData(20, EURUSD, TickByTickDataType.BidAsk, 0, false);
      await time.advanceUntil('forex quotes', () => quotes.length >= 2);
      assert.ok(
        quotes.every((s) => s >= 100_000 && s % 100_000 === 0),
        JSON.stringify(quotes),
      );
      c.api.cancelTickByTickData(20);
      c.api.reqTickByTickData(21, EURUSD, TickByTickDataType.Last, 0, false);
      await c.waitFor(321, 21);
      c.errors.length = 0;
    });
  });
}

describe('sim: live updates at the pace of trades, and a book that never crosses', function () {
  this.timeout(30_000);
  let sim: StartedSim;
  let c: ApiClient;
  let time: FakeTime;
  before(async () => {
    time = fakeTime();
    sim = await startSim({ clock: simClockAt('regularSession', 10), tickIntervalMs: 20, limits: { historicalPacing: false }, scheduler: time.scheduler });
    c = await connectApi(sim.port, 1);
  });
  after(async () => {
    c.assertClean();
    await c.disconnect();
    await sim.stop();
  });

  it('sends keepUpToDate updates as trades change the forming bar: the same bar date repeats, never an unchanged bar twice', async () => {
    const updates: Array<{ date: string; close: number; volume: number; count: number }> = [];
    c.api.on(
      EventName.historicalDataUpdate,
      (id: number, date: string, _o: number, _h: number, _l: number, close: number, volume: number, count: number | undefined) => {
        if (id === 30) updates.push({ date, close, volume, count: count ?? 0 });
      },
    );
    c.api.reqHistoricalData(30, AAPL, '', '1800 S', '1 min' as never, WhatToShow.TRADES, 1, 2, true);
    await time.advanceUntil('a dozen updates', () => updates.length >= 12);
    c.api.cancelHistoricalData(30);
    const first = updates.filter((u) => u.date === updates[updates.length - 1].date);
    assert.ok(first.length >= 3, `the forming bar repeats its date: ${JSON.stringify(updates.map((u) => u.date))}`);
    for (let i = 1; i < updates.length; i++) {
      const [a, b] = [updates[i - 1], updates[i]];
      assert.ok(!(a.date === b.date && a.close === b.close && a.volume === b.volume && a.count === b.count), 'no repeat of an unchanged bar');
      if (a.date === b.date) assert.ok(b.volume >= a.volume, 'volume grows while the bar forms');
    }
  });

  it('never shows a crossed book: bid stays below ask after every tick of a fast-moving stock', async () => {
    let bid: number | undefined;
    let ask: number | undefined;
    let checks = 0;
    const crossed: string[] = [];
    c.api.on(EventName.tickPrice, (id: number, type: number, price: number) => {
      if (id !== 40) return;
      if (type === 1) bid = price;
      else if (type === 2) ask = price;
      else return;
      if (bid !== undefined && ask !== undefined) {
        checks++;
        if (bid >= ask) crossed.push(`${bid} >= ${ask}`);
      }
    });
    c.api.reqMktData(40, TSLA, '', false, false);
    await time.advanceUntil('150 quote changes', () => checks >= 150, { stepMs: 100 });
    c.api.cancelMktData(40);
    assert.deepEqual(crossed, []);
  });
});
