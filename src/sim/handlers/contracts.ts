/**
 * REQ_CONTRACT_DATA (every match, full CONTRACT_DATA layout of the session's version,
 * then CONTRACT_DATA_END), REQ_MATCHING_SYMBOLS and REQ_HEAD_TIMESTAMP.
 */
import type { Field } from '../codec';
import type { ClientLink, Handler, SimContext } from '../context';
import { msgNoDataOfType, msgNoPermissions, NO_SECURITY_DEFINITION } from '../facts/tws-errors';
import { describeContract, instrumentFor, isContinuous, readEncodedContract, resolveOne, toQuery, type RequestContract } from '../contract-query';
import { IN, V } from '../messages';
import type { Instrument } from '../market/types';
import { INSTRUMENT_TIMEZONE, historicalDateTime, utcDashed } from '../time-format';
import { liquidHours, tradingHours } from '../market';
import { hasNoDataOfType, hasNoPermission, WHAT_TO_SHOW } from '../facts/historical-rules';
import { expiredMatch } from '../market/universe';
import { continuousSeries, type ContinuousSeries } from '../market/continuous';

const hoursCache = new Map<string, string>();

function hours(ctx: SimContext, inst: Instrument, useRTH: boolean): string {
  const day = Math.floor(ctx.clock.now() / 86_400_000);
  const key = `${ctx.market.seed}|${inst.conId}|${useRTH ? 1 : 0}|${day}`;
  let text = hoursCache.get(key);
  if (text === undefined) {
    text = useRTH ? liquidHours(inst, ctx.clock.now()) : tradingHours(inst, ctx.clock.now());
    if (hoursCache.size > 2000) hoursCache.clear();
    hoursCache.set(key, text);
  }
  return text;
}

/**
 * A future's lastTradeDateOrContractMonth as TWS writes it in CONTRACT_DATA:
 * date, last trading time and zone, "20250620 08:30 US/Central" (recorded at
 * 173); with seconds, "20260918 08:30:00", at 178 and 193 (reported: ib_async
 * and another client read the time that way). Which version in between
 * switches is not known; the simulator switches at 174. POSITION and
 * executions keep the bare date.
 */
function lastTradeText(inst: Instrument, version: number): string {
  if (inst.secType !== 'FUT' || !inst.lastTradeTime) return inst.lastTradeDateOrContractMonth;
  const time = version >= INSTRUMENT_TIMEZONE ? `${inst.lastTradeTime}:00` : inst.lastTradeTime;
  return `${inst.lastTradeDateOrContractMonth} ${time} ${inst.timeZoneId}`;
}

/** aggGroup as recorded: 1 for a stock, 4 for EUR.USD, 2147483647 (none) for ES. */
function aggGroupOf(inst: Instrument): number {
  return inst.secType === 'FUT' ? 2147483647 : inst.secType === 'CASH' ? 4 : 1;
}

/** secIdList: its count, then type and value of each ("1", "ISIN", "US88160R1014" recorded for TSLA). */
function secIdListFields(inst: Instrument): Field[] {
  const ids = inst.secIds ?? [];
  return [ids.length, ...ids.flat()];
}

/** minSize, sizeIncrement, suggestedSizeIncrement as recorded: 1, 1, 100 for TSLA; 1, 1, 1 for ES; 0.01 each for EUR.USD. */
function sizeRulesOf(inst: Instrument): readonly string[] {
  return inst.sizeRules ?? ['1', '1', inst.secType === 'STK' ? '100' : '1'];
}

/**
 * CONTRACT_DATA as TWS lays it out at the session's server version (as
 * @stoqey/ib 1.6 and IB's own clients decode it): a version field (8) before
 * SIZE_RULES (164), lastTradeDate from 182, the ineligibility reasons from 186.
 * A future's fields follow the recorded ESM5 answer: no primary exchange, no
 * industry or category, the underlying index's conId, aggGroup 2147483647.
 * A continuous future is its front month's answer with secType CONTFUT.
 */
