/**
 * The extension's own codes, for what it refuses or judges by itself (not
 * IB's answers): each with its category, its sentence and what to do.
 */
import type { ErrorCategory } from './types';

/** What a code means for a person. */
export interface Entry {
  category: ErrorCategory;
  message: string;
  action: string;
}

/**
 * The extension's own refusals and judgements. Their codes are in a block IB does not use (IB's run 100-599,
 * 1100-1300, 2100-2199, 10000-10999), so a person looking one up is never sent to IB's list for something the
 * extension said.
 */
export const LOCAL_CODES = {
  /** The port setting is not a TCP port: no socket was opened. */
  badPort: 9001,
  /** A connection attempt was replaced or stopped (disconnect, new settings). */
  cancelled: 9002,
  /** The gateway accepted the socket but did not finish the API handshake in time. */
  handshakeTimeout: 9003,
  /** A ready gateway stopped answering the heartbeat. */
  gatewaySilent: 9004,
  /** A request refused before sending: IB would refuse it (bar size, duration, end date, data type, search text). */
  invalidRequest: 9005,
  /** No answer to a request in time (a snapshot, a history request, a search). */
  noAnswer: 9006,
  /** A request failed in the client library, without an IB code. */
  requestFailed: 9007,
  /** The symbol text cannot be read; nothing was sent. */
  badSymbol: 9008,
  /** A history request was stopped (the service closed). */
  stopped: 9009,
  /** The symbol matches several contracts; the person picks one. */
  ambiguousSymbol: 9010,
  /** IB knows the symbol only as kinds of contract the extension does not show (options, warrants, bonds…). */
  unsupportedContract: 9011,
  /** IB answered a history request with no bars at all (not its 162 "no data" refusal, which keeps its code). */
  noBars: 9012,
  /** IB answered a history request with bars, none of which could be read (prices "?" or not numbers); never taken for "no bars". */
  unreadableBars: 9013,
  /** Too many symbol searches waiting for their turn (IB takes one a second). */
  searchBusy: 9014,
  /** A quote line heard nothing at all (no data, no error), though sent again three times; it stays open. */
  silentLine: 9015,
  /** A futures month past its last trade day: IB streams no quotes for it (its bars stay two years). */
  expiredContract: 9016,
  /** A continuous future (CONTFUT): IB gives its history only, no quotes. */
  historyOnly: 9017,
} as const;

export const LOCAL_TABLE: Readonly<Record<number, Entry>> = {
  [LOCAL_CODES.badPort]: {
    category: 'connectivity',
    message: 'The port setting is not a TCP port, so no connection was tried.',
    action: 'Set jax.ib.port to the API port of IB Gateway/TWS (7497/7496 TWS, 4002/4001 IB Gateway).',
  },
  [LOCAL_CODES.cancelled]: { category: 'connectivity', message: 'The connection attempt was cancelled.', action: 'Connect again when needed.' },
  [LOCAL_CODES.handshakeTimeout]: {
    category: 'connectivity',
    message: 'IB Gateway/TWS did not complete the API handshake in time.',
    action: 'Check that IB Gateway/TWS is logged in and not showing a dialog, then connect again.',
  },
  [LOCAL_CODES.gatewaySilent]: {
    category: 'connectivity',
    message: 'IB Gateway/TWS stopped answering.',
    action: 'It reconnects on its own; if this repeats, check that IB Gateway/TWS is not frozen or showing a dialog.',
  },
  [LOCAL_CODES.invalidRequest]: {
    category: 'request',
    message: 'The request was not sent: IB would refuse it.',
    action: 'Check the bar size, duration, end date, data type or search text.',
  },
  [LOCAL_CODES.noAnswer]: {
    category: 'connectivity',
    message: 'IB Gateway/TWS did not answer in time.',
    action: 'Check that IB Gateway/TWS is running and responsive, then try again.',
  },
  [LOCAL_CODES.requestFailed]: { category: 'request', message: 'A request to IB Gateway/TWS failed.', action: 'Try again; if it keeps failing, reconnect.' },
  [LOCAL_CODES.badSymbol]: { category: 'contract', message: 'The symbol cannot be read.', action: 'Correct the symbol and try again.' },
  [LOCAL_CODES.ambiguousSymbol]: {
    category: 'contract',
    message: 'The symbol matches several contracts.',
    action: 'Pick one, or add the exchange, currency or contract month.',
  },
  [LOCAL_CODES.stopped]: { category: 'request', message: 'The history request was stopped.', action: 'No action is needed.' },
  [LOCAL_CODES.noBars]: {
    category: 'request',
    message: 'IB sent no bars for that range.',
    action: 'Choose a longer duration or another end date, or open the chart when the market trades.',
  },
  [LOCAL_CODES.unreadableBars]: {
    category: 'request',
    message: 'IB sent bars for that range, but none of them could be read.',
    action: 'Try another bar size, duration or data type; the log names the first bar that could not be read.',
  },
  [LOCAL_CODES.searchBusy]: {
    category: 'pacing',
    message: 'Too many symbol searches are waiting: IB takes one a second.',
    action: 'Search again in a moment.',
  },
  [LOCAL_CODES.silentLine]: {
    category: 'request',
    message: 'IB Gateway/TWS has sent nothing for this symbol in five minutes (no data, no error), though it was asked again three times.',
    action:
      "Check the symbol's market data farm in IB Gateway/TWS and its market data subscriptions; Refresh the row to ask again. Its values show as soon as any come.",
  },
  [LOCAL_CODES.expiredContract]: {
    category: 'contract',
    message: 'This futures month has expired: IB streams no quotes for it.',
    action: 'Use a month that still trades, such as the front month; a chart of the expired month still shows its bars up to its expiry.',
  },
  [LOCAL_CODES.historyOnly]: {
    category: 'contract',
    message: 'A continuous future is history only: IB streams no quotes for it.',
    action: 'Watch its front month for live quotes; a chart of the continuous future shows its bars across the rolls.',
  },
  [LOCAL_CODES.unsupportedContract]: {
    category: 'contract',
    message: 'IB knows this symbol only as a kind of contract the extension does not show (options, warrants, bonds, funds…).',
    action: "Use a stock or ETF, an index, a futures month or a forex pair: 'AAPL', 'SPX IND', 'ES 202612 FUT@CME', 'EUR.USD'.",
  },
};
