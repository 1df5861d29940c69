import { strict as assert } from 'node:assert';
import { ChartMarket, type MarketSource } from '../../src/vscode/chart-market';

describe("a chart's status line", () => {
  const market = () => new ChartMarket('AAPL', {} as MarketSource, () => undefined);

  it('counts its bars in words a person reads: "1 bar", "2 bars"', () => {
    assert.equal(market().status(1).text, 'Live · 1 bar');
    assert.equal(market().status(2).text, 'Live · 2 bars');
    assert.equal(market().status(0, { dataType: 'delayed' }).text.endsWith('· 0 bars'), true);
  });
});
