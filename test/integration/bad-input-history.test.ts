/**
 * History requests whose other fields (end date, data type, RTH flag, the
 * contract object itself) are absurd or malicious, as a caller without type
 * checks (a command argument, a webview message) could send them.
 */
import { strict as assert } from 'node:assert';
import { CandleService } from '../../src/ib/candles';
import { ContractService } from '../../src/ib/contracts';
import { IbError } from '../../src/ib/errors';
import type { CandleEvent, HistoryRequest, ResolvedContract } from '../../src/ib/types';
import { startSim, type StartedSim } from './support/sim';
import { connectSession, MARKET_OPEN, type TestSession } from './support/session';
import { waitUntil } from '../support/wait';

const REQ_HISTORICAL_DATA = 20;
const NUL = '\u0000';

describe('bad input in history request fields', function () {
  this.timeout(30_000);
  let sim: StartedSim;
  let session: TestSession;
  let contracts: ContractService;
  let candles: CandleService;
  const sent = () => sim.server.receivedMessageIds().get(REQ_HISTORICAL_DATA) ?? 0;

  before(async () => {
    sim = await startSim({ clock: { start: MARKET_OPEN }, limits: { historicalPacing: false } });
    session = await connectSession(sim.port, 91);
    contracts = new ContractService(session.manager);
    candles = new CandleService(session.manager, contracts, undefined, { timeoutMs: 5000 });
    await contracts.resolve('MSFT');
  });

  after(async () => {
    candles?.dispose();
    await session?.close();
    await sim?.stop();
  });

  afterEach(async () => {
    assert.equal(session.manager.status.phase, 'ready', 'the connection is still up');
    assert.ok((await candles.fetch({ symbol: 'MSFT', barSize: '1 day', duration: '1 M' })).length > 0, 'history still works');
    session.assertNoDecodingErrors();
  });

  /** Fetches and returns the outcome as text, so that both "refused before sending" and "refused by the gateway" can be told apart. */
  async function outcome(req: HistoryRequest): Promise<{ text: string; sent: number }> {
    const before = sent();
    const text = await candles.fetch(req).then(
      (bars) => `bars: ${bars.length}`,
      (e: unknown) => (e instanceof IbError ? `IbError ${e.info.code}: ${e.info.message}` : `${e instanceof Error ? e.name : typeof e}: ${String(e)}`),
    );
    return { text, sent: sent() - before };
  }

  const base: HistoryRequest = { symbol: 'MSFT', barSize: '1 hour', duration: '1 W' };

  it('an end date that is not a date is refused in words', async () => {
    for (const endDateTime of ['yesterday', '2025-13-45']) {
      const r = await outcome({ ...base, endDateTime });
      assert.match(r.text, /IbError (321|9005)/, `${endDateTime}: ${r.text}`);
      assert.match(r.text, /end date|refuse|invalid|rejected/i, r.text);
    }
  });

  // Note (src/sim, end date parsing): the simulator itself answers "99999999-99:99:99" with bars, where IB answers 321;
  // CandleService now refuses such end dates (and a NUL in any text field, which would split the wire message) first.
  it('a NUL, an impossible or a huge end date is refused before anything is sent (no field injection)', async () => {
    for (const endDateTime of [`20251120-16:00:00${NUL}1 D`, '99999999-99:99:99', 'x'.repeat(10_000)]) {
      const r = await outcome({ ...base, endDateTime });
      assert.equal(r.sent, 0, `nothing sent for ${JSON.stringify(endDateTime.slice(0, 30))}: ${r.text}`);
      assert.match(r.text, /IbError 9005: .*end date/i, "refused before sending: the extension's own code");
    }
  });

  // whatToShow "TRADES\0X" used to be sent and answered with bars: the NUL had moved the fields.
  it('a data type IB does not know is refused before sending, by fetch and live', async () => {
    for (const whatToShow of [`TRADES${NUL}X`, 'PRICES', '']) {
      const r = await outcome({ ...base, whatToShow: whatToShow as never });
      assert.equal(r.sent, 0, r.text);
      assert.match(r.text, /IbError 9005: .*is not an IB data type/);
    }
    const before = sent();
    const events: CandleEvent[] = [];
    const sub = candles.live({ symbol: 'MSFT', barSize: '5 secs', duration: '1800 S', whatToShow: 'PRICES' as never }, (e) => events.push(e));
    const e = await waitUntil('the error event', () => events[0]);
    sub.dispose();
    assert.ok(e.type === 'error');
    assert.match(e.error.message, /"PRICES" is not an IB data type/);
    assert.equal(sent(), before);
  });

  it('ADJUSTED_LAST with an end date is refused before sending (IB takes it only ending now); without one it is sent', async () => {
    const r = await outcome({ ...base, whatToShow: 'ADJUSTED_LAST', endDateTime: '20251121-16:00:00' });
    assert.equal(r.sent, 0, r.text);
    assert.match(r.text, /IbError 9005: .*ADJUSTED_LAST bars always end now/);
    const now = await outcome({ ...base, whatToShow: 'ADJUSTED_LAST', barSize: '1 day', duration: '1 M' });
    assert.equal(now.sent, 1, now.text);
  });

  it("valid end dates in both of IB's forms are still sent and answered", async () => {
    for (const endDateTime of ['20251121-16:00:00', '20251121 11:00:00 US/Eastern']) {
      const r = await outcome({ ...base, endDateTime });
      assert.equal(r.sent, 1, `${endDateTime}: ${r.text}`);
      assert.match(r.text, /^bars: \d+$/, `${endDateTime}: ${r.text}`);
    }
  });

  it('a live series with an end date is refused in words and not sent', async () => {
    const before = sent();
    const events: CandleEvent[] = [];
    const sub = candles.live({ symbol: 'MSFT', barSize: '5 secs', duration: '1800 S', endDateTime: '20251120-16:00:00' }, (e) => events.push(e));
    const e = await waitUntil('the error event', () => events[0]);
    sub.dispose();
    assert.ok(e.type === 'error');
    assert.match(e.error.message, /cannot have an end date/);
    assert.equal(sent(), before);
  });

  it('a forged contract object (conId 0, unknown conId) is refused by the gateway in words, the connection lives on', async () => {
    const forged: ResolvedContract = { conId: 0, symbol: 'NOPE', secType: 'STK', exchange: 'SMART', currency: 'USD', display: 'NOPE' };
    for (const symbol of [forged, { ...forged, conId: 2_000_000_000 }]) {
      const r = await outcome({ ...base, symbol });
      assert.match(r.text, /^IbError (200|321|162): /, r.text);
    }
  });

  it('non-boolean useRTH and odd spellings are taken as IB does or refused, never crash', async () => {
    const r1 = await outcome({ ...base, useRTH: 'yes' as never });
    assert.match(r1.text, /^bars: \d+$|^IbError (321|9005)/, r1.text);
    const r2 = await outcome({ ...base, barSize: ' 1  HOURS ' });
    assert.match(r2.text, /^bars: \d+$/, r2.text);
  });
});
