/**
 * IB error codes turned into something a person can act on: a category, a
 * sentence saying what happened, and what to do about it.
 */
import { classifyHmdsError, HMDS_ERRORS } from './facts/hmds-errors';
import { LOCAL_TABLE, type Entry } from './local-errors';
import type { IbErrorInfo } from './types';

export { LOCAL_CODES } from './local-errors';

const GATEWAY_SETTINGS =
  "In IB Gateway open Configure > Settings > API > Settings (in TWS: File or Edit > Global Configuration > API > Settings), tick 'Enable ActiveX and Socket Clients' and check the socket port.";

/** The table. Sentences are for a person reading the status bar or a notification. */
const TABLE: Readonly<Record<number, Entry>> = {
  100: {
    category: 'pacing',
    message: 'Too many messages were sent to IB Gateway/TWS in one second (the limit is 50).',
    action: 'Wait a moment; requests are being slowed down. Close charts or watchlist symbols you do not need.',
  },
  101: {
    category: 'pacing',
    message: 'The maximum number of market data lines has been reached.',
    action: 'Remove symbols from the watchlist or close charts, or buy more market data lines (quote booster) from IB.',
  },
  162: {
    category: 'pacing',
    message: 'IB refused a historical data request (pacing violation or no data for that period).',
    action: 'Wait 15 seconds before asking for the same bars again, and avoid many history requests in a short time.',
  },
  165: {
    category: 'information',
    message: 'IB sent a notice about historical data (for example, data farm availability).',
    action: 'No action is needed unless charts stay empty.',
  },
  200: {
    category: 'contract',
    message: 'No security definition was found for the request: IB does not know this symbol as written.',
    action: 'Check the symbol, its type (STK, FUT, IND, CASH), exchange and currency, or search for it by name.',
  },
  201: {
    category: 'request',
    message: 'IB rejected an order.',
    action: 'This extension is read-only and never sends orders; check other API clients connected to the gateway.',
  },
  202: {
    category: 'request',
    message: 'An order was cancelled.',
    action: 'This extension is read-only and never sends orders; check other API clients connected to the gateway.',
  },
  300: {
    category: 'request',
    message: 'IB could not find the market data request to cancel.',
    action: 'No action is needed; the subscription had already ended.',
  },
  309: { category: 'pacing', message: 'The maximum number of market depth requests has been reached.', action: 'Close other market depth views.' },
  317: { category: 'information', message: 'Market depth data was reset.', action: 'No action is needed; the book is being rebuilt.' },
  321: {
    category: 'request',
    message: 'IB rejected a request as invalid (for example a bar size or duration it does not accept).',
    action: 'Check the bar size, duration and data type of the chart, then try again.',
  },
  322: {
    category: 'request',
    message: 'IB could not process a request (for example too many open history requests or a duplicate request id).',
    action: 'Wait a moment and try again; close charts you do not need.',
  },
  326: {
    category: 'connectivity',
    message: 'The client id is already in use by another API client of IB Gateway/TWS.',
    action: 'Use the next free client id, or change the client id in the settings.',
  },
  354: {
    category: 'permission',
    message: 'This account is not subscribed to market data for this symbol.',
    action: "Subscribe to the exchange's market data in IB Account Management, or switch the market data type to delayed.",
  },
  366: {
    category: 'request',
    message: 'IB found no historical data request with this id to cancel.',
    action: 'No action is needed; the request had already ended.',
  },
  420: {
    category: 'permission',
    message: 'The market data request is not allowed (for example, live data is already used by another session or the exchange is not permitted).',
    action: 'Log out of other IB sessions using live data, or use delayed data.',
  },
  502: { category: 'connectivity', message: 'IB Gateway/TWS is not reachable.', action: GATEWAY_SETTINGS },
  503: { category: 'connectivity', message: 'IB Gateway/TWS is too old for this client.', action: 'Update IB Gateway/TWS to a current version.' },
  506: {
    category: 'connectivity',
    message: 'IB Gateway/TWS answered with an API version this client does not speak.',
    action: 'Update IB Gateway/TWS to a current version; if it is current, check that the port is the API port of IB Gateway/TWS and not another program.',
  },
  504: { category: 'connectivity', message: 'Not connected to IB Gateway/TWS.', action: 'Wait for the connection to come back, or connect again.' },
  505: {
    category: 'connectivity',
    message: 'A message from IB Gateway/TWS could not be read.',
    action: 'The connection is reset automatically; if it keeps happening, restart IB Gateway/TWS.',
  },
  507: {
    category: 'connectivity',
    message: 'A malformed message was received from IB Gateway/TWS and the connection was reset.',
    action: 'The connection is re-established automatically; if it keeps happening, restart IB Gateway/TWS.',
  },
  509: {
    category: 'connectivity',
    message: 'The connection to IB Gateway/TWS failed with an exception.',
    action: 'The connection is re-established automatically; if it keeps happening, restart IB Gateway/TWS.',
  },
  1100: {
    category: 'connectivity',
    message: "IB Gateway/TWS has lost its connection to IB's servers.",
    action: 'Wait: it reconnects on its own. Check the internet connection of the machine running IB Gateway/TWS.',
  },
  1101: {
    category: 'connectivity',
    message: "IB Gateway/TWS is connected to IB's servers again; market data was lost and is being requested again.",
    action: 'No action is needed; quotes and charts resume.',
  },
  1102: { category: 'connectivity', message: "IB Gateway/TWS is connected to IB's servers again; data was kept.", action: 'No action is needed.' },
  1300: {
    category: 'connectivity',
    message: 'IB Gateway/TWS changed its socket port; the connection was closed.',
    action: 'Set the new port in the settings and connect again.',
  },
  2100: { category: 'information', message: 'IB stopped sending account updates.', action: 'No action is needed for market data.' },
  2103: {
    category: 'connectivity',
    message: 'A market data farm connection is broken; quotes from it have stopped.',
    action: 'Wait: IB restores it on its own and quotes resume.',
  },
  2104: { category: 'information', message: 'A market data farm connection is OK.', action: 'No action is needed.' },
  2174: {
    category: 'information',
    message: "IB read a request's end date without a time zone in the gateway's own zone (a warning).",
    action: 'No action is needed: the bars still come. The extension sends its dates in UTC, so this comes from an older gateway or another program.',
  },
  2105: {
    category: 'connectivity',
    message: 'A historical data farm connection is broken; charts cannot load history from it.',
    action: 'Wait: IB restores it on its own; reload the chart afterwards if it stays empty.',
  },
  2106: { category: 'information', message: 'A historical data farm connection is OK.', action: 'No action is needed.' },
  2107: { category: 'information', message: 'A historical data farm connection is inactive but becomes available on demand.', action: 'No action is needed.' },
  2108: { category: 'information', message: 'A market data farm connection is inactive but becomes available on demand.', action: 'No action is needed.' },
  2110: {
    category: 'connectivity',
    message: "The connection between IB Gateway/TWS and IB's servers is broken; it is restored automatically.",
    action: 'Wait; check the internet connection of the machine running IB Gateway/TWS if it lasts.',
  },
  2119: { category: 'information', message: 'A market data farm is connecting.', action: 'No action is needed; quotes follow shortly.' },
  2157: {
    category: 'connectivity',
    message: 'A security definition data farm connection is broken; symbol lookups may fail.',
    action: 'Wait: IB restores it on its own, then try the lookup again.',
  },
  2158: { category: 'information', message: 'A security definition data farm connection is OK.', action: 'No action is needed.' },
  10089: {
    category: 'permission',
    message: 'The requested market data needs additional subscriptions for API access; delayed data may be available.',
    action: 'Subscribe to the market data in IB Account Management, or switch the market data type to delayed.',
  },
  10090: {
    category: 'permission',
    message: 'Part of the requested market data is not subscribed; the rest is shown.',
    action: 'Subscribe to the missing market data in IB Account Management if you need it.',
  },
  10314: {
    category: 'request',
    message: 'IB did not accept the end date of a history request (its date, time or time zone).',
    action: 'Use an end date like "20251120-16:00:00" (UTC) or "20251120 11:00:00 US/Eastern", or leave it empty for now.',
  },
  10167: {
    category: 'permission',
    message: 'This account is not subscribed to live market data for this symbol; delayed data is shown.',
    action: 'Subscribe to the market data in IB Account Management for live quotes.',
  },
  10168: {
    category: 'permission',
    message: 'Delayed market data is not enabled for this account.',
    action:
      'Subscribe to this market (or to its delayed data) in IB Account Management; if the account is subscribed, ask for live data (in the editor: the setting jax.ib.marketDataType).',
  },
  10182: {
    category: 'connectivity',
    message: 'IB stopped the live updates of this bar series (its data connection dropped).',
    action: 'No action is needed: the series is requested again within seconds, or once IB is back.',
  },
  10186: {
    category: 'permission',
    message: 'This account is not subscribed to delayed market data for this symbol.',
    action: 'Subscribe to the market data in IB Account Management.',
  },
  10197: {
    category: 'permission',
    message: 'No market data while another IB session (for example TWS or the mobile app) is using live data for this account.',
    action: 'Log out of the other session using live data, or use delayed data.',
  },
  10225: {
    category: 'connectivity',
    message: 'IB deactivated the live updates of this bar series after a bust event (a trade was cancelled).',
    action: 'No action is needed: the series is requested again within seconds.',
  },
};

