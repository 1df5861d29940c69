import { strict as assert } from 'node:assert';
import { activeMonth, daysToExpiry, expiredError, frontMonth, hasExpired, refuseExpired, ROLL_DAYS } from '../../src/ib/contracts/expired';
import { describeIbError, IbError, LOCAL_CODES } from '../../src/ib/errors';
import type { ResolvedContract } from '../../src/ib/types';

function month(localSymbol: string, last: string, contractMonth: string, conId: number, extra: Partial<ResolvedContract> = {}): ResolvedContract {
  return {
    conId,
    symbol: 'ES',
    secType: 'FUT',
    exchange: 'CME',
    currency: 'USD',
    localSymbol,
    lastTradeDateOrContractMonth: last,
    contractMonth,
    display: `${localSymbol} (CME)`,
    ...extra,
  };
}

const ESU6 = month('ESU6', '20260918', '202609', 1, { includeExpired: true });
const ESZ6 = month('ESZ6', '20261218', '202612', 2);
const ESH7 = month('ESH7', '20270319', '202703', 3);
const NOV_17 = Date.parse('2026-11-17T15:00:00Z');

describe('the month a future trades in: its roll week', () => {
  const at = (iso: string) => Date.parse(iso);
  it('the front month until ROLL_DAYS before its last trade day, then the next month of its class', () => {
    assert.equal(ROLL_DAYS, 8);
    assert.equal(activeMonth([ESZ6, ESH7], NOV_17), ESZ6);
    assert.equal(daysToExpiry(ESZ6, at('2026-12-09T23:00:00Z')), 9);
    assert.equal(activeMonth([ESZ6, ESH7], at('2026-12-09T23:00:00Z')), ESZ6, '9 days left');
    assert.equal(activeMonth([ESZ6, ESH7], at('2026-12-10T01:00:00Z')), ESH7, '8 days left');
    assert.equal(activeMonth([ESZ6, ESH7], at('2026-12-18T20:00:00Z')), ESH7, 'its last trade day');
    assert.equal(daysToExpiry(ESZ6, at('2026-12-18T20:00:00Z')), 0);
    // an expired month is never the one, the list's first live month is the front
    assert.equal(activeMonth([ESU6, ESZ6, ESH7], NOV_17), ESZ6);
    assert.equal(activeMonth([], NOV_17), undefined);
  });

  it("counts days on the exchange's calendar (IB's timeZoneId), not UTC's: a Chicago evening is still that day", () => {
    const chicago = { ...ESZ6, timeZoneId: 'US/Central' };
    const front = { ...ESH7, timeZoneId: 'US/Central' };
    // 01:00 UTC on the 10th is 19:00 on the 9th in Chicago: 9 days left, not 8
    assert.equal(daysToExpiry(chicago, at('2026-12-10T01:00:00Z')), 9);
    assert.equal(activeMonth([chicago, front], at('2026-12-10T01:00:00Z')), chicago);
    assert.equal(activeMonth([chicago, front], at('2026-12-10T06:00:00Z')), front, 'past midnight in Chicago');
    // the evening of its last trade day in Chicago is 00:30 UTC the next day: not yet expired there
    assert.equal(hasExpired(chicago, at('2026-12-19T00:30:00Z')), false);
    assert.equal(daysToExpiry(chicago, at('2026-12-19T00:30:00Z')), 0);
    assert.equal(hasExpired(chicago, at('2026-12-19T06:30:00Z')), true);
    // east of UTC: Tokyo's 19th starts at 15:00 UTC on the 18th
    const osaka = { ...ESZ6, timeZoneId: 'Japan', lastTradeDateOrContractMonth: '20261210' };
    assert.equal(hasExpired(osaka, at('2026-12-10T16:00:00Z')), true);
    assert.equal(hasExpired({ ...osaka, timeZoneId: undefined }, at('2026-12-10T16:00:00Z')), false, 'no zone: the UTC date');
    assert.equal(hasExpired({ ...osaka, timeZoneId: 'Mars/Olympus' }, at('2026-12-10T16:00:00Z')), false, 'an unknown zone: the UTC date');
  });

  it("rolls only to a month of the same class and size (a weekly's week is not a monthly's roll), and stays without one", () => {
    const weekly = month('VX51Z6', '20261216', '202612', 7, { multiplier: '1000' });
    const vxz6 = month('VXZ6', '20261216', '202612', 8, { multiplier: '1000' });
    const vxf7 = month('VXF7', '20270120', '202701', 9, { multiplier: '1000' });
    assert.equal(activeMonth([vxz6, weekly, vxf7], at('2026-12-14T15:00:00Z')), vxf7);
    assert.equal(activeMonth([ESZ6], at('2026-12-14T15:00:00Z')), ESZ6, 'no next month listed');
    // a weekly expiring before the monthly is not the front month: the monthlies are (the most months listed)
    const early = month('VX50Z6', '20261209', '202612', 10, { multiplier: '1000' });
    const vxg7 = month('VXG7', '20270217', '202702', 11, { multiplier: '1000' });
    assert.equal(frontMonth([early, vxz6, weekly, vxf7, vxg7], at('2026-12-02T15:00:00Z')), vxz6);
    assert.equal(activeMonth([early, vxz6, weekly, vxf7, vxg7], at('2026-12-02T15:00:00Z')), vxz6, "the weekly's roll week is not the monthly's");
    assert.equal(activeMonth([early, vxz6, weekly, vxf7, vxg7], at('2026-12-09T15:00:00Z')), vxf7, "the monthly's roll week");
    assert.equal(frontMonth([ESZ6, ESH7], NOV_17), ESZ6);
    assert.equal(frontMonth([], NOV_17), undefined);
    assert.equal(daysToExpiry({ lastTradeDateOrContractMonth: '202612' }, NOV_17), undefined, 'a month without a day');
    assert.equal(activeMonth([{ ...ESZ6, lastTradeDateOrContractMonth: '202612' }, ESH7], at('2026-12-14T15:00:00Z'))?.conId, ESZ6.conId);
  });
});

