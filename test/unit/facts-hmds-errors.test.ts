import { strict as assert } from 'node:assert';
import { describeIbError } from '../../src/ib/errors';
import { classifyHmdsError } from '../../src/ib/facts/hmds-errors';
import { readFarmNotice } from '../../src/ib/connection-farms';

describe('facts: error 162 told apart by its text', () => {
  const texts: Array<[string, string, string]> = [
    ['Historical Market Data Service error message:HMDS query returned no data: ESM3@CME Trades', 'no-data', 'request'],
    ['Historical Market Data Service error message:No historical market data for EUR/CASH@IDEALPRO Last 1d', 'no-data-type', 'request'],
    ['Historical Market Data Service error message:No historical market data for SPX/IND@CBOE MidPoint 60', 'no-data-type', 'request'],
    ['Historical Market Data Service error message:Historical data request pacing violation', 'pacing', 'pacing'],
    ['Historical Market Data Service error message:API historical data query cancelled: 28', 'cancelled', 'request'],
    ['Historical Market Data Service error message:No market data permissions for NYSE STK', 'no-permissions', 'permission'],
    ['Historical Market Data Service error message:Time length exceed max.', 'too-long', 'request'],
    ['Historical Market Data Service error message:something new', 'other', 'request'],
  ];
  for (const [text, kind, category] of texts) {
    it(`${kind}: ${text.split(':').slice(1).join(':')}`, () => {
      assert.equal(classifyHmdsError(text), kind);
      const info = describeIbError(162, text, 5);
      assert.equal(info.category, category);
      assert.equal(info.raw, text);
    });
  }

  it('each kind has its own sentence', () => {
    const sentences = new Set(texts.map(([t]) => describeIbError(162, t).message));
    assert.equal(sentences.size, new Set(texts.map(([, kind]) => kind)).size);
  });

  it('farm notices 2107/2108 name the farm after "upon demand." as TWS writes them', () => {
    assert.deepEqual(readFarmNotice(2107, 'HMDS data farm connection is inactive but should be available upon demand.ushmds'), {
      farm: 'ushmds',
      health: 'inactive',
      carriesData: true,
      carriesQuotes: false,
    });
    assert.deepEqual(readFarmNotice(2108, 'Market data farm connection is inactive but should be available upon demand.usfarm.nj'), {
      farm: 'usfarm.nj',
      health: 'inactive',
      carriesData: true,
      carriesQuotes: true,
    });
  });
});
