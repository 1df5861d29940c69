// Which bars of an extended-hours chart are outside the regular session: the host's regular
// sessions from IB's liquidHours / tradingHours (src/ib/facts/regular-hours.ts), and the
// webview's runs of bars outside them (media/chart/outside-hours.ts), together.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHostMessage } from '../../media/chart/messages';
import { OutsideHoursBands, outsideKind, outsideRuns } from '../../media/chart/outside-hours';
import { regularHours, regularSessionsOver } from '../../src/ib/facts/regular-hours';

const sec = (iso: string): number => Date.parse(iso) / 1000;

/** Bars every `step` seconds from `from` (inclusive) to `to` (exclusive), ISO times. */
function bars(from: string, to: string, step = 300): Array<{ time: number }> {
  const out: Array<{ time: number }> = [];
  for (let t = sec(from); t < sec(to); t += step) out.push({ time: t });
  return out;
}

/** The regular sessions the host sends for these bars, in epoch seconds. */
function sent(contract: { tradingHours: string; liquidHours: string; timeZoneId: string }, list: Array<{ time: number }>): Array<[number, number]> {
  const hours = regularHours(contract);
  assert.ok(hours, 'the contract trades outside its regular hours');
  return regularSessionsOver(
    hours,
    list.map((b) => b.time),
  ).map((s): [number, number] => [s.start / 1000, s.end / 1000]);
}

/** The times (ISO, minutes) of the first and last bar of each run outside. */
function runTimes(list: Array<{ time: number }>, sessions: Array<[number, number]>): string[][] {
  const iso = (t: number) => new Date(t * 1000).toISOString().slice(0, 16);
  return outsideRuns(list, sessions).map(([a, b]) => [iso(list[a].time), iso(list[b].time)]);
}

/** A US stock's week in IB's format: regular 09:30-16:00 or extended 04:00-20:00 New York on the days given, CLOSED on the others. */
function usStock(
  days: Array<string | [string, string, string]>,
  extended: Record<string, string> = {},
): { tradingHours: string; liquidHours: string; timeZoneId: string } {
  const entry = (d: string | [string, string, string], from: string, to: string) =>
    typeof d === 'string' ? (d.endsWith('CLOSED') ? d : `${d}:${from}-${d}:${to}`) : `${d[0]}:${d[1]}-${d[0]}:${d[2]}`;
  return {
    timeZoneId: 'US/Eastern',
    liquidHours: days.map((d) => entry(d, '0930', '1600')).join(';'),
    tradingHours: days.map((d) => (typeof d === 'string' ? entry(d, '0400', '2000') : `${d[0]}:0400-${d[0]}:${extended[d[0]] ?? '2000'}`)).join(';'),
  };
}

const NOV_17_WEEK = usStock(['20261117', '20261118', '20261119', '20261120', '20261121:CLOSED', '20261122:CLOSED']);

