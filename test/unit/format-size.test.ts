import { strict as assert } from 'node:assert';
import { formatSize } from '../../src/vscode/format';

describe('sizes and volumes as a person reads them', () => {
  it('whole below 10,000, then three significant digits with K, M, B', () => {
    const cases: Array<[number, string]> = [
      [0, '0'],
      [950, '950'],
      [9_999, '9999'],
      [12_345, '12.3K'],
      [300_000, '300K'],
      [999_950, '1.00M'],
      [1_600_000, '1.60M'],
      [32_400_000, '32.4M'],
      [634_434, '634K'],
      [1_200_000_000, '1.20B'],
      // rounded to three digits first: never four
      [99_950, '100K'],
      [9_996_000, '10.0M'],
      [99_960_000, '100M'],
      [9_995, '9995'],
      [-12_345, '−12.3K'],
    ];
    for (const [value, text] of cases) assert.equal(formatSize(value), text, String(value));
  });

  it('a dash for no value', () => {
    assert.equal(formatSize(undefined), '—');
    assert.equal(formatSize(Number.NaN), '—');
  });
});
