/** Messages between the quote table webview and the extension host. */
import type { Quote } from '../../src/ib/types';

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

/** One row as the table shows it (worked out in the webview from the row's fields). */
export interface QuoteTableRow {
  symbol: string;
  /** Text of each cell, as shown. */
  cells: Record<QuoteColumn, string>;
  /** Numbers to sort by (absent: sorts last): each numeric column's, and the time's (epoch ms: "Dec 4 16:00" before "09:59" of today). */
  sort: Partial<Record<QuoteColumn, number>>;
  direction: 'up' | 'down' | 'flat';
  /** The row's details on hover. */
  title: string;
}

/** What the host knows of a row: the quote's values as they are (no quote: no `dataType`), and an error's text. */
export type QuoteFields = Partial<Omit<Quote, 'symbol' | 'conId'>> & {
  error?: string;
  /** Not connected: the values are the last known ones, not streaming. */
  stale?: boolean;
  /** The name shown where it is not the symbol as written (a future's month in words: "ES Dec 2026"). */
  label?: string;
};
/** QuoteFields where each field may also be null: no longer known. */
export type QuoteFieldChanges = { [K in keyof QuoteFields]?: QuoteFields[K] | null };

/** Every field a row can have (the compiler checks that none is missing). */
const FIELD_SET: Record<keyof QuoteFields, true> = {
  secType: true,
  bid: true,
  ask: true,
  last: true,
  bidSize: true,
  askSize: true,
  lastSize: true,
  volume: true,
  open: true,
  high: true,
  low: true,
  close: true,
  price: true,
  minTick: true,
  priceSource: true,
  change: true,
  changePercent: true,
  time: true,
  timeIsTrade: true,
  halted: true,
  dataType: true,
  fellBack: true,
  error: true,
  stale: true,
  label: true,
};
export const QUOTE_FIELDS = Object.keys(FIELD_SET) as Array<keyof QuoteFields>;

/** The fields of `next` that differ from `prev` (all of them without `prev`), null where one is gone; undefined when none changed. */
export function fieldChanges(prev: QuoteFields | undefined, next: QuoteFields): QuoteFieldChanges | undefined {
  let set: Record<string, unknown> | undefined;
  for (const k of QUOTE_FIELDS) {
    const was = prev?.[k];
    const now = next[k];
    if (was === now) continue;
    set ??= {};
    set[k] = now === undefined ? null : now;
  }
  return set as QuoteFieldChanges | undefined;
}

/** Applies changes to a row's fields in place: a value of the field's kind is set, null (or a value of another kind) removes it. */
export function applyChanges(fields: QuoteFields, set: QuoteFieldChanges): void {
  const f = fields as Record<string, unknown>;
  for (const k of QUOTE_FIELDS) {
    if (!(k in set)) continue;
    const v = (set as Record<string, unknown>)[k];
    if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') f[k] = v;
    else delete f[k];
  }
}

/** A row's fields that changed since the last message (all of them the first time), null for a field no longer known. */
export interface QuoteTableChange {
  symbol: string;
  set: QuoteFieldChanges;
}

/**
 * Host -> webview: the rows that changed, only the fields that did; `order`
 * (the watchlist's) when rows were added, removed or moved; `reset` when the
 * rows are whole and replace all the page knows (the answer to its ready).
 */
export type QuoteTableHostMessage =
  | { type: 'rows'; rows: QuoteTableChange[]; order?: string[]; reset?: boolean }
  /** The quotes come from the simulated gateway (a badge above the table: the panel's tab cannot say it). */
  | { type: 'simulated'; on: boolean }
  /** Why the quotes do not stream (not connected, IB disabled), above the table; '' while they do. */
  | { type: 'offline'; text: string };

/** Webview -> host. */
/** `byKey`: asked with the keyboard (Enter on a row), whose focus comes back to the row when the details close. */
export type QuoteTableWebviewMessage = { type: 'ready' } | { type: 'details'; symbol: string; byKey?: boolean } | { type: 'chart'; symbol: string };