/** IB's answer for a contract it does not know ("No security definition has been found for the request"). */
export const NO_SECURITY_DEFINITION = 200;

/** Cancels of a request the gateway had already forgotten (300 market data, 366 history): no news. */
const FORGOTTEN_CANCEL: ReadonlySet<number> = new Set([300, 366]);

/**
 * Notices below 2100 that name a request which goes on: 165, the historical
 * data service's query messages ("HMDS server disconnect occurred. Attempting
 * reconnection..."), as IB's own and ib_insync's clients treat it: a warning;
 * 10090, "Part of requested market data is not subscribed.
 * Subscription-independent ticks are still active": the line streams the rest.
 */
const REQUEST_NOTICES: ReadonlySet<number> = new Set([165, 10090]);

/**
 * What an error or notice means for the request it names, the same for every
 * service: 'connection' (no request: id -1, the connection's own, see
 * connection/notices.ts), 'notice' (2100-2999 and 165: the request goes
 * on), 'ignore' (a cancel the gateway had already forgotten), or 'error' (the
 * request has failed or ended).
 */
export function requestErrorRole(code: number, reqId: number | undefined): 'connection' | 'notice' | 'ignore' | 'error' {
  if (reqId === undefined || reqId < 0) return 'connection';
  if (FORGOTTEN_CANCEL.has(code)) return 'ignore';
  if ((code >= 2100 && code < 3000) || REQUEST_NOTICES.has(code)) return 'notice';
  return 'error';
}

