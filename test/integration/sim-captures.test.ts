/**
 * The simulator's frames against frames recorded from real TWS
 * (test/fixtures/tws-captures.json): the same message versions, field
 * counts, tick types, date shapes and error texts, and a quote line's first
 * frames in the recorded order, read off a raw socket at
 * the version the capture came from (173 where it says so, else 193).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startSim, type StartedSim } from './support/sim';
import { connectRaw } from './support/raw-client';
import { simClockAt } from '../support/market-times';

interface Capture {
  id: string;
  fields: string[];
  notes?: string;
}
const CAPTURES: Capture[] = JSON.parse(readFileSync(resolve('test/fixtures/tws-captures.json'), 'utf8'));
const capture = (id: string): string[] => {
  const c = CAPTURES.find((x) => x.id === id);
  assert.ok(c, `capture ${id}`);
  return c.fields;
};

const AAPL_FIELDS = [265598, 'AAPL', 'STK', '', 0, '', '', 'SMART', '', 'USD', '', ''];
const EUR_FIELDS = [0, 'EUR', 'CASH', '', 0, '', '', 'IDEALPRO', '', 'USD', '', ''];
const isNumber = (s: string): boolean => s !== '' && Number.isFinite(Number(s));
/** Shape of a frame: the same length, and the same fields where the capture's are not data. */
function sameShape(ours: string[], theirs: string[], fixed: number[]): void {
  assert.equal(ours.length, theirs.length, `${JSON.stringify(ours)} vs ${JSON.stringify(theirs)}`);
  for (const i of fixed) assert.equal(ours[i], theirs[i], `field ${i}: ${JSON.stringify(ours)} vs ${JSON.stringify(theirs)}`);
  ours.forEach((f, i) => assert.equal(isNumber(f), isNumber(theirs[i]), `field ${i} numeric in both: ${JSON.stringify(ours)} vs ${JSON.stringify(theirs)}`));
}

