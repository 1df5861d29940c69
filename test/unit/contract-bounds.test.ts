// What a gateway sends about a contract is bounded: identifiers longer than any IB sends are not
// taken (a contract is sent back with each request for it), long texts are dropped.
import { strict as assert } from 'node:assert';
import type { ContractDetails } from '@stoqey/ib';
import { detailsToResolved } from '../../src/ib/contracts/to-contract';

const details = (contract: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  ({
    contract: { conId: 265598, symbol: 'AAPL', secType: 'STK', exchange: 'SMART', currency: 'USD', primaryExch: 'NASDAQ', ...contract },
    longName: 'APPLE INC',
    ...extra,
  }) as unknown as ContractDetails;

describe('a contract from the gateway: bounded', () => {
  it('takes an ordinary contract whole', () => {
    const r = detailsToResolved(details({}, { tradingHours: '20261117:0400-20261117:2000', timeZoneId: 'US/Eastern' }));
    assert.equal(r?.display.startsWith('AAPL'), true);
    assert.equal(r?.longName, 'APPLE INC');
    assert.equal(r?.tradingHours, '20261117:0400-20261117:2000');
  });

  it('refuses identifiers longer than any IB sends (a 10 MB symbol would be sent back with every request)', () => {
    assert.equal(detailsToResolved(details({ symbol: 'A'.repeat(10_000_000) })), undefined);
    assert.equal(detailsToResolved(details({ localSymbol: 'X'.repeat(65) })), undefined);
    assert.equal(detailsToResolved(details({ exchange: 'E'.repeat(100) })), undefined);
  });

  it('drops a description or hours text past 4 KB, keeps the contract', () => {
    const r = detailsToResolved(details({}, { longName: 'N'.repeat(5000), tradingHours: 'H'.repeat(2_000_000) }));
    assert.ok(r);
    assert.equal(r.longName, undefined);
    assert.equal(r.tradingHours, undefined);
  });
});
