// Who said "no bars": IB's 162 keeps its code; an empty answer is the extension's own judgement (9012).
import { strict as assert } from 'node:assert';
import { barsOrLastSession } from '../../src/ib/candles/closed-market';
import { IbError, LOCAL_CODES } from '../../src/ib/errors';
import type { Candle, HistoryRequest, ResolvedContract } from '../../src/ib/types';

const AAPL = { conId: 265598, symbol: 'AAPL', secType: 'STK', exchange: 'SMART', currency: 'USD', display: 'AAPL' } as ResolvedContract;
// an explicit end date: the range is answered as asked, never replaced by another session's bars
const REQ: HistoryRequest = { symbol: AAPL, barSize: '1 min', duration: '3600 S', endDateTime: '20261117-15:00:00' };

async function codeOf(fetch: (r: HistoryRequest) => Promise<Candle[]>): Promise<number> {
  try {
    await barsOrLastSession({ fetch, resolve: async () => AAPL, now: async () => Date.parse('2026-11-17T15:00:00Z') }, REQ);
  } catch (e) {
    assert.ok(e instanceof IbError, String(e));
    assert.match(e.message, /no bars for AAPL in that range/);
    return e.info.code;
  }
  assert.fail('no bars should be an error');
}

describe('no bars for a range: whose code', () => {
  it("IB's refusal (162 HMDS query returned no data) keeps IB's code", async () => {
    const refusal = new IbError({
      code: 162,
      category: 'request',
      message: 'x',
      action: 'y',
      raw: 'Historical Market Data Service error message:HMDS query returned no data: AAPL@SMART Trades',
    });
    assert.equal(
      await codeOf(async () => {
        throw refusal;
      }),
      162,
    );
  });

  it("an empty answer is the extension's own finding, with its own code (never IB's 162)", async () => {
    assert.equal(await codeOf(async () => []), LOCAL_CODES.noBars);
  });
});
