/**
 * Requests this gateway does not serve, refused the way a client can use:
 * with error 321 under the request's OWN id (a client waiting on that id
 * learns it failed), and their cancels accepted quietly (TWS does not answer a
 * cancel). Where each message keeps its request id, at the versions spoken
 * here (157..193), follows IB's EClient encoders.
 */
import type { ClientLink } from '../context';
import { validationError } from '../facts/tws-errors';
import { outName } from '../messages';

/** Message id -> position of the request id among the fields after the message id. */
const REQUEST_ID_AT: ReadonlyMap<number, number> = new Map([
  [10, 1], // REQ_MKT_DEPTH: version, reqId
  [22, 0], // REQ_SCANNER_SUBSCRIPTION: reqId first (no version from SCANNER_GENERIC_OPTS, 143)
  [52, 1], // REQ_FUNDAMENTAL_DATA: version, reqId
  [54, 1], // REQ_CALC_IMPLIED_VOLAT: version, reqId
  [55, 1], // REQ_CALC_OPTION_PRICE: version, reqId
  [67, 1], // QUERY_DISPLAY_GROUPS: version, reqId
  [68, 1], // SUBSCRIBE_TO_GROUP_EVENTS: version, reqId
  [69, 1], // UPDATE_DISPLAY_GROUP: version, reqId
  [78, 0], // REQ_SEC_DEF_OPT_PARAMS: reqId
  [79, 0], // REQ_SOFT_DOLLAR_TIERS: reqId
  [83, 0], // REQ_SMART_COMPONENTS: reqId
  [84, 0], // REQ_NEWS_ARTICLE: reqId
  [86, 0], // REQ_HISTORICAL_NEWS: reqId
  [88, 0], // REQ_HISTOGRAM_DATA: reqId
  [92, 0], // REQ_PNL: reqId
  [94, 0], // REQ_PNL_SINGLE: reqId
  [96, 0], // REQ_HISTORICAL_TICKS: reqId
  [100, 0], // REQ_WSH_META_DATA: reqId
  [102, 0], // REQ_WSH_EVENT_DATA: reqId
  [104, 0], // REQ_USER_INFO: reqId
]);

/** Cancels and unsubscribes of requests that are refused: TWS sends nothing back for them. */
const QUIET: ReadonlySet<number> = new Set([
  11, // CANCEL_MKT_DEPTH
  13, // CANCEL_NEWS_BULLETINS
  23, // CANCEL_SCANNER_SUBSCRIPTION
  53, // CANCEL_FUNDAMENTAL_DATA
  56, // CANCEL_CALC_IMPLIED_VOLAT
  57, // CANCEL_CALC_OPTION_PRICE
  70, // UNSUBSCRIBE_FROM_GROUP_EVENTS
  89, // CANCEL_HISTOGRAM_DATA
  93, // CANCEL_PNL
  95, // CANCEL_PNL_SINGLE
  101, // CANCEL_WSH_META_DATA
  103, // CANCEL_WSH_EVENT_DATA
]);

/** The request id a refused message carries, or -1 when it has none (REQ_SCANNER_PARAMETERS, REQ_NEWS_PROVIDERS...). */
export function requestIdOf(msgId: number, fields: readonly string[]): number {
  const at = REQUEST_ID_AT.get(msgId);
  if (at === undefined) return -1;
  const id = Number.parseInt(fields[at] ?? '', 10);
  return Number.isInteger(id) ? id : -1;
}

export function isQuietCancel(msgId: number): boolean {
  return QUIET.has(msgId);
}

/** Refuses a request this gateway does not serve, under its own request id; a cancel of one gets nothing. */
export function refuseUnsupported(link: ClientLink, msgId: number, fields: readonly string[]): void {
  if (isQuietCancel(msgId)) {
    link.log(`${outName(msgId)} (nothing to cancel)`);
    return;
  }
  const id = requestIdOf(msgId, fields);
  link.log(`${outName(msgId)} not supported${id >= 0 ? ` #${id}` : ''}`);
  link.sendError(id, 321, validationError('bN', `${outName(msgId)} (message ${msgId}) is not supported by this gateway, which serves market data only`));
}
