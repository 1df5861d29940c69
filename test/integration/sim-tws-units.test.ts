/**
 * The simulator means what real TWS means, at the server versions clients
 * negotiate (157: the oldest; 178: ib_insync/ib_async; 193: @stoqey/ib), per
 * the TWS facts note (docs/real-tws-facts.md): sizes and volumes in
 * TWS's units, bar dates in TWS's formats. Proven through @stoqey/ib over TCP
 * against the simulator's own market model (same seed), with no 505.
 */
import { strict as assert } from 'node:assert';
import { EventName, SecType, type Contract } from '@stoqey/ib';
import { createMarket, createUniverse } from '../../src/sim/market';
import { startUnpaced, type ApiClient, type StartedSim } from './support/sim';
import { marketTime } from '../support/market-times';

const AAPL: Contract = { conId: 265598, exchange: 'SMART' };
const EURUSD: Contract = { symbol: 'EUR', secType: SecType.CASH, exchange: 'IDEALPRO', currency: 'USD' };
const START = marketTime('regularSession'); // Tuesday 10:00 New York
const market = createMarket({ seed: 42, universe: createUniverse({ now: START }) });
const aapl = market.universe.byConId(265598)!;

interface Bar {
  date: string;
  volume: number;
}

function history(
  c: ApiClient,
  reqId: number,
  contract: Contract,
  end: string,
  duration: string,
  bar: string,
  what: string,
  formatDate: number,
): Promise<{ bars: Bar[]; marker: string }> {
  return new Promise((resolve, reject) => {
    const bars: Bar[] = [];
    const onBar = (id: number, date: string, _o: number, _h: number, _l: number, _c: number, volume: number): void => {
      if (id !== reqId) return;
      if (date.startsWith('finished')) {
        c.api.off(EventName.historicalData, onBar);
        resolve({ bars, marker: date });
      } else bars.push({ date, volume });
    };
    c.api.on(EventName.historicalData, onBar);
    c.api.once(EventName.error, (e: Error, code: number, id: number) => {
      if (id === reqId && code !== 2174) reject(new Error(`${code} ${e.message}`));
    });
    c.api.reqHistoricalData(reqId, contract, end, duration, bar as never, what as never, 1, formatDate, false);
  });
}

/** The ticks of one market-data line until `enough` says so. */
function ticks(
  c: ApiClient,
  reqId: number,
  contract: Contract,
  generic: string,
  enough: (sizes: Map<number, number>, strings: Map<number, string>, generics: Map<number, number>) => boolean,
): Promise<{ sizes: Map<number, number>; strings: Map<number, string>; generics: Map<number, number> }> {
  const sizes = new Map<number, number>();
  const strings = new Map<number, string>();
  const generics = new Map<number, number>();
  return new Promise((resolve, reject) => {
    const onSize = (id: number, type?: number, size?: number): void => {
      if (id !== reqId) return;
      if (type !== undefined && size !== undefined) sizes.set(type, size);
      check();
    };
    const onString = (id: number, type: number, value: string): void => {
      if (id !== reqId) return;
      strings.set(type, value);
      check();
    };
    const onGeneric = (id: number, type: number, value: number): void => {
      if (id !== reqId) return;
      generics.set(type, value);
      check();
    };
    const stop = (): void => {
      clearTimeout(timer);
      c.api.off(EventName.tickSize, onSize);
      c.api.off(EventName.tickString, onString);
      c.api.off(EventName.tickGeneric, onGeneric);
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`not enough ticks: ${JSON.stringify([...sizes, ...strings, ...generics])}`));
    }, 10_000);
    // once: a listener left behind would cancel again on every later tick and queue up behind the client's send limit
    const check = (): void => {
      if (!enough(sizes, strings, generics)) return;
      stop();
      c.api.cancelMktData(reqId);
      resolve({ sizes, strings, generics });
    };
    c.api.on(EventName.tickSize, onSize);
    c.api.on(EventName.tickString, onString);
    c.api.on(EventName.tickGeneric, onGeneric);
    c.api.reqMktData(reqId, contract, generic, false, false);
  });
}

