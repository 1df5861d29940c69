// IB's continuous future (CONTFUT): written "ES CONTFUT@CME", history only. Its contract id is its front
// month's, so nothing may take one for the other: not the request sent, the bars' cache, the quote line.
import { strict as assert } from 'node:assert';
import { marketHours, closedText } from '../../src/ib/candles/closed-market';
import { historyOnly, pacingKey, requestIdentity, type Normalised } from '../../src/ib/candles/request';
import { contractLine } from '../../src/ib/contracts/contract-line';
import { continuousError, refuseExpired } from '../../src/ib/contracts/expired';
import { parseSymbol, SymbolSyntaxError } from '../../src/ib/contracts/symbol';
import { contractKey, entryLabel, specForContract } from '../../src/ib/contracts/symbol-text';
import { displayLabel, resolvedToContract, specToContract } from '../../src/ib/contracts/to-contract';
import { LOCAL_CODES } from '../../src/ib/errors';
import type { ResolvedContract } from '../../src/ib/types';

const base = {
  conId: 495512563,
  symbol: 'ES',
  exchange: 'CME',
  currency: 'USD',
  localSymbol: 'ESZ6',
  lastTradeDateOrContractMonth: '20261218',
  multiplier: '50',
  timeZoneId: 'US/Central',
  tradingHours: '20261206:1700-20261207:1600;20261207:1700-20261208:1600',
  liquidHours: '20261207:0830-20261207:1500;20261208:0830-20261208:1500',
};
const ESZ6: ResolvedContract = { ...base, secType: 'FUT', display: 'ESZ6 (CME)' };
const ES: ResolvedContract = { ...base, secType: 'CONTFUT', display: 'ES continuous (CME)' };

describe('continuous futures (CONTFUT)', () => {
  it('are written with their type and no month, read back the same, and keyed apart from any month', () => {
    assert.deepEqual(parseSymbol('es contfut@cme'), { text: 'es contfut@cme', symbol: 'ES', secType: 'CONTFUT', exchange: 'CME' });
    assert.deepEqual(parseSymbol('ES CONTFUT'), { text: 'ES CONTFUT', symbol: 'ES', secType: 'CONTFUT' });
    assert.throws(
      () => parseSymbol('ES 202612 CONTFUT@CME'),
      (e: Error) => e instanceof SymbolSyntaxError && /no contract month/.test(e.message),
    );
    assert.equal(specForContract(ES), 'ES CONTFUT@CME');
    assert.equal(entryLabel('ES CONTFUT@CME'), 'ES continuous');
    assert.notEqual(contractKey('ES CONTFUT@CME'), contractKey('ES 202612 FUT@CME'));
    assert.equal(displayLabel(ES), 'ES continuous (CME)');
    assert.deepEqual(specToContract(parseSymbol('ES CONTFUT@CME')), { symbol: 'ES', secType: 'CONTFUT', exchange: 'CME' });
  });

  it('are asked for bars as themselves, never by the contract id they share with their front month', () => {
    assert.deepEqual(resolvedToContract(ES), { symbol: 'ES', secType: 'CONTFUT', exchange: 'CME', currency: 'USD' });
    assert.equal(resolvedToContract(ESZ6).conId, 495512563);
    const norm = (contract: ResolvedContract): Normalised => ({
      contract,
      barSize: '1 day',
      daily: true,
      duration: '1 Y',
      whatToShow: 'TRADES',
      useRTH: true,
      endDateTime: '',
    });
    assert.notEqual(requestIdentity(norm(ES), false), requestIdentity(norm(ESZ6), false), 'not one cache entry');
    assert.equal(pacingKey(norm(ES), 'a').contract, pacingKey(norm(ESZ6), 'a').contract, "counted with its front month for IB's per-contract pacing");
    assert.equal(historyOnly(ES), true);
    assert.equal(historyOnly(ESZ6), false);
    assert.equal(historyOnly({ ...ESZ6, includeExpired: true }), true);
  });

  it("are history only: a quote of one is refused with the front month to watch, in the extension's own code", async () => {
    const e = continuousError(ES);
    assert.equal(e.info.code, LOCAL_CODES.historyOnly);
    assert.match(e.message, /ES continuous \(CONTFUT\) is history only/);
    assert.match(e.info.action ?? '', /ESZ6/);
    await assert.rejects(
      refuseExpired({ futures: async () => [] }, ES, Date.parse('2026-12-07T15:00:00Z')),
      (x: Error & { info?: { code: number } }) => x.info?.code === LOCAL_CODES.historyOnly,
    );
    assert.equal(await refuseExpired({ futures: async () => [] }, ESZ6, Date.parse('2026-12-07T15:00:00Z')), ESZ6);
  });

  it('never read as live, however their market trades: their chart says history only, with the front month', () => {
    const monday = Date.parse('2026-12-07T16:00:00Z'); // 10:00 in Chicago: ES trades
    assert.equal(marketHours(ESZ6, monday, false)?.open, true);
    const hours = marketHours(ES, monday, false)!;
    assert.equal(hours.open, false);
    assert.ok(hours.regular, 'its regular hours shade its bars, as its front month');
    assert.equal(closedText(hours), 'History only: IB streams no continuous future (its front month now: ESZ6)');
    assert.match(contractLine(ES), /continuous future · history only, front month now ESZ6 · CME/);
  });
});
