/**
 * The symbol search's futures: a FUT row becomes its months; an index row whose derivatives include FUT
 * (how IB's guide describes the search's rows: underlyings, with the kinds of derivatives they have) keeps its
 * row and has its months listed after it.
 */
import { strict as assert } from 'node:assert';
import { searchWithMonths, type SearchEntry } from '../../src/ib/contracts/search-months';
import type { ResolvedContract, SymbolMatch } from '../../src/ib/types';

const month = (symbol: string, exchange: string, m: string, conId: number): ResolvedContract => ({
  conId,
  symbol,
  secType: 'FUT',
  exchange,
  currency: 'USD',
  contractMonth: m,
  lastTradeDateOrContractMonth: `${m}18`,
  display: `${symbol} ${m} (${exchange})`,
});

function lookup(matches: SymbolMatch[], months: Record<string, ResolvedContract[]>) {
  const asked: string[] = [];
  return {
    asked,
    search: async () => matches,
    futures: async (symbol: string, exchange?: string) => {
      asked.push(`${symbol}@${exchange ?? ''}`);
      return months[`${symbol}@${exchange ?? ''}`] ?? [];
    },
  };
}

const shape = (entries: SearchEntry[]) =>
  entries.map((e) => (e.kind === 'match' ? `${e.match.symbol} ${e.match.secType}` : `months ${e.months.map((m) => m.contractMonth).join(',')}`));

describe('symbol search with futures months', () => {
  const esMonths = [month('ES', 'CME', '202612', 1), month('ES', 'CME', '202703', 2)];

  it('an index row with futures on it (ES on CME, derivatives FUT and FOP) keeps its row and lists the months after it; the stock ES stays a stock', async () => {
    const l = lookup(
      [
        { conId: 10, symbol: 'ES', secType: 'STK', primaryExchange: 'NYSE', currency: 'USD', description: 'EVERSOURCE ENERGY', derivativeSecTypes: ['OPT'] },
        {
          conId: 11004968,
          symbol: 'ES',
          secType: 'IND',
          primaryExchange: 'CME',
          currency: 'USD',
          description: 'E-mini S&P 500',
          derivativeSecTypes: ['FUT', 'FOP'],
        },
      ],
      { 'ES@CME': esMonths },
    );
    const { entries } = await searchWithMonths(l, 'ES');
    assert.deepEqual(shape(entries), ['ES STK', 'ES IND', 'months 202612,202703']);
    assert.deepEqual(l.asked, ['ES@CME'], 'the months of the index row only: a stock with options is not a future');
  });

  it('an index without futures (derivatives OPT only) is a row alone, and no months are asked', async () => {
    const l = lookup([{ conId: 416904, symbol: 'SPX', secType: 'IND', primaryExchange: 'CBOE', derivativeSecTypes: ['OPT'] }], {});
    const { entries } = await searchWithMonths(l, 'SPX');
    assert.deepEqual(shape(entries), ['SPX IND']);
    assert.deepEqual(l.asked, []);
  });

  it('a FUT row is replaced by its months, listed once; one whose months cannot be had stays a row', async () => {
    const l = lookup(
      [
        { conId: 1, symbol: 'ES', secType: 'FUT', primaryExchange: 'CME' },
        { conId: 2, symbol: 'ES', secType: 'FUT', primaryExchange: 'CME' },
        { conId: 3, symbol: 'XX', secType: 'FUT', primaryExchange: 'CME' },
      ],
      { 'ES@CME': esMonths },
    );
    const { entries } = await searchWithMonths(l, 'ES');
    assert.deepEqual(shape(entries), ['months 202612,202703', 'XX FUT']);
  });

  it('an index row and a FUT row of the same future: the index row, then its months once', async () => {
    const l = lookup(
      [
        { conId: 11004968, symbol: 'ES', secType: 'IND', primaryExchange: 'CME', derivativeSecTypes: ['FUT'] },
        { conId: 1, symbol: 'ES', secType: 'FUT', primaryExchange: 'CME' },
      ],
      { 'ES@CME': esMonths },
    );
    const { entries } = await searchWithMonths(l, 'ES');
    assert.deepEqual(shape(entries), ['ES IND', 'months 202612,202703']);
    assert.deepEqual(l.asked, ['ES@CME'], 'asked once');
  });
});
