import { strict as assert } from 'node:assert';
import { parseBarTime } from '../../src/ib/facts/bar-time';
import { loginZoneName, resolveZone } from '../../src/ib/facts/tws-zone-names';

const utc = (iso: string) => Date.parse(iso) / 1000;

describe('facts: bar times at their instant, whatever the format', () => {
  it('epoch seconds (formatDate 2)', () => {
    assert.equal(parseBarTime('1752499800'), utc('2025-07-14T13:30:00Z'));
  });

  it('yyyyMMdd (daily and longer bars, whatever formatDate) is UTC midnight of that date', () => {
    assert.equal(parseBarTime('20230413', { contractZone: 'US/Eastern', loginZone: 'British Summer Time' }), utc('2023-04-13T00:00:00Z'));
    assert.equal(parseBarTime('20230230'), undefined, 'not a date');
  });

  it('a zone suffix is the zone of the time, in and out of summer time', () => {
    assert.equal(parseBarTime('20250714 09:30:00 US/Eastern'), utc('2025-07-14T13:30:00Z'));
    assert.equal(parseBarTime('20251124 09:30:00 US/Eastern'), utc('2025-11-24T14:30:00Z'));
    assert.equal(parseBarTime('20251124 08:30:00 US/Central'), utc('2025-11-24T14:30:00Z'));
    assert.equal(parseBarTime('20250708 02:35:00 America/New_York'), utc('2025-07-08T06:35:00Z'));
  });

  it('zone-less times (two spaces or one) are in the login zone of the handshake', () => {
    assert.equal(parseBarTime('20230413  16:31:22', { loginZone: 'British Summer Time', contractZone: 'US/Eastern' }), utc('2023-04-13T15:31:22Z'));
    assert.equal(parseBarTime('20230323 22:21:01', { loginZone: 'Greenwich Mean Time' }), utc('2023-03-23T22:21:01Z'));
    assert.equal(parseBarTime('20250625  09:26:58', { loginZone: 'Central European Standard Time' }), utc('2025-06-25T07:26:58Z'));
    assert.equal(parseBarTime('20250625  09:26:58', { loginZone: '中国标准时间' }), utc('2025-06-25T01:26:58Z'));
  });

  it('zone-less with no known login zone: the contract zone, then UTC', () => {
    assert.equal(parseBarTime('20251124  09:30:00', { loginZone: 'Bogus Standard Time', contractZone: 'US/Eastern' }), utc('2025-11-24T14:30:00Z'));
    assert.equal(parseBarTime('20251124  09:30:00'), utc('2025-11-24T09:30:00Z'));
  });

  it('yyyyMMdd-HH:mm:ss is UTC', () => {
    assert.equal(parseBarTime('20250714-13:30:00', { loginZone: 'British Summer Time' }), utc('2025-07-14T13:30:00Z'));
  });

  it('a date that lost its year ("0714 09:30:00 US/Eastern") takes the latest year not after now', () => {
    const now = Date.parse('2025-07-15T12:59:54Z');
    assert.equal(parseBarTime('0714 09:30:00 US/Eastern', { nowMs: now }), utc('2025-07-14T13:30:00Z'));
    assert.equal(parseBarTime('1231 09:30:00 US/Eastern', { nowMs: Date.parse('2026-01-02T15:00:00Z') }), utc('2025-12-31T14:30:00Z'));
    assert.equal(parseBarTime('0714 09:30:00 US/Eastern'), undefined, 'without a now it cannot be placed');
  });

  it("a year-less bar a little ahead of this machine's clock (a forming bar, the gateway's clock ahead) stays in this year, not a year back", () => {
    const now = Date.parse('2025-07-14T13:29:00Z'); // 09:29 New York: the 09:30 bar is a minute ahead
    assert.equal(parseBarTime('0714 09:30:00 US/Eastern', { nowMs: now }), utc('2025-07-14T13:30:00Z'));
    // late on 31 December, the first bar of 1 January (the gateway a few minutes ahead) is next year's
    assert.equal(parseBarTime('0101 00:00:00 US/Eastern', { nowMs: Date.parse('2026-01-01T04:58:00Z') }), utc('2026-01-01T05:00:00Z'));
  });

  it('refuses what is not a time, and a zone nobody knows', () => {
    for (const t of ['', 'finished', '20251124 25:00:00 US/Eastern', '20251124 09:30:00 Mars/Olympus', '2025-11-24'])
      assert.equal(parseBarTime(t), undefined, t);
  });

  it('reads the login zone out of the handshake time and maps display names', () => {
    assert.equal(loginZoneName('20250323 22:21:01 Greenwich Mean Time'), 'Greenwich Mean Time');
    assert.equal(loginZoneName('20261117 15:00:00 UTC'), 'UTC');
    assert.equal(loginZoneName(undefined), undefined);
    assert.equal(resolveZone('British Summer Time'), 'Europe/London');
    assert.equal(resolveZone('US/Eastern'), 'US/Eastern');
    assert.equal(resolveZone('Bogus Standard Time'), undefined);
  });
});
