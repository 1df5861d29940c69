/**
 * Error 162 is IB's historical data service (HMDS) speaking, and its code says
 * nothing more: only the text after "Historical Market Data Service error
 * message:" tells a pacing violation (wait, then ask again) from a period with
 * no bars, a cancelled query or missing permissions. Texts as captured:
 *   "HMDS query returned no data: ESM3@CME Trades"
 *   "Historical data request pacing violation"
 *   "API historical data query cancelled: 28"
 *   "No market data permissions for NYSE STK"
 *   "No historical market data for EUR/CASH@IDEALPRO Last 1d" (TRADES on forex)
 *   "No historical market data for SPX/IND@CBOE MidPoint 60" (MIDPOINT, BID or ASK on an index; reported)
 *   "Time length exceed max." (a duration too long for the bar size)
 */
import type { ErrorCategory } from '../types';

/** no-data: the range holds no bars (a closed market); no-data-type: the instrument has no data of that type (TRADES on forex). */
export type HmdsErrorKind = 'no-data' | 'no-data-type' | 'pacing' | 'cancelled' | 'no-permissions' | 'too-long' | 'other';

export function classifyHmdsError(text: string | undefined): HmdsErrorKind {
  const t = (text ?? '').toLowerCase();
  if (t.includes('pacing violation')) return 'pacing';
  if (t.includes('query returned no data')) return 'no-data';
  if (t.includes('no historical market data') || t.includes('no data of type')) return 'no-data-type';
  if (t.includes('query cancelled') || t.includes('query canceled')) return 'cancelled';
  if (t.includes('no market data permissions')) return 'no-permissions';
  if (t.includes('time length exceed')) return 'too-long';
  return 'other';
}

export interface HmdsErrorText {
  category: ErrorCategory;
  message: string;
  action: string;
}

/** What a person reads for each kind of 162. */
export const HMDS_ERRORS: Readonly<Record<HmdsErrorKind, HmdsErrorText>> = {
  'no-data': {
    category: 'request',
    message: 'IB has no bars for this symbol in that period (the market may be closed or not have traded yet).',
    action: 'Choose a longer duration, or open the chart when the market trades.',
  },
  'no-data-type': {
    category: 'request',
    message: 'IB has no historical data of this type for this symbol.',
    action: 'Choose another data type: forex has no TRADES (use MIDPOINT, BID or ASK), and an index has only TRADES.',
  },
  pacing: {
    category: 'pacing',
    message: 'IB refused the historical data request: too many requests in a short time (pacing violation).',
    action: 'Wait 15 seconds before asking for the same bars again, and avoid many history requests in a short time.',
  },
  cancelled: {
    category: 'request',
    message: 'The historical data query was cancelled by IB Gateway/TWS.',
    action: 'Load the chart again; if it keeps happening, ask for a shorter duration.',
  },
  'no-permissions': {
    category: 'permission',
    message: 'This account has no market data permissions for the historical data of this symbol.',
    action: "Subscribe to the exchange's market data in IB Account Management.",
  },
  'too-long': {
    category: 'request',
    message: 'IB will not send that many bars at once: the duration is too long for the bar size.',
    action: 'Choose a larger bar size or a shorter duration.',
  },
  other: {
    category: 'request',
    message: 'IB refused a historical data request.',
    action: "Check the symbol, bar size and duration; IB's own text is shown with it.",
  },
};
