/**
 * Small requests: REQ_CURRENT_TIME (the simulated clock), REQ_IDS,
 * REQ_MANAGED_ACCTS, SET_SERVER_LOGLEVEL; and the refusals: order messages
 * (the account is read-only) and anything this gateway does not serve.
 */
import type { Handler } from '../context';
import { IN, outName } from '../messages';

export const READ_ONLY = "Error validating request.-'bN' : cause - The API interface is currently in Read-Only mode.";

export const handleReqCurrentTime: Handler = (link, r, ctx) => {
  r.int(); // version
  link.log('reqCurrentTime');
  link.send([IN.CURRENT_TIME, 1, ctx.clock.nowSeconds()]);
};

export const handleReqIds: Handler = (link, r) => {
  r.int(); // version
  const numIds = r.int();
  link.log(`reqIds ${numIds}`);
  link.send([IN.NEXT_VALID_ID, 1, link.nextOrderId]);
};

export const handleReqManagedAccts: Handler = (link, r, ctx) => {
  r.int(); // version
  link.log('reqManagedAccts');
  link.send([IN.MANAGED_ACCTS, 1, ctx.account]);
};

export const handleSetServerLogLevel: Handler = (link, r) => {
  r.int(); // version
  const level = r.int();
  link.log(`setServerLogLevel ${level}`);
};

/** The id TWS would answer an order message with: the order id where the message has one. */
function orderMessageId(msgId: number, fields: readonly string[]): number {
  // PLACE_ORDER: id, ...; CANCEL_ORDER: id, ... (no version at 193); EXERCISE_OPTIONS: version, reqId, ...
  if (msgId === 3 || msgId === 4) return Number.parseInt(fields[0] ?? '', 10) || -1;
  if (msgId === 21) return Number.parseInt(fields[1] ?? '', 10) || -1;
  return -1;
}

export function refuseOrder(link: Parameters<Handler>[0], msgId: number, fields: readonly string[]): void {
  const id = orderMessageId(msgId, fields);
  link.log(`${outName(msgId)} refused (read-only)${id >= 0 ? ` #${id}` : ''}`);
  link.sendError(id, 321, READ_ONLY);
}

export function refuseUnknown(link: Parameters<Handler>[0], msgId: number): void {
  link.log(`${outName(msgId)} not supported`);
  link.sendError(-1, 321, `Error validating request.-'bN' : cause - Unsupported request ${outName(msgId)} (message id ${msgId}): this gateway serves market data only`);
}
