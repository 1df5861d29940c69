/**
 * Replay of recorded TWS market data through the quote service: sizes and
 * volume in shares at the negotiated version, trade time, halted, and the
 * subscription errors that lead to delayed data (or end the line clearly).
 */
import { strict as assert } from 'node:assert';
import type { IbErrorInfo, Quote, ResolvedContract } from '../../../src/ib/types';
import { quoteDecimals } from '../../../src/vscode/format';
import { waitUntil } from '../../support/wait';
import { capture, replayFields } from './captures';
import { OUT } from './replayer';
import { AAPL, mktDataReqId, startRig, type Rig } from './rig';

/** Recorded at about 10:47 New York time on 2025-04-15 (the last-trade timestamp of the capture is 14:47:37 UTC). */
const APRIL_15_MORNING = Date.parse('2025-04-15T14:47:00Z');
/** The ticks of one reqMktData answer as recorded, in order. */
const ISSUE_236 = [
  'rust236-market-data-type',
  'rust236-tick-req-params',
  'rust236-tick-price-last',
  'rust236-tick-size-volume',
  'rust236-tick-string-last-timestamp',
  'rust236-tick-generic-halted',
];

/** 10089's text as IB's error list gives it (no raw frame was found; the tail is unverified). */
const ERR_10089 = "Requested market data requires additional subscription for API. See link in 'Market Data Connections' dialog for more details.";

