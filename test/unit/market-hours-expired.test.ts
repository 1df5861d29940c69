/**
 * An expired futures month's market, as a chart's status says it: closed for good ("Expired on 2026-09-18"),
 * never "opens Mon ..." from the days its trading hours list. ES Sep 2026 (ESU6) stopped trading on
 * 18 September 2026 at 08:30 Chicago (CME's rule for the quarterly E-mini: the third Friday).
 */
import { strict as assert } from 'node:assert';
import { closedText, marketHours } from '../../src/ib/candles/closed-market';

// CME's Globex hours in TWS's words, the days after "now" (Tuesday 17 November 2026, 10:00 New York)
const HOURS = '20261116:1700-20261117:1600;20261117:1700-20261118:1600;20261118:1700-20261119:1600';
const NOW = Date.parse('2026-11-17T15:00:00Z');
const es = (month: string, last: string) => ({
  secType: 'FUT' as const,
  lastTradeDateOrContractMonth: last,
  tradingHours: HOURS,
  liquidHours: HOURS,
  timeZoneId: 'US/Central',
  contractMonth: month,
});

describe('market hours of an expired futures month', () => {
  it('is closed for good, on its last trade day, whatever its hours list', () => {
    const h = marketHours(es('202609', '20260918'), NOW, true)!;
    assert.equal(h.open, false);
    assert.equal(h.expired, '2026-09-18');
    assert.equal(h.next, undefined, 'it never opens again');
    assert.equal(closedText(h), 'Expired on 2026-09-18 (its last trade day)');
  });

  it('a month found only among the expired ones (includeExpired) is expired too; a live month trades by its hours', () => {
    assert.equal(marketHours({ ...es('202609', ''), includeExpired: true }, NOW, true)!.expired, '');
    assert.equal(closedText(marketHours({ ...es('202609', ''), includeExpired: true }, NOW, true)!), 'Expired');
    const live = marketHours(es('202612', '20261218'), NOW, true)!;
    assert.equal(live.open, true);
    assert.equal(live.expired, undefined);
  });

  it('keeps its regular hours: its bars outside them (its last overnight session, the expiry morning) can be shown', () => {
    const LIQUID = '20261117:0830-20261117:1500;20261118:0830-20261118:1500';
    const h = marketHours({ ...es('202609', '20260918'), liquidHours: LIQUID }, NOW, false)!;
    assert.equal(h.expired, '2026-09-18');
    assert.ok(h.regular, 'regular hours inside longer trading hours: the Extended hours box stays');
    assert.equal(marketHours(es('202609', '20260918'), NOW, false)!.regular, undefined, 'hours that are all regular: none');
  });

  it('on its last trade day it is not yet expired', () => {
    assert.equal(marketHours(es('202611', '20261117'), NOW, true)!.expired, undefined);
  });
});
