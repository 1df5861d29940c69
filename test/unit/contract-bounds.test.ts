// What a gateway sends about a contract is bounded: identifiers longer than any IB sends are not
// taken (a contract is sent back with each request for it), long texts are dropped.
import { strict as assert } from 'node:assert';
import type { ContractDetails } from '@stoqey/ib';
import { ContractService } from '../../src/ib/contracts';
import { detailsToResolved } from '../../src/ib/contracts/to-contract';
import { IbError, LOCAL_CODES } from '../../src/ib/errors';
import type { IbSession } from '../../src/ib/types';

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

describe('a contract lookup whose answer cannot be read', () => {
  /** A session whose gateway answers every contract lookup with these rows. */
  const answering = (rows: ContractDetails[]) =>
    ({
      api: { contractDetails: async () => rows },
      status: { phase: 'ready' },
      onReady: () => ({ dispose: () => undefined }),
      onResubscribe: () => ({ dispose: () => undefined }),
    }) as unknown as IbSession;

  it('says the answer could not be read (9007), not that IB knows the symbol as another kind (9011)', async () => {
    const contracts = new ContractService(answering([details({ symbol: 'A'.repeat(100) }), details({ conId: Number.NaN })]));
    await assert.rejects(contracts.resolve('AAPL'), (e: unknown) => {
      assert.ok(e instanceof IbError);
      assert.equal(e.info.code, LOCAL_CODES.requestFailed);
      assert.match(e.message, /could not be read/);
      return true;
    });
  });

  it('a kind not shown here is still said so (9011)', async () => {
    const contracts = new ContractService(answering([details({ secType: 'WAR' })]));
    await assert.rejects(contracts.resolve('AAPL'), (e: unknown) => e instanceof IbError && e.info.code === LOCAL_CODES.unsupportedContract);
  });
});

describe('a symbol IB does not know', () => {
  it('is answered from memory for a while (a client polling a mistyped symbol asks the gateway once), then asked again', async () => {
    let asked = 0;
    const session = {
      api: {
        contractDetails: async () => {
          asked++;
          throw new IbError({ code: 200, category: 'contract', message: 'No security definition has been found for the request', action: '' });
        },
      },
      status: { phase: 'ready' },
      onReady: () => ({ dispose: () => undefined }),
      onResubscribe: () => ({ dispose: () => undefined }),
    } as unknown as IbSession;
    let now = 1_000_000;
    const contracts = new ContractService(session, undefined, { unknownForMs: 30_000, now: () => now });
    for (let i = 0; i < 5; i++) await assert.rejects(contracts.resolve('zzzzq'), (e: unknown) => e instanceof IbError && e.info.code === 200);
    assert.equal(asked, 1, 'one lookup for five asks');
    await assert.rejects(contracts.resolve('ZZZZQ'), (e: unknown) => e instanceof IbError && e.info.code === 200);
    assert.equal(asked, 1, 'the same symbol in another case');
    now += 30_000;
    await assert.rejects(contracts.resolve('ZZZZQ'));
    assert.equal(asked, 2, 'asked again once the memory has lapsed');
  });
});
