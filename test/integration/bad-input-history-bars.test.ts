/**
 * History replies whose bars cannot be read, from a gateway over real TCP (the
 * replayer: ib_insync #239's daily bars with "?" prices, as TWS sent them).
 * A reply with bars of which none can be read is a failure in words, with the
 * extension's own code: never an empty list that reads as "the market had no
 * bars". Readable bars among unreadable ones are kept.
 */
import { strict as assert } from 'node:assert';
import { barsOrLastSession } from '../../src/ib/candles/closed-market';
import { describeIbError, IbError, LOCAL_CODES } from '../../src/ib/errors';
import type { CandleEvent } from '../../src/ib/types';
import { waitUntil } from '../support/wait';
import { capture, replayFields } from './replay/captures';
import { OUT } from './replay/replayer';
import { AAPL, historicalReqId, startRig, type Rig } from './replay/rig';

const VERSION = 157;
/** When ib_insync #239 was recorded. */
const RECORDED = Date.parse('2020-04-23T13:00:22Z');
const utc = (iso: string) => Date.parse(iso) / 1000;

/** The 12 daily bars of the capture, every price "?". */
const unreadable = (reqId: number): string[] => replayFields(capture('ibinsync239-historical-data-unknown-prices'), VERSION, reqId);

/** The same reply with the first `n` bars given prices (each bar is 8 fields from index 5: date, OHLC, volume, WAP, count). */
function firstReadable(reqId: number, n: number): string[] {
  const f = unreadable(reqId);
  for (let i = 0; i < n; i++) f.splice(5 + i * 8 + 1, 6, '170', '172', '169', '171', '1000', '170.5');
  return f;
}

describe('bad input: history bars the gateway sends that cannot be read', function () {
  this.timeout(30_000);
  let rig: Rig | undefined;

  afterEach(async () => {
    await rig?.close();
    rig?.session.assertNoDecodingErrors();
    rig = undefined;
  });

  async function answering(answer: (reqId: number) => string[]): Promise<Rig> {
    const r = await startRig({ serverVersion: VERSION, simulatedStart: RECORDED });
    r.replayer.on(OUT.REQ_HISTORICAL_DATA, (req, send) => send(answer(historicalReqId(req.fields))));
    rig = r;
    return r;
  }

  const warnings = (r: Rig) => r.logs.filter((l) => l.startsWith('warn:'));
  const daily = { symbol: AAPL, barSize: '1 day', duration: '2 Y' } as const;

  it('every bar unreadable: the fetch fails with its own code and says the bars could not be read (not "no bars")', async () => {
    const r = await answering(unreadable);
    const failure = await r.candles.fetch(daily).then(
      (bars) => assert.fail(`expected a failure, got ${bars.length} bar(s)`),
      (e: unknown) => e,
    );
    assert.ok(failure instanceof IbError, String(failure));
    assert.equal(failure.info.code, LOCAL_CODES.unreadableBars);
    assert.ok(failure.info.code >= 9000 && failure.info.code < 10000, "the extension's own block");
    assert.equal(failure.info.source, 'local');
    assert.equal(failure.info.category, 'request');
    assert.equal(failure.message, 'IB sent 12 bars for AAPL (NASDAQ, USD), but none of them could be read.');
    assert.equal(failure.info.action, describeIbError(LOCAL_CODES.unreadableBars).action);
    assert.doesNotMatch(failure.message, /no bars/i);
    const w = warnings(r);
    assert.equal(w.length, 1, w.join('\n'));
    assert.match(w[0], /12 bar\(s\) of AAPL .* could not be read \(first at "20180424"\)/);
    assert.equal(r.session.manager.status.phase, 'ready', 'the connection lives on');
  });

  it('the chart path (bars or the last session) says the same, and is not taken for a closed market', async () => {
    const r = await answering(unreadable);
    await assert.rejects(
      barsOrLastSession({ fetch: (q) => r.candles.fetch(q), resolve: async () => AAPL, now: async () => r.now() }, daily),
      (e: unknown) => e instanceof IbError && e.info.code === LOCAL_CODES.unreadableBars && /none of them could be read/.test(e.message),
    );
  });

  it('a failed reply is not cached: the same fetch asks the gateway again', async () => {
    const r = await answering(unreadable);
    const asked = () => r.replayer.received.filter((q) => q.id === OUT.REQ_HISTORICAL_DATA).length;
    for (let i = 1; i <= 2; i++) {
      await assert.rejects(r.candles.fetch(daily), (e: unknown) => e instanceof IbError && e.info.code === LOCAL_CODES.unreadableBars);
      assert.equal(asked(), i);
    }
  });

  it('a live series whose backfill is all unreadable says so with the same code and stops its request on the gateway (not an empty chart)', async () => {
    const r = await answering(unreadable);
    const asked: number[] = [];
    const cancelled: number[] = [];
    r.replayer.on(OUT.REQ_HISTORICAL_DATA, (req, send) => {
      asked.push(historicalReqId(req.fields));
      send(unreadable(historicalReqId(req.fields)));
    });
    r.replayer.on(OUT.CANCEL_HISTORICAL_DATA, (req) => cancelled.push(Number(req.fields[2])));
    const events: CandleEvent[] = [];
    const live = r.candles.live(daily, (e) => events.push(e));
    try {
      const error = await waitUntil('the live series to fail', () => events.find((e) => e.type === 'error'));
      assert.equal(error.type === 'error' && error.error.code, LOCAL_CODES.unreadableBars);
      assert.match(error.type === 'error' ? error.error.message : '', /IB sent 12 bars for AAPL .*, but none of them could be read/);
      assert.deepEqual(
        events.filter((e) => e.type === 'reset'),
        [],
        'no empty reset',
      );
      await waitUntil('the keep-up-to-date request cancelled on the gateway', () => cancelled.length > 0);
      assert.deepEqual(cancelled, asked);
    } finally {
      live.dispose();
    }
  });

  it('some bars readable: those are kept, the rest said once in the log, and nothing fails', async () => {
    const r = await answering((id) => firstReadable(id, 2));
    const bars = await r.candles.fetch(daily);
    assert.deepEqual(bars, [
      { time: utc('2018-04-24T00:00:00Z'), open: 170, high: 172, low: 169, close: 171, volume: 100_000, wap: 170.5 },
      { time: utc('2018-04-25T00:00:00Z'), open: 170, high: 172, low: 169, close: 171, volume: 100_000, wap: 170.5 },
    ]);
    const w = warnings(r);
    assert.equal(w.length, 1, w.join('\n'));
    assert.match(w[0], /10 bar\(s\) of AAPL .* could not be read \(first at "20180426"\)/);
  });

  it('a reply with no bars at all is still an empty list (the "no bars" of the chart path, not a reading failure)', async () => {
    const r = await answering((id) => ['17', String(id), '20180423  14:00:22', '20200423  14:00:22', '0']);
    assert.deepEqual(await r.candles.fetch(daily), []);
    assert.deepEqual(warnings(r), []);
  });
});
