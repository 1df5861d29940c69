// Market hours as real TWS writes them (CONTRACT_DATA's tradingHours / liquidHours, in the
// contract's timeZoneId), read from the recorded captures in test/fixtures.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exchangeTimeText, ibUtcEndDateTime, marketState, parseSessions, sessionsFor } from '../../src/ib/facts/trading-hours';
import { zonedTimeToEpoch } from '../../src/ib/facts/time-zone';
import { resolveZone } from '../../src/ib/facts/tws-zone-names';

interface Capture {
  id: string;
  fields: string[];
}
const captures: Capture[] = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'tws-captures.json'), 'utf8'));

/** timeZoneId, tradingHours and liquidHours of a recorded CONTRACT_DATA (the three fields after the industry ones). */
function hoursOf(id: string): { timeZoneId: string; tradingHours: string; liquidHours: string } {
  const c = captures.find((x) => x.id === id);
  assert.ok(c, `capture ${id}`);
  const i = c.fields.findIndex((f) => /^(US|Europe|Asia)\//.test(f));
  assert.ok(i > 0, `a time zone in ${id}`);
  return { timeZoneId: c.fields[i], tradingHours: c.fields[i + 1], liquidHours: c.fields[i + 2] };
}

const utc = (iso: string): number => Date.parse(iso);

describe('trading hours (real TWS CONTRACT_DATA)', () => {
  it('a US stock: regular hours, CLOSED days, the next open across a holiday weekend', () => {
    const tsla = hoursOf('rust-contract-data-tsla-smart');
    const regular = sessionsFor(tsla, true);
    assert.equal(regular.length, 3);
    assert.equal(regular[0].start, utc('2022-12-29T14:30:00Z'), '09:30 New York in winter is 14:30 UTC');
    assert.equal(regular[0].end, utc('2022-12-29T21:00:00Z'));
    // Friday 30 Dec 2022, 17:00 New York: closed until Tuesday 3 Jan (New Year's Day observed on Monday)
    const s = marketState(regular, utc('2022-12-30T22:00:00Z'));
    assert.equal(s.open, false);
    assert.equal(s.last?.end, utc('2022-12-30T21:00:00Z'));
    assert.equal(s.next?.start, utc('2023-01-03T14:30:00Z'));
    assert.equal(exchangeTimeText(s.next!.start, tsla.timeZoneId), 'Tue 3 Jan 09:30 US/Eastern');
    // extended hours: 04:00-20:00, so 17:00 is inside them
    assert.equal(marketState(sessionsFor(tsla, false), utc('2022-12-30T22:00:00Z')).open, true);
  });

  it('forex: a leading ";" and sessions that run across midnight (Sunday 17:15 to Monday 17:00)', () => {
    const eur = hoursOf('nautilus-contract-data-eurusd');
    const sessions = parseSessions(eur.tradingHours, eur.timeZoneId);
    assert.equal(sessions.length, 5, 'Sunday to Friday, with the daily break 17:00-17:15');
    assert.equal(sessions[0].start, utc('2023-12-03T22:15:00Z'), 'Sunday 17:15 New York');
    assert.equal(sessions[4].end, utc('2023-12-08T22:00:00Z'), 'Friday 17:00 New York');
    const inBreak = marketState(sessions, utc('2023-12-04T22:05:00Z'));
    assert.equal(inBreak.open, false, 'Monday 17:05: the daily break');
    assert.equal(inBreak.next?.start, utc('2023-12-04T22:15:00Z'));
    assert.equal(marketState(sessions, utc('2023-12-03T21:00:00Z')).open, false, 'Sunday 16:00: not yet');
    assert.equal(marketState(sessions, utc('2023-12-04T07:00:00Z')).open, true, 'Monday 02:00: trading');
  });

  it('futures in Chicago time: the evening session and the regular one are told apart', () => {
    const es = hoursOf('rust-contract-data-es-fut');
    assert.equal(es.timeZoneId, 'US/Central');
    const all = sessionsFor(es, false);
    const regular = sessionsFor(es, true);
    // Thursday 22 May 2025, 18:00 Chicago (23:00 UTC): the Globex evening session trades, the regular one does not
    const evening = utc('2025-05-22T23:00:00Z');
    assert.equal(marketState(all, evening).open, true);
    assert.equal(marketState(regular, evening).open, false);
    assert.equal(marketState(regular, evening).next?.start, utc('2025-05-23T13:30:00Z'), '08:30 Chicago in summer is 13:30 UTC');
  });

  it('older TWS: times after the date, several pieces a day', () => {
    const sessions = parseSessions('20090507:0700-1830,1830-2330;20090508:CLOSED', 'US/Eastern');
    assert.deepEqual(sessions, [{ start: utc('2009-05-07T11:00:00Z'), end: utc('2009-05-08T03:30:00Z') }]);
  });

  it('daylight saving: the same wall time is another UTC hour before and after the switch', () => {
    assert.equal(zonedTimeToEpoch(2026, 3, 6, 9, 30, 0, 'US/Eastern'), utc('2026-03-06T14:30:00Z'));
    assert.equal(zonedTimeToEpoch(2026, 3, 9, 9, 30, 0, 'US/Eastern'), utc('2026-03-09T13:30:00Z'));
    assert.equal(zonedTimeToEpoch(2026, 10, 30, 8, 30, 0, 'US/Central'), utc('2026-10-30T13:30:00Z'));
    assert.equal(zonedTimeToEpoch(2026, 11, 2, 8, 30, 0, 'US/Central'), utc('2026-11-02T14:30:00Z'));
  });

  it('older short zone ids are the exchange\'s clock, summer included: "EST" (or "EST (Eastern Standard Time)") opens at 13:30 UTC in July', () => {
    for (const zone of ['EST', 'EST (Eastern Standard Time)', 'US/Eastern']) {
      const [s] = parseSessions('20260715:0930-20260715:1600', zone);
      assert.equal(s?.start, utc('2026-07-15T13:30:00Z'), zone);
    }
    const [cst] = parseSessions('20260715:0830-20260715:1500', 'CST');
    assert.equal(cst?.start, utc('2026-07-15T13:30:00Z'), 'CST in July is Chicago daylight time');
    assert.equal(resolveZone('EST'), 'America/New_York');
    assert.equal(resolveZone('JST'), 'Asia/Tokyo');
  });

  it('lists nothing for no hours or a zone the platform does not know (never claims closed)', () => {
    assert.deepEqual(parseSessions('', 'US/Eastern'), []);
    assert.deepEqual(parseSessions('20221229:0930-20221229:1600', 'Nowhere/Atlantis'), []);
    assert.deepEqual(parseSessions('garbage;20221231:CLOSED', 'US/Eastern'), []);
  });

  it('an end date IB takes without the 2174 zone warning: yyyyMMdd-HH:mm:ss in UTC', () => {
    assert.equal(ibUtcEndDateTime(utc('2026-11-25T21:00:00Z')), '20261125-21:00:00');
  });
});