for (const version of [157, 178, 193]) {
  describe(`sim at server version ${version}: TWS's units and dates`, function () {
    this.timeout(30_000);
    let sim: StartedSim;
    let c: ApiClient;
    before(async () => {
      ({ sim, client: c } = await startUnpaced(version));
      assert.equal(c.api.serverVersion, version);
    });
    after(async () => {
      c.assertClean();
      await c.disconnect();
      await sim.stop();
    });

    it(`sends US stock volume (8, 21) in lots of 100, and bid/ask/last sizes (0, 3, 5) in ${version >= 159 ? 'shares' : 'lots (before 159)'}`, async () => {
      const before = market.sessionStats(aapl, START).volume;
      const got = await ticks(c, 1, AAPL, '165', (s) => [0, 3, 5, 8, 21].every((t) => s.has(t)));
      assert.equal(got.sizes.get(21), aapl.averageVolume / 100, 'average volume (21, generic tick 165) in lots too');
      const volume = got.sizes.get(8)!;
      // The session's volume in shares at the clock's start (the request came a moment later).
      assert.ok(volume * 100 >= before - 100 && volume * 100 <= before + 200_000, `volume tick ${volume} x 100 vs ${before} shares in the model`);
      assert.ok(Number.isInteger(volume));
      for (const t of [0, 3]) {
        const size = got.sizes.get(t)!;
        if (version >= 159) assert.ok(size >= 100 && size % 100 === 0, `size ${t} = ${size} shares`);
        else assert.ok(size >= 1 && size <= 40, `size ${t} = ${size} lots`);
      }
    });

    it('sends forex sizes in units of the base currency, and no last price or volume', async () => {
      const got = await ticks(c, 2, EURUSD, '', (s) => s.has(0) && s.has(3));
      assert.ok(got.sizes.get(0)! >= 100_000 && got.sizes.get(0)! % 100_000 === 0, `bid size ${got.sizes.get(0)}`);
      assert.ok(!got.sizes.has(5) && !got.sizes.has(8), 'no last size, no volume');
    });

    it('sends the halted flag (49 = 0) for a stock, and RTVolume (48) when generic tick 233 is asked for', async () => {
      const got = await ticks(c, 3, AAPL, '233', (_s, str, gen) => gen.has(49) && str.has(48));
      assert.equal(got.generics.get(49), 0);
      const [price, size, timeMs, total, vwap, single] = got.strings.get(48)!.split(';');
      assert.ok(Number(price) > 0 && Number(vwap) > 0, got.strings.get(48));
      assert.ok(Number(size) > 0 && Number.isInteger(Number(total)));
      assert.ok(Math.abs(Number(timeMs) - START) < 60_000, 'trade time in epoch ms near the clock');
      assert.equal(single, 'true');
    });

    it(`sends historical bar volume ${version >= 175 ? 'in shares' : 'in whole lots of 100 (before 175, and before decimal sizes at 163)'}`, async () => {
      const { bars } = await history(c, 10, AAPL, '', '1800 S', '1 min', 'TRADES', 2);
      const model = market.bars(aapl, { endTime: Math.floor(START / 1000), durationSeconds: 1800, barSizeSeconds: 60, whatToShow: 'TRADES', useRTH: true });
      assert.ok(bars.length >= 20 && bars.length <= model.length + 1);
      for (const b of bars) {
        const m = model.find((x) => x.time === Number(b.date));
        if (!m) continue; // the bar that formed after the clock's start
        assert.equal(b.volume, version >= 175 ? m.volume : Math.round(m.volume / 100), `bar ${b.date}`);
      }
    });

    it(`dates intraday bars ${version >= 174 ? '"yyyyMMdd HH:mm:ss US/Eastern"' : '"yyyyMMdd  HH:mm:ss" (two spaces, no zone)'} for formatDate 1, header alike; epoch for formatDate 2`, async () => {
      const { bars, marker } = await history(c, 11, AAPL, '20261117 10:00:00 US/Eastern', '1800 S', '5 mins', 'TRADES', 1);
      const first = bars[0].date;
      if (version >= 174) {
        assert.equal(first, '20261117 09:30:00 US/Eastern');
        assert.equal(marker, 'finished-20261117 09:30:00 US/Eastern-20261117 10:00:00 US/Eastern');
      } else {
        assert.equal(first, '20261117  14:30:00', 'the login zone (UTC, as the handshake says)');
        assert.equal(marker, 'finished-20261117  14:30:00-20261117  15:00:00');
      }
      const epoch = await history(c, 12, AAPL, '20261117-15:00:00', '1800 S', '5 mins', 'TRADES', 2);
      assert.equal(epoch.bars[0].date, String(Date.parse('2026-11-17T14:30:00Z') / 1000));
    });

    it('dates daily bars "yyyyMMdd" even when formatDate 2 asks for epoch', async () => {
      for (const fmt of [1, 2]) {
        const { bars } = await history(c, 20 + fmt, AAPL, '', '1 W', '1 day', 'TRADES', fmt);
        assert.ok(bars.length >= 4);
        for (const b of bars) assert.match(b.date, /^202611\d\d$/);
        assert.equal(bars[bars.length - 1].date, '20261117');
      }
    });
  });
}