export function contractDataFields(
  reqId: number,
  inst: Instrument,
  ctx: SimContext,
  version: number,
  exchange = inst.exchange,
  secType: string = inst.secType,
): Field[] {
  // IB's market name is the trading class ("NMS" for NASDAQ stocks, "ES" for E-mini futures, "EUR.USD" for forex)
  const marketName = inst.tradingClass || inst.symbol;
  const sizeRules = version >= V.SIZE_RULES;
  const fut = inst.secType === 'FUT';
  return [
    IN.CONTRACT_DATA,
    ...(sizeRules ? [] : [8]), // message version
    reqId,
    inst.symbol,
    secType,
    lastTradeText(inst, version),
    ...(version >= V.LAST_TRADE_DATE ? [inst.lastTradeDateOrContractMonth] : []), // lastTradeDate
    0, // strike
    '', // right
    exchange,
    inst.currency,
    inst.localSymbol,
    marketName,
    inst.tradingClass,
    inst.conId,
    inst.minTick,
    ...(sizeRules ? [] : [1]), // mdSizeMultiplier (MD_SIZE_MULTIPLIER, 110, until SIZE_RULES)
    inst.multiplier,
    inst.orderTypes,
    inst.validExchanges,
    1, // priceMagnifier
    inst.detailsUnderConId ?? 0, // underConId
    inst.longName,
    fut ? '' : inst.primaryExchange,
    inst.contractMonth,
    fut ? '' : inst.industry,
    fut ? '' : inst.category,
    fut ? '' : inst.subcategory,
    inst.timeZoneId,
    hours(ctx, inst, false),
    hours(ctx, inst, true),
    '', // evRule
    '', // evMultiplier
    ...secIdListFields(inst), // secIdList: count, then type and value pairs
    aggGroupOf(inst), // aggGroup (AGG_GROUP)
    inst.secType === 'FUT' ? inst.symbol : '', // underSymbol (UNDERLYING_INFO)
    inst.secType === 'FUT' ? 'IND' : '', // underSecType
    inst.marketRuleIds, // MARKET_RULES
    inst.lastTradeDateOrContractMonth, // realExpirationDate (REAL_EXPIRATION_DATE)
    inst.stockType, // STOCK_TYPE
    ...(version === V.FRACTIONAL_SIZE_SUPPORT ? ['1'] : []), // sizeMinTick (163 only)
    ...(sizeRules ? sizeRulesOf(inst) : []), // minSize, sizeIncrement, suggestedSizeIncrement
    ...(version >= V.INELIGIBILITY_REASONS ? [0] : []), // ineligibility reasons count
  ];
}

export const handleReqContractData: Handler = (link, r, ctx) => {
  r.int(); // version
  const reqId = r.int();
  const contract = readEncodedContract(r);
  // secIdType, secId, issuerId follow; they do not narrow the simulated universe.
  link.log(`reqContractDetails #${reqId} ${describeContract(contract)}`);
  if (isContinuous(contract)) {
    // one answer: the front month's details (same conId, local symbol, expiry...) as a CONTFUT
    const series = continuousFor(link, reqId, ctx, contract);
    if (!series) return;
    link.send(contractDataFields(reqId, series.front, ctx, link.serverVersion, series.front.exchange, 'CONTFUT'));
    link.send([IN.CONTRACT_DATA_END, 1, reqId]);
    return;
  }
  let matches: Instrument[];
  if (contract.conId) {
    const one = resolveOne(ctx.market.universe, contract);
    matches = 'inst' in one ? [one.inst] : [];
  } else {
    matches = ctx.market.universe.match(toQuery(contract));
  }
  // months that expired in the last two years: only for includeExpired (else 200, as for a month never listed)
  if (contract.includeExpired) matches = [...matches, ...expiredMatch(ctx.market.universe, toQuery(contract))];
  if (!matches.length) {
    link.sendError(reqId, 200, NO_SECURITY_DEFINITION);
    return;
  }
  // TWS answers in the exchange asked for (TSE stays TSE, AMEX stays AMEX), SMART when none was given.
  const asked = contract.exchange?.trim().toUpperCase();
  for (const inst of matches) {
    const exchange = asked && asked !== 'SMART' && inst.exchange === 'SMART' ? asked : inst.exchange;
    link.send(contractDataFields(reqId, inst, ctx, link.serverVersion, exchange));
  }
  link.send([IN.CONTRACT_DATA_END, 1, reqId]);
};

/** The derivative kinds a US stock's symbol sample lists, as recorded for TSLA. */
const US_STOCK_DERIVATIVES = ['CFD', 'OPT', 'IOPT', 'WAR', 'BAG'];

export const handleReqMatchingSymbols: Handler = (link, r, ctx) => {
  const reqId = r.int();
  const pattern = r.str();
  link.log(`reqMatchingSymbols #${reqId} "${pattern}"`);
  const found = pattern.trim() ? ctx.market.universe.search(pattern).slice(0, 16) : [];
  const fields: Field[] = [IN.SYMBOL_SAMPLES, reqId, found.length];
  for (const inst of found) {
    const usStock = inst.secType === 'STK' && inst.currency === 'USD';
    const derivatives = usStock
      ? US_STOCK_DERIVATIVES
      : inst.secType === 'STK'
        ? ['OPT', 'WAR']
        : inst.secType === 'IND'
          ? ['FUT', 'OPT']
          : inst.secType === 'FUT'
            ? ['FOP']
            : [];
    // recorded (TSLA): a NASDAQ listing's sample names its exchange by IB's old name, ISLAND, while its contract details say NASDAQ
    const primary = usStock && inst.primaryExchange === 'NASDAQ' ? 'ISLAND' : inst.primaryExchange;
    fields.push(inst.conId, inst.symbol, inst.secType, primary, inst.currency, derivatives.length, ...derivatives);
    if (link.serverVersion >= V.BOND_ISSUERID) fields.push(inst.longName, ''); // description, issuerId
  }
  link.send(fields);
};