describe('expired futures months', () => {
  it('a month found only among the expired ones, or past its last trade day, has expired; a stock never', () => {
    assert.equal(hasExpired(ESU6, NOV_17), true);
    assert.equal(hasExpired(ESZ6, NOV_17), false);
    assert.equal(hasExpired(ESZ6, Date.parse('2026-12-18T20:00:00Z')), false, 'its last trade day itself');
    assert.equal(hasExpired(ESZ6, Date.parse('2026-12-19T00:30:00Z')), true);
    assert.equal(hasExpired({ ...ESZ6, secType: 'STK', lastTradeDateOrContractMonth: '20200101' }, NOV_17), false);
  });

  it("says when the month expired and names the front month of IB's list to use instead, with the extension's own code", async () => {
    const asked: string[] = [];
    const e = await expiredError({ futures: async (s, x) => (asked.push(`${s}@${x}`), [ESZ6, ESH7]) }, ESU6, NOV_17);
    assert.deepEqual(asked, ['ES@CME']);
    assert.ok(e instanceof IbError);
    assert.equal(e.info.code, LOCAL_CODES.expiredContract);
    assert.notEqual(e.info.code, 200, "never IB's code");
    assert.equal(e.info.source, 'local');
    assert.equal(e.info.category, 'contract');
    assert.equal(e.info.message, 'ES Sep 2026 (ESU6) expired on 2026-09-18, its last trade day: IB streams no quotes for an expired futures month.');
    assert.match(e.info.action, /^Use the front month instead: ES Dec 2026 \(ESZ6\), "ES 202612 FUT@CME"\. A chart of ES Sep 2026 still shows its bars/);
    // in December's roll week, the month trading has moved to (as the symbol search pre-selects it)
    const roll = await expiredError({ futures: async () => [ESZ6, ESH7] }, ESU6, Date.parse('2026-12-14T15:00:00Z'));
    assert.match(
      roll.info.action,
      /^Use the next month instead \(trading has moved there in the front month's roll week\): ES Mar 2027 \(ESH7\), "ES 202703 FUT@CME"/,
    );
  });

  it('skips the month itself and months past their last trade day in the list; without a list, says how to find one', async () => {
    const dec = await expiredError({ futures: async () => [ESZ6, ESH7] }, ESZ6, Date.parse('2026-12-21T15:00:00Z'));
    assert.match(dec.info.action, /ES Mar 2027 \(ESH7\), "ES 202703 FUT@CME"/);
    const none = await expiredError(
      {
        futures: async () => {
          throw new IbError(describeIbError(504));
        },
      },
      ESU6,
      NOV_17,
    );
    assert.match(none.info.action, /^Use a month that still trades: search for ES and pick one, or type one like "ES YYYYMM FUT@CME"/);
  });

  it('refuses only an expired month', async () => {
    const months = { futures: async () => [ESZ6] };
    assert.equal(await refuseExpired(months, ESZ6, NOV_17), ESZ6);
    await assert.rejects(refuseExpired(months, ESU6, NOV_17), (e: unknown) => e instanceof IbError && e.info.code === LOCAL_CODES.expiredContract);
  });
  it('names the next month of the same future: not a weekly or the mini listed beside it, and by a text that asks for exactly it', async () => {
    // VIX on CFE: the monthly VX (×1000), a weekly (VX49) and the mini (VXM, ×100) expire around the same days
    const vx = (conId: number, local: string, last: string, multiplier = '1000') =>
      month(local, last, `${last.slice(0, 6)}`, conId, { symbol: 'VIX', exchange: 'CFE', multiplier });
    const expired = { ...vx(10, 'VXX6', '20261118'), includeExpired: true };
    const listed = [vx(11, 'VX49Z6', '20261202'), vx(12, 'VXMZ6', '20261216', '100'), vx(13, 'VXZ6', '20261216')];
    const e = await expiredError({ futures: async () => listed }, expired, Date.parse('2026-11-20T15:00:00Z'));
    // the three share "VIX 202612 FUT@CFE": the monthly is named by its contract id, which asks for exactly it
    assert.match(e.info.action, /^Use the front month instead: VIX Dec 2026 \(VXZ6\), "13"\./);
  });
});
