/**
 * A future typed by month code, asked in the forms IB may know it by. IB's local symbol is the month code on
 * CME and CFE (ESZ6; VXZ6, whose IB symbol is VIX) but not on EUREX, where it is "FGBL MAR 27" (IB's
 * ContractSamples FutureWithLocalSymbol: "FGBL MAR 23"); there the root and month (IB's SimpleFuture sample:
 * symbol, "FUT", the month, the exchange) find it. The month goes with the local symbol, so a code's year
 * (ESZ36) is never taken for another decade's (ESZ6 is December 2026).
 */
import { strict as assert } from 'node:assert';
import type { Contract, ContractDetails } from '@stoqey/ib';
import { ContractService } from '../../src/ib/contracts';
import { IbError } from '../../src/ib/errors';
import type { IbSession } from '../../src/ib/types';

interface Listed {
  conId: number;
  symbol: string;
  local: string;
  month: string;
  exchange: string;
}

const LISTED: Listed[] = [
  { conId: 1, symbol: 'ES', local: 'ESZ6', month: '202612', exchange: 'CME' },
  { conId: 2, symbol: 'VIX', local: 'VXZ6', month: '202612', exchange: 'CFE' },
  { conId: 3, symbol: 'GBL', local: 'FGBL MAR 27', month: '202703', exchange: 'EUREX' },
];

/** A gateway that answers contract details as IB matches them (every given field must fit), recording each ask. */
function gateway(asked: Contract[]): IbSession {
  const fits = (l: Listed, c: Contract) =>
    (c.symbol === undefined || c.symbol === l.symbol) &&
    (c.localSymbol === undefined || c.localSymbol === l.local) &&
    (c.exchange === undefined || c.exchange === l.exchange) &&
    (c.lastTradeDateOrContractMonth === undefined || c.lastTradeDateOrContractMonth === l.month);
  return {
    api: {
      contractDetails: async (c: Contract) => {
        asked.push(c);
        const rows = LISTED.filter((l) => fits(l, c));
        if (!rows.length) throw new IbError({ code: 200, category: 'contract', message: 'No security definition has been found for the request', action: '' });
        return rows.map(
          (l) =>
            ({
              contract: {
                conId: l.conId,
                symbol: l.symbol,
                secType: 'FUT',
                exchange: l.exchange,
                currency: 'USD',
                localSymbol: l.local,
                lastTradeDateOrContractMonth: `${l.month}18`,
              },
              contractMonth: l.month,
            }) as unknown as ContractDetails,
        );
      },
    },
    status: { phase: 'ready' },
    onReady: () => ({ dispose: () => undefined }),
    onResubscribe: () => ({ dispose: () => undefined }),
  } as unknown as IbSession;
}

describe('a future by month code, in the forms IB knows it by', () => {
  it('as the local symbol with its month, where that is IB’s (VXZ6 on CFE: IB’s symbol is VIX)', async () => {
    const asked: Contract[] = [];
    const r = await new ContractService(gateway(asked)).resolve('VXZ6@CFE');
    assert.equal(r.conId, 2);
    assert.deepEqual(
      asked.map((c) => [c.localSymbol, c.symbol, c.lastTradeDateOrContractMonth]),
      [['VXZ6', undefined, '202612']],
    );
  });

  it('as its root and month where the local symbol is written otherwise (GBLH7 on EUREX is "FGBL MAR 27")', async () => {
    const asked: Contract[] = [];
    const r = await new ContractService(gateway(asked)).resolve('GBLH7@EUREX');
    assert.equal(r.conId, 3);
    assert.deepEqual(
      asked.map((c) => [c.localSymbol, c.symbol, c.lastTradeDateOrContractMonth, c.includeExpired]),
      [
        ['GBLH7', undefined, '202703', undefined],
        [undefined, 'GBL', '202703', undefined],
      ],
    );
  });

  it('with its year: ESZ36 is December 2036, never the December 2026 contract', async () => {
    const asked: Contract[] = [];
    await assert.rejects(new ContractService(gateway(asked)).resolve('ESZ36@CME'), (e: unknown) => e instanceof IbError && e.info.code === 200);
    assert.ok(
      asked.every((c) => c.lastTradeDateOrContractMonth === '203612'),
      JSON.stringify(asked),
    );
    assert.equal(asked.length, 4, 'as written, then among the expired months: each in both forms');
  });
});
