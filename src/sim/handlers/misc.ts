/**
 * Small requests: REQ_CURRENT_TIME (the simulated clock), REQ_IDS,
 * REQ_MANAGED_ACCTS, SET_SERVER_LOGLEVEL; and the refusals: order messages
 * (the account is read-only) and anything this gateway does not serve.
 */
import type { Handler } from '../context';
import { MSG_READ_ONLY } from '../facts/tws-errors';
import { IN, OUT, V, outName } from '../messages';

/** When each client's last current-time request was answered (ms of real time). */
const lastTimeAnswer = new WeakMap<object, number>();

/**
 * TWS (10.16 and later) answers at most one current-time request a second and
 * never answers the others (reported from real sessions: ib_insync #479, #604).
 */
export const handleReqCurrentTime: Handler = (link, r, ctx) => {
  r.int(); // version
  const now = ctx.scheduler.now();
  const last = lastTimeAnswer.get(link);
  if (ctx.limits.currentTimeOncePerSecond && last !== undefined && now - last < 1000) {
    link.log('reqCurrentTime within a second of the last: not answered');
    return;
  }
  lastTimeAnswer.set(link, now);
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

/**
 * The id TWS would answer an order message with, read as the version in use
 * lays the message out: PLACE_ORDER: orderId first (no version from
 * ORDER_CONTAINER, 145); CANCEL_ORDER: version, orderId below
 * CME_TAGGING_FIELDS (192), orderId first from it; EXERCISE_OPTIONS: version,
 * reqId; REPLACE_FA (it rewrites the account's groups): its reqId.
 */
export function orderMessageId(msgId: number, fields: readonly string[], serverVersion: number): number {
  const at = (i: number): number => {
    const id = Number.parseInt(fields[i] ?? '', 10);
    return Number.isInteger(id) ? id : -1;
  };
  if (msgId === OUT.PLACE_ORDER) return at(0);
  if (msgId === OUT.CANCEL_ORDER) return at(serverVersion >= V.CME_TAGGING_FIELDS ? 0 : 1);
  if (msgId === OUT.EXERCISE_OPTIONS) return at(1);
  if (msgId === OUT.REPLACE_FA) return at(3); // version, faDataType, xml, reqId (REPLACE_FA_END, 157)
  return -1;
}

export function refuseOrder(link: Parameters<Handler>[0], msgId: number, fields: readonly string[]): void {
  const id = orderMessageId(msgId, fields, link.serverVersion);
  link.log(`${outName(msgId)} refused (read-only)${id >= 0 ? ` #${id}` : ''}`);
  link.sendError(id, 321, MSG_READ_ONLY);
}