describe('bars outside regular hours (extended-hours charts)', () => {
  it('a US stock: the pre-market (04:00-09:30) and after-hours (16:00-20:00) bars, not the regular ones', () => {
    // Tuesday 17 November 2026, 5-minute bars 04:00-20:00 New York (EST: 09:00Z-01:00Z)
    const day = bars('2026-11-17T09:00:00Z', '2026-11-18T01:00:00Z');
    assert.equal(day.length, 192);
    const sessions = sent(NOV_17_WEEK, day);
    assert.deepEqual(sessions[0], [sec('2026-11-17T14:30:00Z'), sec('2026-11-17T21:00:00Z')]);
    assert.deepEqual(outsideRuns(day, sessions), [
      [0, 65], // 04:00-09:25
      [144, 191], // 16:00-19:55
    ]);
    assert.equal(outsideKind(sessions, day[65].time), 'pre');
    assert.equal(outsideKind(sessions, day[66].time), undefined, '09:30 opens the regular session');
    assert.equal(outsideKind(sessions, day[143].time), undefined);
    assert.equal(outsideKind(sessions, day[144].time), 'post');
    assert.equal(outsideKind(sessions, day[191].time), 'post');
  });

  it('days before the hours list (TWS lists from today on) get the usual session, also across a clock change', () => {
    // the list starts Tuesday 3 November 2026 (EST); the bars go back to Friday 30 October (EDT: 09:30 is 13:30Z)
    const hours = usStock(['20261103', '20261104', '20261105', '20261106', '20261107:CLOSED', '20261108:CLOSED']);
    const list = [...bars('2026-10-30T08:00:00Z', '2026-10-31T00:00:00Z'), ...bars('2026-11-02T09:00:00Z', '2026-11-03T01:00:00Z')];
    const sessions = sent(hours, list);
    assert.deepEqual(sessions.slice(0, 3), [
      [sec('2026-10-30T13:30:00Z'), sec('2026-10-30T20:00:00Z')],
      [sec('2026-11-02T14:30:00Z'), sec('2026-11-02T21:00:00Z')],
      [sec('2026-11-03T14:30:00Z'), sec('2026-11-03T21:00:00Z')],
    ]);
    assert.equal(sessions.length, 2 + 4, 'no session made up for the weekend: nothing traded');
    // the after hours of Friday and the pre-market of Monday are one band (no bars between them)
    assert.deepEqual(runTimes(list, sessions), [
      ['2026-10-30T08:00', '2026-10-30T13:25'],
      ['2026-10-30T20:00', '2026-11-02T14:25'],
      ['2026-11-02T21:00', '2026-11-03T00:55'],
    ]);
  });

  it('a clock change inside the listed week: 09:30 is 13:30Z before it and 14:30Z after it', () => {
    // US clocks go back on Sunday 1 November 2026
    const hours = usStock(['20261029', '20261030', '20261031:CLOSED', '20261101:CLOSED', '20261102', '20261103']);
    const list = bars('2026-10-30T13:25:00Z', '2026-10-30T20:05:00Z').concat(bars('2026-11-02T13:25:00Z', '2026-11-02T21:05:00Z'));
    const sessions = sent(hours, list);
    assert.deepEqual(runTimes(list, sessions), [
      ['2026-10-30T13:25', '2026-10-30T13:25'],
      ['2026-10-30T20:00', '2026-11-02T14:25'],
      ['2026-11-02T21:00', '2026-11-02T21:00'],
    ]);
  });

  it('a half day: after 13:00 on the day after Thanksgiving the bars are after hours; the holiday lists none', () => {
    const hours = usStock(['20261124', '20261125', '20261126:CLOSED', ['20261127', '0930', '1300'], '20261128:CLOSED', '20261129:CLOSED'], {
      '20261127': '1700',
    });
    assert.match(hours.liquidHours, /20261126:CLOSED;20261127:0930-20261127:1300;/);
    const friday = bars('2026-11-27T09:00:00Z', '2026-11-27T22:00:00Z');
    const sessions = sent(hours, friday);
    assert.deepEqual(runTimes(friday, sessions), [
      ['2026-11-27T09:00', '2026-11-27T14:25'],
      ['2026-11-27T18:00', '2026-11-27T21:55'],
    ]);
    assert.equal(outsideKind(sessions, sec('2026-11-27T18:00:00Z')), 'post');
    // the usual session is the one listed most often, not the half day
    assert.deepEqual(regularHours(hours)?.usual, { start: 570, end: 960 });
  });

  it('a future (real TWS hours of ESM5): the evening session is outside, 08:30 Chicago opens the regular one', () => {
    const captures: Array<{ id: string; fields: string[] }> = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'tws-captures.json'), 'utf8'));
    const fields = captures.find((c) => c.id === 'rust-contract-data-es-fut')!.fields;
    const i = fields.indexOf('US/Central');
    const es = { timeZoneId: fields[i], tradingHours: fields[i + 1], liquidHours: fields[i + 2] };
    // Thursday 22 May 2025, 17:00 Chicago to Friday 23 May 16:00 (CDT: 22:00Z-21:00Z), hourly
    const list = bars('2025-05-22T22:00:00Z', '2025-05-23T21:00:00Z', 3600);
    const sessions = sent(es, list);
    assert.deepEqual(runTimes(list, sessions), [['2025-05-22T22:00', '2025-05-23T13:00']]);
    assert.equal(outsideKind(sessions, sec('2025-05-22T23:00:00Z')), 'post', '18:00 Chicago, nearer the close');
    assert.equal(outsideKind(sessions, sec('2025-05-23T12:00:00Z')), 'pre', '07:00 Chicago, nearer the open');
  });

  it('no separate extended session, nothing to shade: forex, an index, hours not known', () => {
    const fx = ';20231203:1715-20231204:1700;20231204:1715-20231205:1700;20231205:1715-20231206:1700';
    assert.equal(regularHours({ timeZoneId: 'US/Eastern', tradingHours: fx, liquidHours: fx }), undefined);
    const index = '20261117:0930-20261117:1600;20261118:0930-20261118:1600;20261121:CLOSED';
    assert.equal(regularHours({ timeZoneId: 'US/Eastern', tradingHours: index, liquidHours: index }), undefined);
    assert.equal(regularHours({ timeZoneId: 'US/Eastern', tradingHours: NOV_17_WEEK.tradingHours }), undefined);
    assert.equal(regularHours({ ...NOV_17_WEEK, timeZoneId: 'Not/AZone' }), undefined);
    assert.equal(regularHours({ ...NOV_17_WEEK, liquidHours: '20261121:CLOSED' }), undefined);
  });

  it('the bands follow live bars: an appended bar outside extends the last run or starts one', () => {
    const day = bars('2026-11-17T13:00:00Z', '2026-11-17T14:40:00Z'); // 08:00-09:35
    const sessions = sent(NOV_17_WEEK, day);
    const shown = day.slice();
    const bands = new OutsideHoursBands(() => shown);
    assert.equal(bands.count, 0, 'no sessions: nothing shaded');
    bands.setSessions(sessions);
    assert.equal(bands.count, 18, '08:00-09:25');
    shown.push({ time: sec('2026-11-17T14:40:00Z') });
    bands.appended(shown.length - 1, shown[shown.length - 1].time);
    assert.equal(bands.count, 18, 'a regular bar is not shaded');
    for (const t of ['2026-11-17T21:00:00Z', '2026-11-17T21:05:00Z']) {
      shown.push({ time: sec(t) });
      bands.appended(shown.length - 1, sec(t));
    }
    assert.equal(bands.count, 20);
    assert.equal(bands.kindOf(sec('2026-11-17T21:05:00Z')), 'post');
    bands.setSessions(undefined);
    assert.equal(bands.count, 0);
  });

  it('the webview takes well-formed sessions only: a faulty list is dropped whole, the bars kept', () => {
    const candle = { time: sec('2026-11-17T14:00:00Z'), open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 };
    const good: Array<[number, number]> = [
      [sec('2026-11-16T14:30:00Z'), sec('2026-11-16T21:00:00Z')],
      [sec('2026-11-17T14:30:00Z'), sec('2026-11-17T21:00:00Z')],
    ];
    const candles = (regularSessions: unknown) => parseHostMessage({ type: 'candles', symbol: 'IBM', barSize: '5 mins', candles: [candle], regularSessions });
    assert.deepEqual(candles(good), { type: 'candles', symbol: 'IBM', barSize: '5 mins', candles: [candle], regularSessions: good });
    const faulty: unknown[] = [
      'all day',
      [[1, 2, 3]],
      [[good[0][0], 'x']],
      [[good[0][1], good[0][0]]], // ends before it starts
      [good[1], good[0]], // out of order
      [good[0], [good[0][1] - 60, good[1][1]]], // overlapping
      [[good[0][0] + 0.5, good[0][1]]],
      [[-100, 100]],
      [[good[0][0], Infinity]],
      Array.from({ length: 10_001 }, (_, k) => [k * 100 + 1, k * 100 + 50]),
    ];
    for (const f of faulty) {
      assert.deepEqual(candles(f), { type: 'candles', symbol: 'IBM', barSize: '5 mins', candles: [candle] }, JSON.stringify(f).slice(0, 80));
      assert.equal(parseHostMessage({ type: 'sessions', symbol: 'IBM', barSize: '5 mins', regularSessions: f }), undefined);
    }
    assert.deepEqual(parseHostMessage({ type: 'sessions', symbol: 'IBM', barSize: '5 mins' }), { type: 'sessions', symbol: 'IBM', barSize: '5 mins' });
    assert.equal(parseHostMessage({ type: 'sessions', symbol: 42, barSize: '5 mins', regularSessions: good }), undefined);
  });
});
