/**
 * The domain's check of a bar size with a duration, before anything is sent: IB's step-size
 * table ("Historical Bar Data: step sizes": 1800 S takes 1 secs, 3600 S 5 secs, 14400 S 10 secs,
 * 28800 S 30 secs, 1 D 1 min), and the extension's own cap of 20,000 bars of calendar time per
 * request. Checked against the simulator's reading of the same table, written apart from it.
 */
import { strict as assert } from 'node:assert';
import { BAR_SIZES, checkBarRequest, MAX_BARS_PER_REQUEST } from '../../src/ib/bar-sizes';
import { barSeconds, readDuration, stepProblem } from '../../src/sim/facts/historical-rules';

describe('bar sizes: the step table and the bar cap', () => {
  // [bar size, duration, the smallest bar IB serves over that duration]
  const refused: Array<[string, string, string]> = [
    ['1 secs', '1801 S', '5 secs'],
    ['1 secs', '3600 S', '5 secs'],
    ['5 secs', '3601 S', '10 secs'],
    ['5 secs', '14400 S', '10 secs'],
    ['10 secs', '14401 S', '30 secs'],
    ['10 secs', '28800 S', '30 secs'],
    ['15 secs', '28800 S', '30 secs'],
    ['30 secs', '28801 S', '1 min'],
    ['30 secs', '1 D', '1 min'],
    ['30 secs', '1 W', '1 min'],
  ];
  for (const [bar, duration, needed] of refused) {
    it(`refuses ${bar} over ${duration}, naming the bar IB needs: ${needed}`, () => {
      const problem = checkBarRequest(bar, duration);
      assert.ok(problem, `${bar} over ${duration} is refused`);
      assert.ok(problem.includes(`IB needs "${needed}" or larger`), problem);
    });
  }

  const accepted: Array<[string, string]> = [
    ['1 secs', '60 S'],
    ['1 secs', '1800 S'],
    ['5 secs', '1801 S'],
    ['5 secs', '3600 S'],
    ['10 secs', '14400 S'],
    ['30 secs', '28800 S'],
    ['1 min', '1 D'],
  ];
  for (const [bar, duration] of accepted) {
    it(`accepts ${bar} over ${duration}`, () => {
      assert.equal(checkBarRequest(bar, duration), undefined);
    });
  }

  it('caps one request at 20,000 bars of calendar time: 1 min over 1 W (10,080) and 1 hour over 1 Y (8,760) pass, 1 min over 2 W (20,160) does not', () => {
    assert.equal(MAX_BARS_PER_REQUEST, 20_000);
    assert.equal(checkBarRequest('1 min', '1 W'), undefined);
    assert.equal(checkBarRequest('1 hour', '1 Y'), undefined);
    assert.match(checkBarRequest('1 min', '2 W') ?? '', /20,160 bars .*more than the 20,000/);
    assert.match(checkBarRequest('30 secs', '1 W') ?? '', /IB needs "1 min"/, 'the step table first');
    assert.match(checkBarRequest('1 min', '1 M') ?? '', /43,200 bars .*more than the 20,000/);
    assert.match(checkBarRequest('1 min', '1 Y') ?? '', /525,600 bars/);
  });

  it("agrees with the simulator's reading of IB's table for every bar size over every duration", () => {
    const seconds = new Set<number>();
    for (const edge of [60, 120, 1800, 3600, 14400, 28800, 86400]) for (const s of [edge - 1, edge, edge + 1]) if (s <= 86400) seconds.add(s);
    for (let s = 1; s <= 86400; s += 997) seconds.add(s);
    const durations = [
      ...[...seconds].map((s) => `${s} S`),
      ...Array.from({ length: 365 }, (_, i) => `${i + 1} D`),
      ...Array.from({ length: 52 }, (_, i) => `${i + 1} W`),
      ...Array.from({ length: 12 }, (_, i) => `${i + 1} M`),
      ...Array.from({ length: 20 }, (_, i) => `${i + 1} Y`),
    ];
    let refusedByBoth = 0;
    for (const bar of BAR_SIZES) {
      const barSecs = barSeconds(bar);
      assert.ok(barSecs, `the simulator knows ${bar}`);
      for (const duration of durations) {
        const d = readDuration(duration);
        assert.ok(d, `the simulator reads ${duration}`);
        const domain = checkBarRequest(bar, duration);
        const sim = stepProblem(barSecs, d);
        const where = `${bar} over ${duration}`;
        if (sim) {
          assert.equal(domain, sim, where);
          refusedByBoth++;
        } else if (Math.floor(d.nominal / barSecs) > MAX_BARS_PER_REQUEST) {
          assert.match(domain ?? '', /bars of calendar time, more than the 20,000/, where);
        } else {
          assert.equal(domain, undefined, where);
        }
      }
    }
    assert.ok(refusedByBoth > 1000, `${refusedByBoth} pairs refused by the step table`);
  });
});
