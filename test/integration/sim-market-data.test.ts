/**
 * Streaming and snapshot quotes from the simulator through @stoqey/ib:
 * message order, live and delayed tick types, frozen markets, cancels, the
 * market-data line limit and the firehose.
 */
import { strict as assert } from 'node:assert';
import { EventName, IBApi, MarketDataType, SecType, type Contract } from '@stoqey/ib';
import { TickType } from '@stoqey/ib/dist/api/market/tickType';
import { connectApi, connectApiNext, startSim, type ApiClient, type StartedSim } from './support/sim';
import { quietFor, waitUntil } from '../support/wait';
import { fakeTime, type FakeTime } from '../support/fake-time';

const TUESDAY_11_ET = Date.parse('2026-11-24T16:00:00Z');
const SATURDAY = Date.parse('2026-11-28T16:00:00Z');
const AAPL: Contract = { symbol: 'AAPL', secType: SecType.STK, exchange: 'SMART', currency: 'USD' };
const MSFT: Contract = { symbol: 'MSFT', secType: SecType.STK, exchange: 'SMART', currency: 'USD' };
const SPY: Contract = { symbol: 'SPY', secType: SecType.STK, exchange: 'SMART', currency: 'USD' };
const SHOP_TSE: Contract = { symbol: 'SHOP', secType: SecType.STK, exchange: 'SMART', currency: 'CAD' };
const EURUSD: Contract = { symbol: 'EUR', secType: SecType.CASH, exchange: 'IDEALPRO', currency: 'USD' };

type Event = { name: string; reqId: number; field: number; value: unknown };

/** Records every market-data event of an IBApi in arrival order. */
function record(api: IBApi): Event[] {
  const events: Event[] = [];
  api.on(EventName.tickPrice, (reqId: number, field: number, value: number) => events.push({ name: 'price', reqId, field, value }));
  api.on(EventName.tickSize, (reqId: number, field?: number, value?: number) => events.push({ name: 'size', reqId, field: field ?? -1, value }));
  api.on(EventName.tickString, (reqId: number, field: number, value: string) => events.push({ name: 'string', reqId, field, value }));
  api.on(EventName.tickReqParams, (reqId: number) => events.push({ name: 'params', reqId, field: -1, value: undefined }));
  api.on(EventName.marketDataType, (reqId: number, type: number) => events.push({ name: 'type', reqId, field: -1, value: type }));
  api.on(EventName.tickSnapshotEnd, (reqId: number) => events.push({ name: 'end', reqId, field: -1, value: undefined }));
  return events;
}

