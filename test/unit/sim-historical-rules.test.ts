/**
 * The simulator's historical-data rules against TWS's answers: the bar size
 * spellings TWS takes (its own 321 text lists them; "1 sec" is refused), and
 * the start date HISTORICAL_DATA's header carries (the end minus the
 * duration on the calendar).
 */
import assert from 'node:assert/strict';
import { LEGAL_BAR_SIZES_TEXT, barSeconds, readDuration } from '../../src/sim/facts/historical-rules';
import { headerStart } from '../../src/sim/handlers/historical';
import { createUniverse } from '../../src/sim/market';

const utc = (iso: string): number => Date.parse(`${iso}Z`) / 1000;

describe('sim historical rules: bar size spellings and the header start', () => {
  it('takes every bar size TWS lists as legal, and IB\'s "1 week" and "1 month"', () => {
    for (const name of LEGAL_BAR_SIZES_TEXT.split(', ')) assert.ok(barSeconds(name), name);
    assert.equal(barSeconds('1 secs'), 1);
    assert.equal(barSeconds('1 min'), 60);
    assert.equal(barSeconds('1 hour'), 3600);
    assert.equal(barSeconds('1 week'), 604_800);
    assert.equal(barSeconds('1W'), 604_800);
    assert.equal(barSeconds('1 month'), 2_592_000);
    assert.equal(barSeconds('1M'), 2_592_000);
  });

  it('refuses "1 sec" (TWS: 321 "Historical data bar size setting is invalid") and other spellings outside its list', () => {
    for (const name of ['1 sec', '5 sec', '1 mins', '5 min', '2 hour', '1 hours', '1 days', '1 weeks', '7 mins'])
      assert.equal(barSeconds(name), undefined, name);
  });

  it('heads a request with its end minus the duration, at the same wall-clock time', () => {
    const u = createUniverse({ now: Date.parse('2026-11-24T16:00:00Z') });
    const aapl = u.byConId(265598)!;
    const start = (end: string, duration: string): string => new Date(headerStart(aapl, utc(end), readDuration(duration)!) * 1000).toISOString();
    assert.equal(start('2026-11-21T16:31:22', '2 D'), '2026-11-19T16:31:22.000Z', 'Saturday back to Thursday, not a session open');
    assert.equal(start('2026-11-24T13:59:54', '1 D'), '2026-11-23T13:59:54.000Z');
    assert.equal(start('2026-11-24T15:00:00', '3600 S'), '2026-11-24T14:00:00.000Z');
    assert.equal(start('2026-11-24T15:00:00', '2 W'), '2026-11-10T15:00:00.000Z');
    assert.equal(start('2026-11-24T15:00:00', '1 M'), '2026-10-24T14:00:00.000Z', '10:00 New York, before the autumn clock change');
    assert.equal(start('2026-11-24T15:00:00', '1 Y'), '2025-11-24T15:00:00.000Z');
  });
});
