import { strict as assert } from 'node:assert';
import { rangeLabel } from '../../media/chart/format';

describe("the chart toolbar's names for IB's durations and bar sizes", () => {
  it("reads as a person says them; the value sent stays IB's", () => {
    const cases: Array<[string, string]> = [
      ['1800 S', '30 min'],
      ['3600 S', '1 hour'],
      ['14400 S', '4 hours'],
      ['90 S', '90 sec'],
      ['1 D', '1 day'],
      ['2 W', '2 weeks'],
      ['1 M', '1 month'],
      ['5 Y', '5 years'],
      ['1 secs', '1 sec'],
      ['5 secs', '5 secs'],
      ['15 mins', '15 mins'],
      ['1 hour', '1 hour'],
    ];
    for (const [value, label] of cases) assert.equal(rangeLabel(value), label, value);
  });
});
