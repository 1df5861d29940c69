/**
 * The account's read requests, answered as a paper account that holds
 * nothing: no positions, no open or completed orders, no executions, and a
 * few account values. Clients such as ib_insync and ib_async ask for all of
 * these while they connect and wait for each one's end message.
 */
import type { Handler } from '../context';
import { IN } from '../messages';

/** The simulated account's cash, in USD (it trades nothing: read-only). */
const CASH = '1000000.00';

export const handleReqPositions: Handler = (link, r) => {
  r.int(); // version
  link.log('reqPositions');
  link.send([IN.POSITION_END, 1]);
};

export const handleCancelPositions: Handler = (link, r) => {
  r.int(); // version
  link.log('cancelPositions');
};

/** REQ_OPEN_ORDERS and REQ_ALL_OPEN_ORDERS: there are none. */
export const handleReqOpenOrders: Handler = (link, r) => {
  r.int(); // version
  link.log('reqOpenOrders');
  link.send([IN.OPEN_ORDER_END, 1]);
};

export const handleReqAutoOpenOrders: Handler = (link, r) => {
  r.int(); // version
  const autoBind = r.bool();
  link.log(`reqAutoOpenOrders ${autoBind ? 1 : 0}`);
};

export const handleReqCompletedOrders: Handler = (link, r) => {
  const apiOnly = r.bool();
  link.log(`reqCompletedOrders apiOnly=${apiOnly ? 1 : 0}`);
  link.send([IN.COMPLETED_ORDERS_END]);
};

export const handleReqExecutions: Handler = (link, r) => {
  r.int(); // version
  const reqId = r.int();
  link.log(`reqExecutions #${reqId}`);
  link.send([IN.EXECUTION_DATA_END, 1, reqId]);
};

/** REQ_ACCOUNT_DATA (reqAccountUpdates): the values, the time, then the end of the download. */
export const handleReqAccountData: Handler = (link, r, ctx) => {
  r.int(); // version
  const subscribe = r.bool();
  const account = r.str() || ctx.account;
  link.log(`reqAccountUpdates ${subscribe ? 1 : 0} ${account}`);
  if (!subscribe) return;
  if (account !== ctx.account) {
    link.sendError(-1, 321, `Error validating request.-'bB' : cause - Invalid account code: ${account}`);
    return;
  }
  const values: Array<[string, string, string]> = [
    ['AccountCode', ctx.account, ''],
    ['AccountType', 'INDIVIDUAL', ''],
    ['Currency', 'USD', 'USD'],
    ['NetLiquidation', CASH, 'USD'],
    ['TotalCashValue', CASH, 'USD'],
    ['BuyingPower', CASH, 'USD'],
  ];
  for (const [key, value, currency] of values) link.send([IN.ACCT_VALUE, 2, key, value, currency, ctx.account]);
  const now = new Date(ctx.clock.now());
  link.send([IN.ACCT_UPDATE_TIME, 1, `${String(now.getUTCHours()).padStart(2, '0')}:${String(now.getUTCMinutes()).padStart(2, '0')}`]);
  link.send([IN.ACCT_DOWNLOAD_END, 1, ctx.account]);
};

/** REQ_ACCOUNT_SUMMARY: nothing to sum up beyond the values above; the end at once. */
export const handleReqAccountSummary: Handler = (link, r) => {
  r.int(); // version
  const reqId = r.int();
  link.log(`reqAccountSummary #${reqId}`);
  link.send([IN.ACCOUNT_SUMMARY_END, 1, reqId]);
};
