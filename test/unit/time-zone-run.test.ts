/**
 * scripts/test.mjs runs the unit suite again with TZ set (Los Angeles, Auckland), so that a date
 * read at this machine's midnight fails somewhere: this proves the zone named is the zone in force
 * (an unknown name would fall back to UTC and the run would prove nothing).
 */
import { strict as assert } from 'node:assert';

describe('the time zone of this run', () => {
  const zone = process.env.TZ;
  (zone ? it : it.skip)(`is the zone TZ names (${zone ?? 'not set'})`, () => {
    assert.equal(Intl.DateTimeFormat().resolvedOptions().timeZone, zone);
    // not UTC: local midnight of a date is not UTC midnight
    if (zone !== 'UTC' && zone !== 'Etc/UTC') assert.notEqual(new Date(2026, 10, 17).getTime(), Date.UTC(2026, 10, 17));
  });
});
