import { strict as assert } from 'node:assert';
import { ChartTimes, indexOfTime } from '../../media/chart/chart-time';
import { formatBarTime, formatTick } from '../../media/chart/format';

const at = (iso: string) => Date.parse(iso) / 1000;
const iso = (s: number) => new Date(s * 1000).toISOString().slice(0, 16);

describe("chart times: the zone's wall clock for lightweight-charts, which reads every time as UTC", () => {
  it("gives a bar its time in the zone read as UTC (New York's midnight is the library's midnight)", () => {
    const ny = new ChartTimes('America/New_York', false);
    assert.equal(iso(ny.toChart(at('2026-11-17T05:00:00Z'), undefined)), '2026-11-17T00:00'); // EST
    assert.equal(iso(ny.toChart(at('2026-07-01T04:00:00Z'), undefined)), '2026-07-01T00:00'); // EDT
    assert.equal(iso(new ChartTimes('Asia/Kolkata', false).toChart(at('2026-11-16T18:30:00Z'), undefined)), '2026-11-17T00:00');
  });

  it('leaves UTC charts and daily bars (dated 00:00 UTC by their session) as they are', () => {
    const t = at('2026-11-17T00:00:00Z');
    assert.equal(new ChartTimes('UTC', false).toChart(t, undefined), t);
    assert.equal(new ChartTimes('America/New_York', true).toChart(t, undefined), t);
  });

  it('stays strictly ascending where the clock goes back an hour (1-minute bars through 1 November 2026 in New York)', () => {
    const ny = new ChartTimes('America/New_York', false);
    const start = at('2026-11-01T04:00:00Z');
    const instants = Array.from({ length: 4 * 60 }, (_, i) => start + i * 60);
    const times = ny.allToChart(instants);
    for (let i = 1; i < times.length; i++) assert.ok(times[i] > times[i - 1], `ascending at ${iso(instants[i])}: ${times[i - 1]} then ${times[i]}`);
    // before the change 00:00 EDT; after it, the second 01:00 (EST) follows the first 01:59 (EDT); 02:00 EST is itself again
    assert.equal(iso(times[0]), '2026-11-01T00:00');
    assert.equal(iso(times[instants.indexOf(at('2026-11-01T07:00:00Z'))]), '2026-11-01T02:00');
    assert.equal(times.length, instants.length);
  });

  it('skips the missing hour in spring without a collision', () => {
    const ny = new ChartTimes('America/New_York', false);
    const start = at('2026-03-08T05:00:00Z');
    const times = ny.allToChart(Array.from({ length: 5 }, (_, i) => start + i * 3600));
    assert.deepEqual(times.map(iso), ['2026-03-08T00:00', '2026-03-08T01:00', '2026-03-08T03:00', '2026-03-08T04:00', '2026-03-08T05:00']);
  });

  it('finds a bar by its library time', () => {
    const sorted = [10, 20, 30, 40];
    assert.equal(indexOfTime(sorted, 30), 2);
    assert.equal(indexOfTime(sorted, 35), -1);
    assert.equal(indexOfTime([], 1), -1);
  });
});

describe('time-axis labels', () => {
  const ny = { zone: 'America/New_York', label: 'US/Eastern' };
  const t = Date.parse('2026-11-17T19:35:00Z') / 1000;
  it('a whole minute among seconds: with its seconds for bars under a minute, without for longer bars', () => {
    // lightweight-charts' TickMarkType: 3 a time, 4 a time with seconds
    assert.equal(formatTick(t, 3, ny, false, 1), '14:35:00');
    assert.equal(formatTick(t + 15, 4, ny, false, 1), '14:35:15');
    assert.equal(formatTick(t, 3, ny, false, 60), '14:35');
    assert.equal(formatTick(t, 3, ny, false, undefined), '14:35');
    assert.equal(formatTick(t, 2, ny, false, 1), 'Nov 17', 'a day boundary among times names its month');
    assert.equal(formatTick(t, 2, ny, true), '17', 'among daily bars, the day alone (the month has its own mark)');
  });
});

describe("a week's and a month's bar, as the legend and crosshair name them", () => {
  // IB dates them by their last trading day (so far): the week of 9-13 November 2026, July 2023
  it('reads "Week to 2026-11-13" and "Jul 2023", not as one day\'s bar; a day\'s bar is its date', () => {
    assert.equal(formatBarTime(Date.UTC(2026, 10, 13) / 1000, 604800), 'Week to 2026-11-13');
    assert.equal(formatBarTime(Date.UTC(2023, 6, 31) / 1000, 2592000), 'Jul 2023');
    assert.equal(formatBarTime(Date.UTC(2026, 10, 13) / 1000, 86400), '2026-11-13');
  });
});
