import { strict as assert } from 'node:assert';
import { ChartMarket, type MarketSource } from '../../src/vscode/chart-market';

describe("a chart's status line", () => {
  /** A market whose hours have been read (none listed: as open). */
  const market = async () => {
    const m = new ChartMarket('AAPL', { hours: async () => undefined } as unknown as MarketSource, () => undefined);
    await m.refresh();
    return m;
  };

  it('counts its bars in words a person reads: "1 bar", "2 bars"', async () => {
    assert.equal((await market()).status(1).text, 'Live · 1 bar');
    assert.equal((await market()).status(2).text, 'Live · 2 bars');
    assert.equal((await market()).status(0, { dataType: 'delayed' }).text.endsWith('· 0 bars'), true);
  });

  it("says nothing of Live before the market's hours are read (it may be closed): only its bars", () => {
    const m = new ChartMarket('SPX', { hours: async () => undefined } as unknown as MarketSource, () => undefined);
    assert.deepEqual(m.status(78), { text: '78 bars', kind: 'info' });
  });
});