describe('sim: frames shaped like the recorded TWS frames', function () {
  this.timeout(30_000);
  let sim: StartedSim;
  before(async () => {
    sim = await startSim({ clock: simClockAt('regularSession'), tickIntervalMs: 50, limits: { historicalPacing: false } });
  });
  after(() => sim.stop());

  it('connects like TWS at 173: handshake reply, MANAGED_ACCTS, NEXT_VALID_ID, farm notices in the recorded wording', async () => {
    const raw = await connectRaw(sim.port, 173);
    try {
      assert.equal(raw.frames[0][0], capture('rust-handshake-reply-gmt')[0]);
      assert.match(raw.frames[0][1], /^\d{8} \d{2}:\d{2}:\d{2} .+$/);
      // the account is data: the simulator's is its own (DUSIM0001: a paper account's prefix, shown as simulated)
      sameShape(raw.frames[1], capture('nautilus-connect-seq-00'), [0, 1]);
      assert.match(raw.frames[1][2], /^DU[A-Z0-9]+$/);
      sameShape(raw.frames[2], capture('nautilus-connect-seq-01'), [0, 1]);
      const template = (text: string): string => text.replace(/[:.][a-z.]+$/, (m) => `${m[0]}<farm>`);
      const recorded = new Set(CAPTURES.filter((c) => c.fields[0] === '4' && c.fields[2] === '-1').map((c) => `${c.fields[3]} ${template(c.fields[4])}`));
      const notices = raw.frames.slice(3).filter((f) => f[0] === '4');
      assert.ok(notices.length >= 5);
      for (const n of notices) {
        sameShape(n, capture('nautilus-connect-seq-02-2104'), [0, 1, 2]);
        const key = `${n[3]} ${template(n[4])}`;
        // 2108 has no capture of its own: the facts note says it reads like 2107 with "Market data" for "HMDS data".
        assert.ok(recorded.has(key) || recorded.has(key.replace('2108 Market data', '2107 HMDS data')), `${key} is worded as recorded`);
      }
    } finally {
      raw.close();
    }
  });

  it('streams a stock quote at 193 with the recorded message versions, tick types and field counts', async () => {
    const raw = await connectRaw(sim.port, 193);
    try {
      raw.send([1, 11, 9000, ...AAPL_FIELDS, 0, '', 0, 0, '']);
      const mine = (f: string[], msg: string, tick?: string): boolean =>
        f[0] === msg && (msg === '81' ? f[1] === '9000' : f[2] === '9000') && (tick === undefined || f[3] === tick);
      sameShape(await raw.next((f) => mine(f, '81')), capture('rust236-tick-req-params'), [0, 2, 3, 4]);
      sameShape(await raw.next((f) => mine(f, '58')), capture('rust236-market-data-type'), [0, 1, 3]);
      sameShape(await raw.next((f) => mine(f, '1', '4')), capture('rust236-tick-price-last'), [0, 1, 3, 6]);
      sameShape(await raw.next((f) => mine(f, '2', '8')), capture('rust236-tick-size-volume'), [0, 1, 3]);
      sameShape(await raw.next((f) => mine(f, '46', '45')), capture('rust236-tick-string-last-timestamp'), [0, 1, 3]);
      const halted = await raw.next((f) => mine(f, '45', '49'));
      // not halted, written as TWS writes it: "0.0"
      assert.deepEqual(halted.slice(3), capture('rust236-tick-generic-halted').slice(3));
    } finally {
      raw.close();
    }
  });

  it('opens a quote line as TWS did (rust-ibapi #236): MARKET_DATA_TYPE first, then TICK_REQ_PARAMS, then the ticks', async () => {
    // the recorded log: MARKET_DATA_TYPE "sent first for the reqMktData id, before any tick", then TICK_REQ_PARAMS
    assert.match(CAPTURES.find((c) => c.id === 'rust236-market-data-type')?.notes ?? '', /sent first for the reqMktData id, before any tick/);
    const raw = await connectRaw(sim.port, 193);
    try {
      const line = (f: string[], id: number): boolean => (f[0] === '81' ? f[1] : f[2]) === String(id) && ['58', '81', '1', '2', '45', '46'].includes(f[0]);
      const opened = (id: number): string[] =>
        raw.frames
          .filter((f) => line(f, id))
          .slice(0, 3)
          .map((f) => f[0]);
      // a stream, a snapshot, and a forex line
      raw.send([1, 11, 9100, ...AAPL_FIELDS, 0, '', 0, 0, '']);
      raw.send([1, 11, 9101, ...AAPL_FIELDS, 0, '', 1, 0, '']);
      raw.send([1, 11, 9102, ...EUR_FIELDS, 0, '', 0, 0, '']);
      for (const id of [9100, 9101, 9102]) {
        await raw.next((f) => line(f, id) && f[0] === '1');
        assert.deepEqual(opened(id), ['58', '81', '1'], `line ${id}: ${JSON.stringify(raw.frames.filter((f) => line(f, id)).slice(0, 4))}`);
      }
      const [type, params] = ['58', '81'].map((m) => raw.frames.find((f) => f[0] === m && line(f, 9100))!);
      assert.deepEqual(type.slice(3), capture('rust236-market-data-type').slice(3));
      assert.deepEqual(params.slice(2), capture('rust236-tick-req-params').slice(2));
    } finally {
      raw.close();
    }
  });

  it('words 2174, 10314, 10168, 354 and 300 as TWS does (173: with the empty advancedOrderRejectJson)', async () => {
    const raw = await connectRaw(sim.port, 173);
    try {
      const hist = (id: number, end: string): void => raw.send([20, id, ...AAPL_FIELDS, 0, end, '5 mins', '1800 S', 1, 'TRADES', 2, 0, '']);
      const error = (id: number, code: string): Promise<string[]> => raw.next((f) => f[0] === '4' && f[2] === String(id) && f[3] === code);
      hist(1, '20261117 10:00:00');
      assert.deepEqual((await error(1, '2174')).slice(3), capture('opentws42-err-2174').slice(3));
      hist(2, 'last tuesday');
      assert.deepEqual((await error(2, '10314')).slice(3), capture('atreyu6-err-10314').slice(3));
      raw.send([1, 11, 3, 0, 'RY', 'STK', '', 0, '', '', 'SMART', '', 'CAD', '', '', 0, '', 0, 0, '']);
      assert.deepEqual((await error(3, '10168')).slice(3), capture('deephaven44-err-10168').slice(3));
      raw.send([1, 11, 4, 0, 'SHOP', 'STK', '', 0, '', '', 'SMART', '', 'CAD', '', '', 0, '', 0, 0, '']);
      assert.deepEqual((await error(4, '354')).slice(3), capture('atreyu8-err-354').slice(3));
      raw.send([1, 11, 5, ...AAPL_FIELDS, 0, '', 1, 0, '']);
      await raw.next((f) => f[0] === '57' && f[2] === '5');
      raw.send([2, 2, 5]);
      const notFound = await error(5, '300');
      assert.deepEqual(
        notFound.slice(3, 5),
        capture('rust236-err-300-after-snapshot')
          .slice(3, 5)
          .map((f) => f.replace('9001', '5')),
      );
    } finally {
      raw.close();
    }
  });

  it('lays out HISTORICAL_DATA as recorded: two-space dates and lots before 174/175, the contract zone and shares after', async () => {
    const old = await connectRaw(sim.port, 173);
    const cur = await connectRaw(sim.port, 193);
    try {
      old.send([20, 9000, ...AAPL_FIELDS, 0, '', '1 day', '1 W', 1, 'TRADES', 1, 0, '']);
      const daily = await old.next((f) => f[0] === '17');
      const recorded = capture('rust-historical-data-tsla-daily');
      for (const i of [2, 3]) assert.match(daily[i], /^\d{8} {2}\d{2}:\d{2}:\d{2}$/, `header like ${recorded[i]}`);
      const bars = (f: string[]): string[][] => Array.from({ length: Number(f[4]) }, (_, k) => f.slice(5 + 8 * k, 13 + 8 * k));
      assert.equal(daily.length, 5 + 8 * Number(daily[4]), 'eight fields a bar, as recorded');
      for (const b of bars(daily)) {
        assert.match(b[0], /^\d{8}$/);
        assert.match(b[5], /^\d+(\.\d{1,2})?$/, `volume in lots like ${recorded[10]}`);
      }
      cur.send([20, 6, ...AAPL_FIELDS, 0, '20261117 10:00:00 US/Eastern', '30 mins', '1 D', 1, 'TRADES', 1, 0, '']);
      const zoned = await cur.next((f) => f[0] === '17');
      const recordedZoned = capture('ibasync161-historical-data-30min-zone');
      for (const i of [2, 3]) assert.equal(zoned[i].replace(/^\d{8} \d{2}:\d{2}:\d{2}/, 'T'), recordedZoned[i].replace(/^\d{8} \d{2}:\d{2}:\d{2}/, 'T'));
      for (const b of bars(zoned)) {
        assert.match(b[0], / \d{2}:\d{2}:\d{2} US\/Eastern$/);
        assert.match(b[5], /^\d+$/, `volume in shares like ${recordedZoned[10]}`);
      }
    } finally {
      old.close();
      cur.close();
    }
  });

  it('lays out TICK_BY_TICK BidAsk for EUR.USD as recorded, sizes in euros', async () => {
    const raw = await connectRaw(sim.port, 193);
    try {
      raw.send([97, 10002, ...EUR_FIELDS, 'BidAsk', 0, 0]);
      const tick = await raw.next((f) => f[0] === '99' && f[1] === '10002');
      sameShape(tick, capture('nautilus-tick-by-tick-bidask-eurusd-1'), [0, 1, 2, 8]);
      assert.equal(Number(tick[6]) % 100_000, 0, 'bid size in euros');
    } finally {
      raw.close();
    }
  });

  it('quotes EUR.USD in steps of 0.00001 as recorded, finer than its 0.00005 minTick, with an even spread about the mid', async () => {
    const recorded = capture('nautilus-tick-by-tick-bidask-eurusd-1');
    const step = 0.00001;
    const steps = (x: number): number => Math.round(x / step);
    // the recording: 1.08733 / 1.08735, a bid off the 0.00005 grid
    assert.equal(steps(Number(recorded[4])) % 5, 3);
    const raw = await connectRaw(sim.port, 193);
    try {
      raw.send([97, 10003, ...EUR_FIELDS, 'BidAsk', 0, 0]);
      const offGrid = new Set<number>();
      for (let n = 0; n < 12; n++) {
        const f = await raw.next((m) => m[0] === '99' && m[1] === '10003');
        const [bid, ask] = [Number(f[4]), Number(f[5])];
        for (const [i, x] of [bid, ask].entries()) {
          assert.match(f[4 + i], /^\d+\.\d{1,5}$/, 'five decimals at most');
          assert.ok(Math.abs(x / step - steps(x)) < 1e-6, `${x} on 0.00001`);
          offGrid.add(steps(x) % 5);
        }
        const spread = steps(ask) - steps(bid);
        assert.ok(spread > 0 && spread % 2 === 0 && spread <= 6, `spread ${spread} steps`);
      }
      assert.ok(offGrid.size > 1, 'prices off the 0.00005 grid, as recorded');
    } finally {
      raw.close();
    }
  });
  it('sums up the account at 173 as recorded: one row per tag asked for, in alphabetical order, ratios without a currency, then the end', async () => {
    const raw = await connectRaw(sim.port, 173);
    try {
      raw.send([62, 1, 9000, 'All', 'NetLiquidation,TotalCashValue,GrossPositionValue']);
      const end = await raw.next((x) => x[0] === '64' && x[2] === '9000');
      assert.deepEqual(end, capture('rust-rec-account-summary-end'));
      const rows = raw.frames.filter((x) => x[0] === '63' && x[2] === '9000');
      const recorded = ['grosspositionvalue', 'netliquidation', 'totalcashvalue'].map((t) => capture(`rust-rec-account-summary-${t}`));
      assert.deepEqual(
        rows.map((f) => f[4]),
        recorded.map((f) => f[4]),
        'the tags in the recorded (alphabetical) order',
      );
      rows.forEach((f, i) => sameShape(f, recorded[i], [0, 1, 2, 4, 6]));
      raw.send([62, 1, 9001, 'All', 'Cushion,NoSuchTag']);
      await raw.next((x) => x[0] === '64' && x[2] === '9001');
      // a tag the account has no value for is left out
      const cushion = raw.frames.filter((x) => x[0] === '63' && x[2] === '9001');
      assert.equal(cushion.length, 1, JSON.stringify(cushion));
      sameShape(cushion[0], capture('nautilus-account-summary-cushion'), [0, 1, 4, 6]);
    } finally {
      raw.close();
    }
  });
  it("lists a NASDAQ stock in a symbol search as recorded (173): ISLAND, IB's old name for NASDAQ, and its five derivative kinds", async () => {
    const raw = await connectRaw(sim.port, 173);
    try {
      raw.send([81, 9000, 'TSLA']);
      const samples = await raw.next((f) => f[0] === '79' && f[1] === '9000');
      const recorded = capture('rust-symbol-samples-tsla');
      // the first description whole: conId, symbol, secType, primary exchange, currency, the derivative kinds
      assert.deepEqual(samples.slice(3, 14), recorded.slice(3, 14));
    } finally {
      raw.close();
    }
  });
});
