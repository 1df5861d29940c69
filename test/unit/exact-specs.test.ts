/**
 * The text a chosen contract is stored as names exactly it, also when IB lists several classes of one
 * underlying and month: DAX on EUREX is FDAX (×25), FDXM (×5) and FDXS (×1), all "DAX 202612 FUT@EUREX"
 * by month (IB's ContractSamples FutureWithMultiplier: "the contract's multiplier can be given" to tell
 * them apart). Stored as that text, a choice would be ambiguous again after a reload.
 */
import { strict as assert } from 'node:assert';
import { parseSymbol } from '../../src/ib/contracts/symbol';
import { exactSpecs } from '../../src/ib/contracts/symbol-text';
import type { ResolvedContract } from '../../src/ib/types';

const fut = (conId: number, symbol: string, local: string, month: string, multiplier: string, exchange: string): ResolvedContract => ({
  conId,
  symbol,
  secType: 'FUT',
  exchange,
  currency: exchange === 'EUREX' ? 'EUR' : 'USD',
  localSymbol: local,
  contractMonth: month,
  lastTradeDateOrContractMonth: `${month}18`,
  multiplier,
  display: `${local} (${exchange})`,
});

describe('exact texts for chosen contracts', () => {
  it('months of one class are named by month; classes that share a month by their contract ids', () => {
    const es = [fut(1, 'ES', 'ESZ6', '202612', '50', 'CME'), fut(2, 'ES', 'ESH7', '202703', '50', 'CME')];
    assert.deepEqual(exactSpecs(es), ['ES 202612 FUT@CME', 'ES 202703 FUT@CME']);
    const dax = [
      fut(101, 'DAX', 'FDAX DEC 26', '202612', '25', 'EUREX'),
      fut(102, 'DAX', 'FDXM DEC 26', '202612', '5', 'EUREX'),
      fut(103, 'DAX', 'FDXS DEC 26', '202612', '1', 'EUREX'),
      fut(104, 'DAX', 'FDAX MAR 27', '202703', '25', 'EUREX'),
    ];
    const texts = exactSpecs(dax);
    assert.deepEqual(texts, ['101', '102', '103', 'DAX 202703 FUT@EUREX']);
    // each reads back as exactly its contract: a contract id, or the one month of that text
    assert.deepEqual(
      texts.slice(0, 3).map((t) => parseSymbol(t).conId),
      [101, 102, 103],
    );
  });
});
