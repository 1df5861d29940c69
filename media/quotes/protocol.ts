/** Messages between the quote table webview and the extension host. */

/** The table's columns, in order: key, heading, and whether it sorts as a number. */
export const QUOTE_COLUMNS = [
  ['symbol', 'Symbol', false],
  // the price shown (src/ib/facts/price.ts): the last trade, or the mid where there is none (forex); the row's hover says which
  ['price', 'Price', true],
  ['change', 'Change', true],
  ['percent', '%', true],
  ['bid', 'Bid', true],
  ['bidSize', 'Bid size', true],
  ['ask', 'Ask', true],
  ['askSize', 'Ask size', true],
  ['volume', 'Volume', true],
  ['high', 'High', true],
  ['low', 'Low', true],
  ['time', 'Time', false],
  ['data', 'Data', false],
] as const;

export type QuoteColumn = (typeof QUOTE_COLUMNS)[number][0];

export interface QuoteTableRow {
  symbol: string;
  /** Text of each cell, as shown. */
  cells: Record<QuoteColumn, string>;
  /** Numbers to sort by (absent: sorts last). */
  sort: Partial<Record<QuoteColumn, number>>;
  direction: 'up' | 'down' | 'flat';
  /** The row's details on hover. */
  title: string;
}

/** Host -> webview: changed rows; `order` (the watchlist's) when rows were added, removed or moved. */
export type QuoteTableHostMessage = { type: 'rows'; rows: QuoteTableRow[]; order?: string[] };

/** Webview -> host. */
export type QuoteTableWebviewMessage = { type: 'ready' } | { type: 'details'; symbol: string } | { type: 'chart'; symbol: string };
