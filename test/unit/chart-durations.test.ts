/**
 * The ranges a chart offers reach as far as IB serves each bar size under a minute (IB's "Historical Bar
 * Data" step table: 1 secs up to 1800 S, 5 secs up to 3600 S, 10 secs up to 14400 S, 30 secs up to 28800 S):
 * a 30-second chart could show only 30 minutes, though IB serves it 8 hours.
 */
import { strict as assert } from 'node:assert';
import { checkBarRequest } from '../../src/ib/bar-sizes';
import { CHART_DURATIONS } from '../../src/vscode/chart-messages';

describe('the ranges a chart offers', () => {
  for (const [bar, longest] of [
    ['1 secs', '1800 S'],
    ['5 secs', '3600 S'],
    ['10 secs', '14400 S'],
    ['30 secs', '28800 S'],
  ] as const) {
    it(`${bar}: up to ${longest}, the longest IB serves`, () => {
      assert.ok(CHART_DURATIONS.includes(longest), `${longest} is offered`);
      assert.equal(checkBarRequest(bar, longest), undefined, 'and taken');
      const offered = CHART_DURATIONS.filter((d) => checkBarRequest(bar, d) === undefined);
      assert.equal(offered[offered.length - 1], longest, `the longest offered for ${bar}: ${offered.join(', ')}`);
    });
  }
});
