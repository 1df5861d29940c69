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

/** The account's values: key, value, currency (empty for text values). */
function accountValues(account: string): Array<[string, string, string]> {
  return [
    ['AccountCode', account, ''],
    ['AccountType', 'INDIVIDUAL', ''],
    ['Currency', 'USD', 'USD'],
    ['NetLiquidation', CASH, 'USD'],
    ['TotalCashValue', CASH, 'USD'],
    ['BuyingPower', CASH, 'USD'],
  ];
}

/**
 * REQ_ACCOUNT_UPDATES_MULTI (76: version, reqId, account, modelCode,
 * ledgerAndNLV): the values as ACCOUNT_UPDATE_MULTI (73, version 1: reqId,
 * account, modelCode, key, value, currency), then ACCOUNT_UPDATE_MULTI_END
 * (74). ib_insync and ib_async send it on every connect and wait for the end.
 */
export const handleReqAccountUpdatesMulti: Handler = (link, r, ctx) => {
  r.int(); // version
  const reqId = r.int();
  const account = r.str();
  const modelCode = r.str();
  link.log(`reqAccountUpdatesMulti #${reqId} ${account || '(all)'}${modelCode ? ` model ${modelCode}` : ''}`);
  if (account && account !== ctx.account && account !== 'All') {
    link.sendError(reqId, 321, `Error validating request.-'bB' : cause - Invalid account code: ${account}`);
    return;
  }
  for (const [key, value, currency] of accountValues(ctx.account)) link.send([IN.ACCOUNT_UPDATE_MULTI, 1, reqId, ctx.account, modelCode, key, value, currency]);
  link.send([IN.ACCOUNT_UPDATE_MULTI_END, 1, reqId]);
};

/** REQ_POSITIONS_MULTI (74: version, reqId, account, modelCode): no positions, the end (72) at once. */
export const handleReqPositionsMulti: Handler = (link, r) => {
  r.int(); // version
  const reqId = r.int();
  link.log(`reqPositionsMulti #${reqId}`);
  link.send([IN.POSITION_MULTI_END, 1, reqId]);
};

/** CANCEL_ACCOUNT_UPDATES_MULTI (77), CANCEL_POSITIONS_MULTI (75) and CANCEL_ACCOUNT_SUMMARY (63): nothing streams, nothing to answer. */
export const handleCancelMulti: Handler = (link, r) => {
  r.int(); // version
  const reqId = r.int();
  link.log(`cancel multi #${reqId}`);
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
  for (const [key, value, currency] of accountValues(ctx.account)) link.send([IN.ACCT_VALUE, 2, key, value, currency, ctx.account]);
  const now = new Date(ctx.clock.now());
  link.send([IN.ACCT_UPDATE_TIME, 1, `${String(now.getUTCHours()).padStart(2, '0')}:${String(now.getUTCMinutes()).padStart(2, '0')}`]);
  link.send([IN.ACCT_DOWNLOAD_END, 1, ctx.account]);
};

/**
 * The account summary's tags this account has a value for: value and
 * currency (empty for ratios and text, as recorded: Cushion "1", ""). A paper
 * account holding only cash: no positions, no margin in use.
 */
function summaryValues(): ReadonlyMap<string, [string, string]> {
  const usd = (v: string): [string, string] => [v, 'USD'];
  return new Map<string, [string, string]>([
    ['AccountType', ['INDIVIDUAL', '']],
    ['NetLiquidation', usd(CASH)],
    ['TotalCashValue', usd(CASH)],
    ['SettledCash', usd(CASH)],
    ['AccruedCash', usd('0.00')],
    ['BuyingPower', usd(CASH)],
    ['EquityWithLoanValue', usd(CASH)],
    ['PreviousDayEquityWithLoanValue', usd(CASH)],
    ['GrossPositionValue', usd('0.00')],
    ['RegTEquity', usd(CASH)],
    ['RegTMargin', usd('0.00')],
    ['SMA', usd(CASH)],
    ['InitMarginReq', usd('0.00')],
    ['MaintMarginReq', usd('0.00')],
    ['AvailableFunds', usd(CASH)],
    ['ExcessLiquidity', usd(CASH)],
    ['Cushion', ['1', '']],
    ['FullInitMarginReq', usd('0.00')],
    ['FullMaintMarginReq', usd('0.00')],
    ['FullAvailableFunds', usd(CASH)],
    ['FullExcessLiquidity', usd(CASH)],
    ['LookAheadInitMarginReq', usd('0.00')],
    ['LookAheadMaintMarginReq', usd('0.00')],
    ['LookAheadAvailableFunds', usd(CASH)],
    ['LookAheadExcessLiquidity', usd(CASH)],
    ['HighestSeverity', ['0', '']],
    ['DayTradesRemaining', ['-1', '']],
    ['Leverage', ['0', '']],
  ]);
}

/**
 * REQ_ACCOUNT_SUMMARY (62: version, reqId, group, tags): one ACCOUNT_SUMMARY
 * (63, version 1: reqId, account, tag, value, currency) per account and tag
 * asked for that the account has, the tags in alphabetical order as
 * recorded, then ACCOUNT_SUMMARY_END (64). A tag it has no value for is left
 * out.
 */
export const handleReqAccountSummary: Handler = (link, r, ctx) => {
  r.int(); // version
  const reqId = r.int();
  const group = r.str();
  const tags = r.str();
  link.log(`reqAccountSummary #${reqId} ${group} ${tags}`);
  const values = summaryValues();
  const asked = [...new Set(tags.split(',').map((t) => t.trim()))].filter((t) => values.has(t)).sort();
  for (const tag of asked) {
    const [value, currency] = values.get(tag)!;
    link.send([IN.ACCOUNT_SUMMARY, 1, reqId, ctx.account, tag, value, currency]);
  }
  link.send([IN.ACCOUNT_SUMMARY_END, 1, reqId]);
};