describe('replay: quotes as real TWS sent them', () => {
  let rig: Rig | undefined;

  afterEach(async () => {
    await rig?.close();
    rig?.session.assertNoDecodingErrors();
    rig = undefined;
  });

  function watch(r: Rig, contract: ResolvedContract): { quotes: Quote[]; errors: IbErrorInfo[]; dispose(): void } {
    const quotes: Quote[] = [];
    const errors: IbErrorInfo[] = [];
    const d = r.quotes.subscribe(
      contract,
      (q) => quotes.push(q),
      (e) => errors.push(e),
    );
    return { quotes, errors, dispose: () => d.dispose() };
  }

  for (const version of [173, 193]) {
    it(`at ${version}: AAPL volume 323886 is lots (32,388,600 shares), last size 2 is shares, the trade time is the tick's`, async () => {
      rig = await startRig({ serverVersion: version, simulatedStart: APRIL_15_MORNING });
      rig.replayer.on(OUT.REQ_MKT_DATA, (req, send) => {
        for (const id of ISSUE_236) send(replayFields(capture(id), version, mktDataReqId(req.fields)));
      });
      const w = watch(rig, AAPL);
      const q = await waitUntil('the full quote', () => w.quotes.find((x) => x.volume !== undefined && x.halted === false && x.time !== undefined));
      assert.equal(q.last, 202.55);
      assert.equal(q.lastSize, 2, 'sizes are shares from 159');
      assert.equal(q.volume, 32_388_600, 'volume ticks are lots of 100 below 220');
      assert.equal(q.time, 1_744_742_857_000);
      assert.equal(q.dataType, 'live');
      assert.equal(q.halted, false);
      w.dispose();
    });
  }

  it("the quote carries the contract details' price increment, which sets its decimals; TICK_REQ_PARAMS (which @stoqey/ib reads as 0) does not clear it", async () => {
    rig = await startRig({ serverVersion: 193, simulatedStart: APRIL_15_MORNING });
    rig.replayer.on(OUT.REQ_MKT_DATA, (req, send) => {
      for (const id of ISSUE_236) send(replayFields(capture(id), 193, mktDataReqId(req.fields)));
    });
    const w = watch(rig, { ...AAPL, minTick: 0.0001 });
    const q = await waitUntil('the full quote', () => w.quotes.find((x) => x.time !== undefined && x.volume !== undefined));
    assert.equal(q.minTick, 0.0001);
    assert.equal(quoteDecimals(q), 4);
    w.dispose();
  });

  it('a snapshot ends with TICK_SNAPSHOT_END; the 300 TWS sends when that id is cancelled is no news', async () => {
    rig = await startRig({ serverVersion: 173, simulatedStart: APRIL_15_MORNING });
    let snapId = -1;
    rig.replayer.on(OUT.REQ_MKT_DATA, (req, send) => {
      snapId = mktDataReqId(req.fields);
      for (const id of ISSUE_236) send(replayFields(capture(id), 173, snapId));
      send(['57', '1', snapId]);
    });
    const q = await rig.quotes.snapshot(AAPL);
    assert.equal(q.volume, 32_388_600);
    assert.equal(q.lastSize, 2);
    rig.replayer.push(replayFields(capture('rust236-err-300-after-snapshot'), 173, snapId));
    await rig.settle();
    assert.deepEqual(rig.managerErrors, [], 'nothing for a person to see');
    assert.equal(rig.session.manager.status.phase, 'ready');
  });

  it('a snapshot refused with 354 is asked again as delayed and comes back marked delayed', async () => {
    rig = await startRig({ serverVersion: 173, simulatedStart: Date.parse('2022-11-15T15:00:00Z') });
    let asks = 0;
    rig.replayer.on(OUT.REQ_MKT_DATA, (req, send) => {
      const reqId = mktDataReqId(req.fields);
      if (asks++ === 0) {
        send(replayFields(capture('atreyu8-err-354'), 173, reqId));
        return;
      }
      send(['58', '1', reqId, '3']);
      send(replayFields(capture('ibinsync221-tick-price-delayed-close'), 173, reqId));
      send(['57', '1', reqId]);
    });
    const q = await rig.quotes.snapshot(AAPL);
    assert.equal(q.close, 703.48);
    assert.equal(q.dataType, 'delayed');
    assert.equal(q.fellBack, true);
    assert.deepEqual(
      rig.replayer.requests(OUT.REQ_MARKET_DATA_TYPE).map((x) => x.fields[2]),
      // auto: live while the market trades, frozen while closed (2); then the same, delayed (4)
      ['2', '4'],
    );
  });

  /** Live refused with `first`; expects the service to ask for delayed data on a new line, answered with the recorded delayed close. */
  async function fallsBackToDelayed(r: Rig, version: number, first: (reqId: number) => string[]): Promise<Quote> {
    let lines = 0;
    r.replayer.on(OUT.REQ_MKT_DATA, (req, send) => {
      const reqId = mktDataReqId(req.fields);
      lines++;
      if (lines === 1) send(first(reqId));
      else {
        send(['58', '1', reqId, '3']);
        send(replayFields(capture('ibinsync221-tick-price-delayed-close'), version, reqId));
      }
    });
    const w = watch(r, AAPL);
    const q = await waitUntil('a delayed quote', () => w.quotes.find((x) => x.close !== undefined));
    const types = r.replayer.requests(OUT.REQ_MARKET_DATA_TYPE).map((x) => x.fields[2]);
    assert.deepEqual(types, ['2', '4'], 'asked live (or frozen), then delayed (or delayed-frozen)');
    assert.equal(lines, 2, 'one more line, for the delayed data');
    assert.deepEqual(w.errors, [], 'the fallback is not an error');
    w.dispose();
    return q;
  }

  const refusals: Array<[string, number, (reqId: number) => string[]]> = [
    ['354 (2022 text)', 173, (id) => replayFields(capture('atreyu8-err-354'), 173, id)],
    ['354 (2016 text)', 157, (id) => replayFields(capture('nodeib21-err-354-2016'), 157, id)],
    ['10089', 173, (id) => ['4', '2', String(id), '10089', ERR_10089, '']],
  ];
  for (const [name, version, first] of refusals) {
    it(`${name}: live refused, the line falls back to delayed data and shows it as delayed`, async () => {
      rig = await startRig({ serverVersion: version, simulatedStart: Date.parse('2020-03-09T05:07:39Z') });
      const q = await fallsBackToDelayed(rig, version, first);
      assert.equal(q.close, 703.48);
      assert.equal(q.dataType, 'delayed');
      assert.equal(q.fellBack, true);
    });
  }

  /** TWS's answer to live data without a subscription (real frames): 10167, type 3, a delayed close. */
  const showsDelayed = (send: (fields: Array<string | number>) => void, reqId: number) => {
    send(replayFields(capture('stoqeyib160-err-10167'), 173, reqId));
    send(['58', '1', reqId, '3']);
    send(replayFields(capture('ibinsync221-tick-price-delayed-close'), 173, reqId));
  };

  it('10167: an advisory; the delayed ticks that follow on the same line are shown as delayed, no second line', async () => {
    rig = await startRig({ serverVersion: 173, simulatedStart: Date.parse('2020-03-09T05:07:39Z') });
    rig.replayer.on(OUT.REQ_MKT_DATA, (req, send) => {
      showsDelayed(send, mktDataReqId(req.fields));
    });
    const w = watch(rig, AAPL);
    const q = await waitUntil('a delayed quote', () => w.quotes.find((x) => x.close !== undefined));
    assert.equal(q.close, 703.48);
    assert.equal(q.dataType, 'delayed');
    assert.equal(q.fellBack, true);
    await rig.settle();
    assert.equal(rig.replayer.requests(OUT.REQ_MKT_DATA).length, 1, 'the line lives on');
    assert.equal(rig.replayer.requests(OUT.CANCEL_MKT_DATA).length, 0);
    assert.deepEqual(w.errors, []);
    w.dispose();
  });

  it('10167 to a snapshot: the delayed answer is marked as the fallback, as a streaming line is, with one request', async () => {
    rig = await startRig({ serverVersion: 173, simulatedStart: Date.parse('2020-03-09T05:07:39Z') });
    rig.replayer.on(OUT.REQ_MKT_DATA, (req, send) => {
      const reqId = mktDataReqId(req.fields);
      showsDelayed(send, reqId);
      send(['57', '1', reqId]);
    });
    const q = await rig.quotes.snapshot(AAPL);
    assert.equal(q.close, 703.48);
    assert.equal(q.dataType, 'delayed');
    assert.equal(q.fellBack, true, 'said to have no live subscription, as the streaming line is');
    assert.equal(rig.replayer.requests(OUT.REQ_MKT_DATA).length, 1, 'no second request');
  });

  it('10168 after the fallback: delayed data is not enabled either; the watcher gets a clear error, once', async () => {
    rig = await startRig({ serverVersion: 173, simulatedStart: Date.parse('2022-05-04T15:00:00Z') });
    let lines = 0;
    rig.replayer.on(OUT.REQ_MKT_DATA, (req, send) => {
      const reqId = mktDataReqId(req.fields);
      lines++;
      send(replayFields(capture(lines === 1 ? 'atreyu8-err-354' : 'deephaven44-err-10168'), 173, reqId));
    });
    const w = watch(rig, AAPL);
    const e = await waitUntil('an error', () => w.errors[0]);
    assert.equal(e.code, 10168);
    assert.equal(e.category, 'permission');
    assert.match(e.message, /Delayed market data is not enabled/);
    assert.match(e.raw ?? '', /Delayed market data is not enabled/);
    await rig.settle();
    assert.equal(lines, 2, 'no third try');
    assert.equal(w.errors.length, 1);
    w.dispose();
  });
});