/**
 * The one instrument a request that carries includeExpired names (historical
 * data, head timestamp): an expired futures month too when the flag is set.
 * Otherwise the request gets TWS's error (200) and undefined comes back.
 */
export function instrumentOrExpired(link: ClientLink, reqId: number, ctx: SimContext, c: RequestContract): Instrument | undefined {
  const expired = c.includeExpired ? expiredMatch(ctx.market.universe, toQuery(c)) : [];
  if (expired.length === 0) return instrumentFor(link, reqId, ctx.market.universe, c);
  const live = c.conId ? [] : ctx.market.universe.match(toQuery(c));
  if (expired.length + live.length === 1) return expired[0];
  link.sendError(reqId, 200, `The contract description specified for ${c.symbol ?? c.localSymbol ?? ''} is ambiguous.`);
  return undefined;
}

/**
 * The continuous future a CONTFUT request names, as of the simulator's clock;
 * otherwise the request gets the errors an unknown or ambiguous future gets
 * (200) and undefined comes back.
 */
export function continuousFor(link: ClientLink, reqId: number, ctx: SimContext, c: RequestContract): ContinuousSeries | undefined {
  const series = continuousSeries(ctx.market.universe, toQuery(c), ctx.clock.nowSeconds());
  if (series === 'ambiguous') link.sendError(reqId, 200, `The contract description specified for ${c.symbol ?? c.localSymbol ?? ''} is ambiguous.`);
  else if (!series) link.sendError(reqId, 200, NO_SECURITY_DEFINITION);
  return typeof series === 'object' ? series : undefined;
}

export const handleReqHeadTimestamp: Handler = (link, r, ctx) => {
  const reqId = r.int();
  const contract = readEncodedContract(r);
  const useRTH = r.bool();
  const whatToShow = r.str().toUpperCase();
  const formatDate = r.int() || 1;
  link.log(`reqHeadTimestamp #${reqId} ${describeContract(contract)} ${whatToShow} rth=${useRTH ? 1 : 0}`);
  const inst = instrumentOrExpired(link, reqId, ctx, contract);
  if (!inst) return;
  if (!WHAT_TO_SHOW.includes(whatToShow)) {
    link.sendError(reqId, 321, `Error validating request.-'bN' : cause - Invalid whatToShow "${whatToShow}"`);
    return;
  }
  // a kind of data the instrument has none of (an index's MIDPOINT: "... SPX/IND@CBOE MidPoint 0", reported)
  if (hasNoDataOfType(inst, whatToShow)) {
    link.sendError(reqId, 162, msgNoDataOfType(inst.symbol, inst.secType, inst.exchange, whatToShow, 0));
    return;
  }
  // no permission for the instrument's data: no bars either
  if (hasNoPermission(inst)) {
    link.sendError(reqId, 162, msgNoPermissions(inst.primaryExchange || inst.exchange, inst.secType));
    return;
  }
  // useRTH does not move the answer: no capture shows it doing so, and TSLA's head with useRTH=1 is outside regular hours (ib_insync's bar_data notebook)
  const head = ctx.market.headTimestamp(inst, whatToShow);
  link.send([IN.HEAD_TIMESTAMP, reqId, headText(head, formatDate, inst, link.serverVersion)]);
};

/**
 * HEAD_TIMESTAMP's value: epoch seconds for formatDate 2; else, before 174,
 * "yyyyMMdd  HH:mm:ss" (two spaces, the login zone) as recorded in API logs
 * ("88-703-20190624  13:50:36", "20230921  22:00:00" for MNQZ4). From 174 no
 * capture is known: "yyyyMMdd-HH:mm:ss" in UTC, which every client reads.
 */
function headText(head: number, formatDate: number, inst: Instrument, version: number): string {
  if (formatDate === 2) return String(head);
  return version >= INSTRUMENT_TIMEZONE ? utcDashed(head) : historicalDateTime(head, inst.timeZoneId, version);
}

export const handleCancelHeadTimestamp: Handler = (link, r) => {
  const reqId = r.int();
  link.log(`cancelHeadTimestamp #${reqId}`);
};