/** How an error or notice is routed: its role for the request it names, and what it means for a person. */
export interface ClassifiedMessage {
  role: 'connection' | 'notice' | 'ignore' | 'error';
  info: IbErrorInfo;
}

/**
 * The one classifier every IB message passes through (the transport calls it
 * once per error or notice): connection-level ones go to the connection,
 * a request's to the owner of that request id, with the same info.
 */
export function classifyIbMessage(code: number, reqId: number, text: string): ClassifiedMessage {
  return { role: requestErrorRole(code, reqId), info: describeIbError(code, text, reqId) };
}

/** The codes the table knows. */
export const KNOWN_ERROR_CODES: readonly number[] = Object.keys(TABLE).map(Number);

function fallback(code: number): Entry {
  if (code >= 2100 && code < 2200) {
    return { category: 'information', message: `IB Gateway/TWS sent a notice (code ${code}).`, action: 'No action is needed unless data stops.' };
  }
  if (code >= 500 && code < 600) {
    return {
      category: 'connectivity',
      message: `The connection to IB Gateway/TWS had a problem (code ${code}).`,
      action: 'The connection is re-established automatically; if it keeps happening, restart IB Gateway/TWS.',
    };
  }
  return {
    category: 'request',
    message: `IB Gateway/TWS reported error ${code}.`,
    action: 'Look up the code in the IB TWS API error list; the original text is shown with it.',
  };
}

/**
 * The one classification: a code (IB's or one of LOCAL_CODES), IB's text and
 * the request id -> category, sentence, action and who said it. `raw` is the
 * original text, kept alongside.
 */
export function describeIbError(code: number, raw?: string, reqId?: number): IbErrorInfo {
  const local = LOCAL_TABLE[code];
  // 162's meaning is in its text (pacing, no data, cancelled, permissions)
  const entry = local ?? (code === 162 && raw ? HMDS_ERRORS[classifyHmdsError(raw)] : (TABLE[code] ?? fallback(code)));
  const info: IbErrorInfo = { code, category: entry.category, message: entry.message, action: entry.action };
  if (local) info.source = 'local';
  if (raw !== undefined && raw !== '') info.raw = raw;
  if (reqId !== undefined && reqId >= 0) info.reqId = reqId;
  return info;
}

/** An IB error as a thrown value; `info` holds the code, category, sentence and action. */
export class IbError extends Error {
  readonly info: IbErrorInfo;

  constructor(info: IbErrorInfo) {
    // the extension's own codes (9001 on) are not IB's: they are not shown as such
    const who = info.source === 'local' ? '' : 'IB ';
    super(info.raw && info.raw !== info.message ? `${info.message} (${who}${info.code}: ${info.raw})` : info.message);
    this.name = 'IbError';
    this.info = info;
  }

  get code(): number {
    return this.info.code;
  }
}
