/**
 * Replay of recorded TWS historical data through the candle service: bar
 * volume in shares at the negotiated version, bar times at the right instant
 * in every format TWS writes, and HMDS error 162 told apart by its text.
 */
import { strict as assert } from 'node:assert';
import { IbError, LOCAL_CODES } from '../../../src/ib/errors';
import type { CandleEvent } from '../../../src/ib/types';
import { waitUntil } from '../../support/wait';
import { capture, replayFields } from './captures';
import { OUT } from './replayer';
import { AAPL, answerContracts, historicalReqId, startRig, type Rig } from './rig';

/** The end of the TSLA daily request (2023-04-15, a Saturday afternoon in London). */
const TSLA_RECORDED = Date.parse('2023-04-15T15:31:22Z');
/** The end of the AAPL 30-minute request of ib_async #161 (08:59:54 New York). */
const AAPL_RECORDED = Date.parse('2025-07-15T12:59:54Z');
const utc = (iso: string) => Date.parse(iso) / 1000;

/** The 11 complete bars of ib_async #161 start at 09:30 New York on 2025-07-14, every 30 minutes. */
const AAPL_BAR_STARTS = Array.from({ length: 11 }, (_, i) => utc('2025-07-14T13:30:00Z') + i * 1800);

describe('replay: history as real TWS sent it', () => {
  let rig: Rig | undefined;

  afterEach(async () => {
    await rig?.close();
    rig?.session.assertNoDecodingErrors();
    rig = undefined;
  });

  /** Answers every history request with these frames (the request id put in). */
  function answerHistory(r: Rig, answer: (reqId: number, nth: number) => string[][]): void {
    let n = 0;
    r.replayer.on(OUT.REQ_HISTORICAL_DATA, (req, send) => {
      for (const f of answer(historicalReqId(req.fields), n++)) send(f);
    });
  }

  it("TSLA daily at 173: dates are the trading days, volume 948837.22 lots is 94,883,722 shares, IB's WAP kept", async () => {
    rig = await startRig({ serverVersion: 173, simulatedStart: TSLA_RECORDED });
    answerContracts(rig.replayer, 173, 'rust-contract-data-tsla-smart');
    answerHistory(rig, (id) => [replayFields(capture('rust-historical-data-tsla-daily'), 173, id)]);
    const bars = await rig.candles.fetch({ symbol: 'TSLA', barSize: '1 day', duration: '1 W' });
    assert.deepEqual(bars, [
      { time: utc('2023-04-13T00:00:00Z'), open: 182.94, high: 186.5, low: 180.94, close: 185.9, volume: 94_883_722, wap: 184.869 },
      { time: utc('2023-04-14T00:00:00Z'), open: 183.88, high: 186.28, low: 182.01, close: 185, volume: 81_099_827, wap: 183.9865 },
    ]);
  });

  it('AAPL 30 mins at 178 (ib_async #161): "0714 09:30:00 US/Eastern" without its year is 13:30 UTC on 2025-07-14; volume is shares', async () => {
    rig = await startRig({ serverVersion: 178, simulatedStart: AAPL_RECORDED });
    answerHistory(rig, (id) => [replayFields(capture('ibasync161-historical-data-30min-zone'), 178, id)]);
    const bars = await rig.candles.fetch({ symbol: AAPL, barSize: '30 mins', duration: '1 D' });
    assert.deepEqual(
      bars.map((b) => b.time),
      AAPL_BAR_STARTS,
    );
    assert.deepEqual(bars[0], { time: AAPL_BAR_STARTS[0], open: 209.93, high: 210.91, low: 207.67, close: 207.89, volume: 5_583_527, wap: 208.961 });
    assert.equal(bars[10].volume, 876_578);
  });

  // The formats below are the captured bars written as TWS writes them in other
  // cases (derived, not recorded: the year restored; zone-less in the login
  // zone as the TSLA header "20230413  16:31:22" shows; epoch for formatDate 2).
  const restyled: Array<[string, number, string, (startSeconds: number) => string]> = [
    [
      '"20250714 09:30:00 US/Eastern" (the normal form)',
      178,
      'rust-handshake-reply-gmt',
      (t) => `${ymd(t, 'America/New_York')} ${hms(t, 'America/New_York')} US/Eastern`,
    ],
    [
      '"20250714  14:30:00", zone-less, in the login zone British Summer Time',
      173,
      'rust-handshake-reply-bst',
      (t) => `${ymd(t, 'Europe/London')}  ${hms(t, 'Europe/London')}`,
    ],
    [
      '"20250714  15:30:00", zone-less, in the login zone Central European Standard Time (Berlin, in summer time in July)',
      173,
      'scmhub-ibsync11-handshake-205',
      (t) => `${ymd(t, 'Europe/Berlin')}  ${hms(t, 'Europe/Berlin')}`,
    ],
    ['"1752499800", epoch seconds (formatDate 2)', 178, 'rust-handshake-reply-gmt', (t) => String(t)],
  ];
  for (const [name, version, handshake, write] of restyled) {
    it(`${name}: the same instants`, async () => {
      rig = await startRig({ serverVersion: version, connectionTime: capture(handshake).fields[1], simulatedStart: AAPL_RECORDED });
      const recorded = replayFields(capture('ibasync161-historical-data-30min-zone'), version);
      answerHistory(rig, (id) => {
        const f = [...recorded];
        f[1] = String(id);
        for (let i = 0; i < AAPL_BAR_STARTS.length; i++) f[5 + i * 8] = write(AAPL_BAR_STARTS[i]);
        return [f];
      });
      const bars = await rig.candles.fetch({ symbol: AAPL, barSize: '30 mins', duration: '1 D' });
      assert.deepEqual(
        bars.map((b) => b.time),
        AAPL_BAR_STARTS,
      );
      assert.equal(bars[0].volume, version >= 175 ? 5_583_527 : 558_352_700, 'bar volume is lots below 175');
    });
  }

  it('ib_insync #239: daily bars whose prices are "?" are left out, said once in the log, and the answer ends as "none could be read" (9013)', async () => {
    rig = await startRig({ serverVersion: 157, simulatedStart: Date.parse('2020-04-23T13:00:22Z') });
    answerHistory(rig, (id) => [replayFields(capture('ibinsync239-historical-data-unknown-prices'), 157, id)]);
    await assert.rejects(
      rig.candles.fetch({ symbol: AAPL, barSize: '1 day', duration: '2 Y' }),
      (e: unknown) => e instanceof IbError && e.info.code === LOCAL_CODES.unreadableBars,
    );
    const warnings = rig.logs.filter((l) => l.startsWith('warn:'));
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0], /12 bar\(s\) of AAPL .* could not be read \(first at "20180424"\)/);
  });

  it('ib_insync #166: a keep-up-to-date update with empty prices is not a bar: no zero candle in a live series', async () => {
    rig = await startRig({ serverVersion: 157, simulatedStart: Date.parse('2019-07-02T20:50:30Z') });
    let liveId = -1;
    answerHistory(rig, (id) => {
      liveId = id;
      // ib_insync #239's daily bars, the first given prices (a backfill of nothing readable is a failure of its own, 9013)
      const f = replayFields(capture('ibinsync239-historical-data-unknown-prices'), 157, id);
      f.splice(6, 6, '170', '172', '169', '171', '1000', '170.5');
      return [f];
    });
    const events: CandleEvent[] = [];
    const live = rig.candles.live({ symbol: AAPL, barSize: '1 day', duration: '1 M' }, (e) => events.push(e));
    const reset = await waitUntil('the backfill', () => events.find((e) => e.type === 'reset'));
    assert.equal(reset.type === 'reset' && reset.candles.length, 1);
    rig.replayer.push(replayFields(capture('ibinsync166-historical-data-update-empty'), 157, liveId));
    await rig.settle();
    live.dispose();
    assert.deepEqual(
      events.map((e) => e.type),
      ['reset'],
      JSON.stringify(events),
    );
  });

  it('2174 (no time zone in the end date) is a warning: the bars still come and nobody is told of a failure', async () => {
    rig = await startRig({ serverVersion: 173, simulatedStart: TSLA_RECORDED });
    answerContracts(rig.replayer, 173, 'rust-contract-data-tsla-smart');
    answerHistory(rig, (id) => [replayFields(capture('opentws42-err-2174'), 173, id), replayFields(capture('rust-historical-data-tsla-daily'), 173, id)]);
    const bars = await rig.candles.fetch({ symbol: 'TSLA', barSize: '1 day', duration: '1 W' });
    assert.equal(bars.length, 2);
    assert.deepEqual(rig.managerErrors, []);
  });

  const refusals: Array<[string, string, number, RegExp]> = [
    ['ibscripts17-err-162-nodata', 'request', 173, /no bars/i],
    ['ibinsync268-err-162-cancelled', 'request', 157, /cancelled/],
    ['ibinsync461-err-162-permissions', 'permission', 173, /permissions/],
    ['atreyu6-err-10314', 'request', 173, /end date/i],
    ['ibinsync686-err-162-no-historical-eurcash', 'request', 173, /no historical data of this type/i],
    ['ezibpy7-err-321-exchange', 'request', 157, /invalid/],
  ];
  for (const [id, category, version, sentence] of refusals) {
    it(`${id}: the request fails at once with its own sentence (${category}), not retried as pacing`, async () => {
      rig = await startRig({ serverVersion: version, simulatedStart: TSLA_RECORDED, candles: { pacingRetries: 2, pacingRetryMs: 10 } });
      answerHistory(rig, (reqId) => [replayFields(capture(id), version, reqId)]);
      await assert.rejects(rig.candles.fetch({ symbol: AAPL, barSize: '1 day', duration: '1 W' }), (e: unknown) => {
        assert.ok(e instanceof IbError, String(e));
        assert.equal(e.info.code, Number(capture(id).fields[3]));
        assert.equal(e.info.category, category);
        assert.match(e.info.message, sentence);
        assert.equal(e.info.raw, capture(id).fields[4]);
        return true;
      });
      assert.equal(rig.replayer.requests(OUT.REQ_HISTORICAL_DATA).length, 1);
    });
  }

  it('lean607-err-162-pacing: a pacing violation is waited out and asked again; the bars of the second answer arrive', async () => {
    // the client's own pacing is off here, so that only the gateway's refusal spaces the two requests
    rig = await startRig({
      serverVersion: 157,
      simulatedStart: TSLA_RECORDED,
      candles: { pacingRetries: 2, pacingRetryMs: 10, pacing: { identicalWindowMs: 0, marginMs: 0 } },
    });
    answerHistory(rig, (id, n) => [
      n === 0 ? replayFields(capture('lean607-err-162-pacing'), 157, id) : replayFields(capture('rust-historical-data-tsla-daily'), 157, id),
    ]);
    const bars = await rig.candles.fetch({ symbol: AAPL, barSize: '1 day', duration: '1 W' });
    assert.equal(bars.length, 2);
    assert.equal(rig.replayer.requests(OUT.REQ_HISTORICAL_DATA).length, 2);
  });
});

function parts(t: number, zone: string): Record<string, string> {
  const f = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  return Object.fromEntries(f.formatToParts(new Date(t * 1000)).map((p) => [p.type, p.value]));
}
function ymd(t: number, zone: string): string {
  const p = parts(t, zone);
  return `${p.year}${p.month}${p.day}`;
}
function hms(t: number, zone: string): string {
  const p = parts(t, zone);
  return `${p.hour}:${p.minute}:${p.second}`;
}