describe('sim: market data', () => {
  let sim: StartedSim;
  /** The simulator's clock: streams tick as the test advances it. */
  let time: FakeTime;
  const clients: ApiClient[] = [];

  beforeEach(() => {
    time = fakeTime();
  });

  async function client(id: number, start = TUESDAY_11_ET, extra: Parameters<typeof startSim>[0] = {}): Promise<ApiClient> {
    if (!sim) sim = await startSim({ clock: { start }, tickIntervalMs: 40, scheduler: time.scheduler, ...extra });
    const c = await connectApi(sim.port, id);
    clients.push(c);
    return c;
  }

  afterEach(async () => {
    for (const c of clients.splice(0)) {
      c.assertClean();
      await c.disconnect();
    }
    await sim?.stop();
    sim = undefined as unknown as StartedSim;
  });

  it('streams: MARKET_DATA_TYPE then TICK_REQ_PARAMS first (as recorded), then bid/ask/last with sizes, last time, volume, high/low/close/open, then updates', async () => {
    const c = await client(1);
    const events = record(c.api);
    c.api.reqMktData(5, AAPL, '', false, false);
    await time.advanceUntil('three bid updates', () => events.filter((e) => e.name === 'price' && e.field === TickType.BID).length >= 3);
    assert.equal(events[0].name, 'type');
    assert.equal(events[0].value, 1);
    assert.equal(events[1].name, 'params');
    const fields = new Set(events.filter((e) => e.name === 'price' || e.name === 'size' || e.name === 'string').map((e) => e.field));
    for (const f of [
      TickType.BID,
      TickType.ASK,
      TickType.LAST,
      TickType.BID_SIZE,
      TickType.ASK_SIZE,
      TickType.LAST_SIZE,
      TickType.VOLUME,
      TickType.HIGH,
      TickType.LOW,
      TickType.CLOSE,
      TickType.OPEN,
      TickType.LAST_TIMESTAMP,
    ]) {
      assert.ok(fields.has(f), `tick type ${f} missing`);
    }
    const bids = events.filter((e) => e.field === TickType.BID).map((e) => e.value as number);
    const asks = events.filter((e) => e.field === TickType.ASK).map((e) => e.value as number);
    assert.ok(bids[0] > 0 && asks[0] > bids[0], `bid ${bids[0]} < ask ${asks[0]}`);
    const stamp = Number(events.find((e) => e.field === TickType.LAST_TIMESTAMP)!.value);
    assert.ok(Math.abs(stamp - TUESDAY_11_ET / 1000) < 60, `last trade time ${stamp} is the simulated time`);
    assert.deepEqual(sim.server.activeMarketData(), [{ clientId: 1, reqId: 5, conId: 265598 }]);
    assert.ok(events.every((e) => e.reqId === 5));
  });

  it('gives the same first quote for the same seed and instant, and another for another seed', async () => {
    const firstBid = async (seed: number): Promise<number> => {
      const s = await startSim({ seed, clock: { start: TUESDAY_11_ET, speed: 0.000001 } });
      const c = await connectApi(s.port, 1);
      const events = record(c.api);
      c.api.reqMktData(1, AAPL, '', true, false);
      await waitUntil('events.some((e) => e.name === "end"', () => events.some((e) => e.name === 'end'));
      c.assertClean();
      await c.disconnect();
      await s.stop();
      return events.find((e) => e.field === TickType.BID)!.value as number;
    };
    const a = await firstBid(42);
    const b = await firstBid(42);
    const other = await firstBid(7);
    assert.equal(a, b);
    assert.notEqual(a, other);
  });

  it('stops a line on CANCEL_MKT_DATA', async () => {
    const c = await client(1);
    const events = record(c.api);
    c.api.reqMktData(8, AAPL, '', false, false);
    await time.advanceUntil('a line with ticks', () => sim.server.activeMarketData().length === 1 && events.length > 5);
    c.api.cancelMktData(8);
    await waitUntil('sim.server.activeMarketData().length === 0', () => sim.server.activeMarketData().length === 0);
    const count = events.length;
    await time.advance(500);
    assert.equal(events.length, count, 'no ticks after the cancel');
  });

  it('answers a snapshot with one full quote and TICK_SNAPSHOT_END, and keeps no line open', async () => {
    const c = await client(1);
    const events = record(c.api);
    c.api.reqMktData(9, MSFT, '', true, false);
    await waitUntil('events.some((e) => e.name === "end"', () => events.some((e) => e.name === 'end'));
    assert.equal(events[events.length - 1].name, 'end');
    assert.ok(events.some((e) => e.field === TickType.BID) && events.some((e) => e.field === TickType.LAST));
    assert.equal(sim.server.activeMarketData().length, 0);
    const next = await connectApiNext(sim.port, 2);
    try {
      const snap = await next.api.getMarketDataSnapshot(SPY, '', false);
      const bid = snap.get(TickType.BID)?.value;
      const ask = snap.get(TickType.ASK)?.value;
      assert.ok(bid !== undefined && ask !== undefined && bid < ask, `snapshot bid ${bid} ask ${ask}`);
      next.assertClean();
    } finally {
      next.disconnect();
    }
  });

  it('refuses an instrument without a live subscription with 354 unless delayed data is asked for', async () => {
    const c = await client(1);
    const events = record(c.api);
    c.api.reqMktData(3, SHOP_TSE, '', false, false);
    const e = await c.waitFor(354, 3);
    assert.match(e.message, /not subscribed/);
    await quietFor(100);
    assert.equal(events.filter((ev) => ev.name === 'price').length, 0);
    assert.equal(sim.server.activeMarketData().length, 0);
  });

  it('sends delayed data under the delayed tick types with 10167 when delayed data is asked for', async () => {
    const c = await client(1);
    const events = record(c.api);
    c.api.reqMarketDataType(MarketDataType.DELAYED);
    c.api.reqMktData(4, SHOP_TSE, '', false, false);
    await c.waitFor(10167, 4);
    await waitUntil('events.some((e) => e.field === TickType.DELAYED_BID', () => events.some((e) => e.field === TickType.DELAYED_BID));
    const types = events.filter((e) => e.reqId === 4 && e.name === 'type').map((e) => e.value);
    assert.deepEqual(types, [3]);
    const priceFields = events.filter((e) => e.reqId === 4 && (e.name === 'price' || e.name === 'size')).map((e) => e.field);
    assert.ok(
      priceFields.every((f) => f >= 66 && f <= 90),
      `only delayed tick types: ${priceFields}`,
    );
    // a subscribed instrument still streams live data under delayed mode
    c.api.reqMktData(6, AAPL, '', false, false);
    await time.advanceUntil('a live AAPL bid', () => events.some((e) => e.reqId === 6 && e.field === TickType.BID));
  });

  it('sends frozen last values once when the market is closed (type 2), and nothing after', async () => {
    const c = await client(1, SATURDAY);
    const events = record(c.api);
    c.api.reqMarketDataType(MarketDataType.FROZEN);
    c.api.reqMktData(2, AAPL, '', false, false);
    await waitUntil('events.some((e) => e.field === TickType.OPEN', () => events.some((e) => e.field === TickType.OPEN));
    assert.deepEqual(
      events.filter((e) => e.reqId === 2 && e.name === 'type').map((e) => e.value),
      [2],
    );
    const count = events.length;
    await time.advance(1000, { stepMs: 100 });
    assert.equal(events.length, count, 'nothing after the frozen values, however long the line stays open');
    assert.equal(events.filter((e) => e.field === TickType.BID).length, 1);
  });

  it("a live line on a closed market has no book (IB's -1 bid and ask, sizes 0); the last trade and the close still come", async () => {
    const c = await client(1, SATURDAY);
    const events = record(c.api);
    c.api.reqMktData(2, AAPL, '', false, false);
    c.api.reqMktData(3, EURUSD, '', false, false);
    await waitUntil('both lines have their close', () => [2, 3].every((id) => events.some((e) => e.reqId === id && e.field === TickType.CLOSE)));
    for (const id of [2, 3]) {
      const values = (field: number) => events.filter((e) => e.reqId === id && e.field === field).map((e) => e.value);
      assert.deepEqual(values(TickType.BID), [-1], `line ${id}: no bid`);
      assert.deepEqual(values(TickType.ASK), [-1], `line ${id}: no ask`);
      assert.ok(values(TickType.BID_SIZE).every((v) => v === 0) && values(TickType.ASK_SIZE).every((v) => v === 0), `line ${id}: no sizes`);
      assert.ok((values(TickType.CLOSE)[0] as number) > 0, `line ${id}: its close`);
    }
    assert.ok((events.find((e) => e.reqId === 2 && e.field === TickType.LAST)?.value as number) > 0, "AAPL's last trade");
    assert.deepEqual(
      events.filter((e) => e.name === 'type').map((e) => e.value),
      [1, 1],
      'live, as IB marks them',
    );
  });

  it('a live stock line open across the 20:00 close loses its book at the close, and then hears nothing', async () => {
    const c = await client(1, Date.parse('2026-11-25T00:59:50Z')); // Tuesday 19:59:50 in New York
    const events = record(c.api);
    c.api.reqMktData(2, AAPL, '', false, false);
    await waitUntil('a bid', () => events.some((e) => e.field === TickType.BID));
    assert.ok((events.find((e) => e.field === TickType.BID)!.value as number) > 0, 'a book before the close');
    await time.advanceUntil('the bid gone at the close', () => events.some((e) => e.field === TickType.BID && e.value === -1), { stepMs: 100 });
    assert.ok(
      events.some((e) => e.field === TickType.ASK && e.value === -1),
      'the ask too',
    );
    const count = events.length;
    await time.advance(2000, { stepMs: 100 });
    assert.equal(events.length, count, 'nothing more while the market stays closed');
  });

  it('streams forex quotes without trades', async () => {
    const c = await client(1);
    const events = record(c.api);
    c.api.reqMktData(7, EURUSD, '', true, false);
    await waitUntil('events.some((e) => e.name === "end"', () => events.some((e) => e.name === 'end'));
    const bid = events.find((e) => e.field === TickType.BID)?.value as number;
    assert.ok(bid > 0.5 && bid < 2, `EUR.USD bid ${bid}`);
    assert.ok(!events.some((e) => e.field === TickType.LAST));
  });

  it('refuses an unknown contract (200) and a duplicate ticker id (322)', async () => {
    const c = await client(1);
    c.api.reqMktData(11, { symbol: 'NOSUCH', secType: SecType.STK, exchange: 'SMART', currency: 'USD' }, '', false, false);
    assert.match((await c.waitFor(200, 11)).message, /No security definition/);
    c.api.reqMktData(12, AAPL, '', false, false);
    c.api.reqMktData(12, MSFT, '', false, false);
    await c.waitFor(322, 12);
    assert.equal(sim.server.activeMarketData().length, 1);
  });

  it('enforces the market-data line limit of the account (101), across clients', async () => {
    const a = await client(1, TUESDAY_11_ET, { limits: { maxMarketDataLines: 2 } });
    const b = await client(2);
    a.api.reqMktData(1, AAPL, '', false, false);
    b.api.reqMktData(1, MSFT, '', false, false);
    await waitUntil('sim.server.activeMarketData().length === 2', () => sim.server.activeMarketData().length === 2);
    b.api.reqMktData(2, SPY, '', false, false);
    assert.match((await b.waitFor(101, 2)).message, /Max number of tickers/);
    const events = record(b.api);
    b.api.reqMktData(3, SPY, '', true, false);
    await waitUntil('events.some((e) => e.name === "end" && e.reqId === 3', () => events.some((e) => e.name === 'end' && e.reqId === 3));
    a.api.cancelMktData(1);
    await waitUntil('sim.server.activeMarketData().length === 1', () => sim.server.activeMarketData().length === 1);
    b.api.reqMktData(4, SPY, '', false, false);
    await waitUntil('sim.server.activeMarketData().length === 2', () => sim.server.activeMarketData().length === 2);
  });

  it('streams through IBApiNext.getMarketData without decoding errors', async () => {
    sim = await startSim({ clock: { start: TUESDAY_11_ET }, tickIntervalMs: 30, scheduler: time.scheduler });
    const next = await connectApiNext(sim.port, 3);
    try {
      const updates: number[] = [];
      const sub = next.api.getMarketData(AAPL, '', false, false).subscribe({
        next: (u) => {
          const bid = u.all.get(TickType.BID)?.value;
          if (bid !== undefined) updates.push(bid);
        },
      });
      await time.advanceUntil('five bid updates', () => updates.length >= 5);
      sub.unsubscribe();
      await waitUntil('sim.server.activeMarketData().length === 0', () => sim.server.activeMarketData().length === 0);
      next.assertClean();
    } finally {
      next.disconnect();
    }
  });

  it('firehose (tickIntervalMs 0): streams as fast as the client reads, and stops on cancel', async () => {
    const c = await client(1, TUESDAY_11_ET, { tickIntervalMs: 0 });
    let ticks = 0;
    c.api.on(EventName.tickPrice, () => ticks++);
    c.api.reqMktData(1, AAPL, '', false, false);
    await waitUntil('5000 ticks', () => ticks > 5000, 10_000);
    c.api.cancelMktData(1);
    await waitUntil('sim.server.activeMarketData().length === 0', () => sim.server.activeMarketData().length === 0);
    // what was in the socket buffers when the line ended still lands: wait until the count holds still for 50 ms
    let seen = ticks;
    let stillSince = Date.now();
    await waitUntil('the ticks in flight landed', () => {
      if (ticks !== seen) [seen, stillSince] = [ticks, Date.now()];
      return Date.now() - stillSince >= 50 || undefined;
    });
    const after = ticks;
    await quietFor(150);
    assert.equal(ticks, after, 'no ticks after the cancel');
  });
});
