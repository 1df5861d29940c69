/**
 * Futures months past their last trade day. IB finds them only for a request
 * that sets includeExpired (contract details, historical data: their bars
 * stay two years after the expiry) and streams no quotes for them: a quote
 * line of one is refused in words that say when it expired and which month
 * to use instead, not with IB's generic 200 ("no security definition").
 */
import { describeIbError, IbError, LOCAL_CODES } from '../errors';
import { contractMonthOf, monthName } from '../facts/futures';
import { wallClock } from '../facts/time-zone';
import { resolveZone } from '../facts/tws-zone-names';
import type { IbErrorInfo, ResolvedContract } from '../types';
import { exactSpecs } from './symbol-text';

/** Where a future's listed months come from (ContractService.futures: IB's list, front month first). */
export interface MonthList {
  futures(symbol: string, exchange?: string): Promise<ResolvedContract[]>;
}

const DAY = /^(\d{4})(\d{2})(\d{2})$/;

type Dated = Pick<ResolvedContract, 'lastTradeDateOrContractMonth' | 'timeZoneId'>;

/**
 * The date of an instant where the month trades, "YYYYMMDD": in its exchange's zone (IB's timeZoneId, "US/Central"
 * for CME), so that a Chicago evening is still that day's; in UTC where IB gave no zone the platform knows.
 */
function exchangeDay(ms: number, c: Dated): string {
  const zone = resolveZone(c.timeZoneId);
  const w = zone ? wallClock(ms, zone) : undefined;
  if (!w) return new Date(ms).toISOString().slice(0, 10).replace(/-/g, '');
  return `${w.year}${String(w.month).padStart(2, '0')}${String(w.day).padStart(2, '0')}`;
}

/**
 * Whether a futures month has expired: IB found it only among the expired
 * ones, or its last trade day is before the date of `nowMs` at its exchange.
 */
export function hasExpired(c: Pick<ResolvedContract, 'secType' | 'includeExpired' | 'lastTradeDateOrContractMonth' | 'timeZoneId'>, nowMs: number): boolean {
  if (c.secType !== 'FUT') return false;
  if (c.includeExpired) return true;
  const last = c.lastTradeDateOrContractMonth ?? '';
  return DAY.test(last) && last < exchangeDay(nowMs, c);
}

/** A futures month's last trade day, "2026-09-18", where IB gave it. */
export function lastTradeDay(c: Pick<ResolvedContract, 'lastTradeDateOrContractMonth'>): string | undefined {
  const day = DAY.exec(c.lastTradeDateOrContractMonth ?? '');
  return day ? `${day[1]}-${day[2]}-${day[3]}` : undefined;
}

/** Days before its last trade day from which a month is in its roll week: trading has moved to the next month. */
export const ROLL_DAYS = 8;

/** Whole days from the date of `nowMs` at the month's exchange to its last trade day; undefined where IB gave no day. */
export function daysToExpiry(c: Dated, nowMs: number): number | undefined {
  const last = DAY.exec(c.lastTradeDateOrContractMonth ?? '');
  const today = DAY.exec(exchangeDay(nowMs, c))!;
  if (!last) return undefined;
  const at = (d: RegExpExecArray) => Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]));
  return Math.round((at(last) - at(today)) / 86_400_000);
}

/**
 * A future's front month among its months (front month first): the first that has not expired of its main class,
 * the one most months are listed in (VIX's monthlies, not a weekly that happens to expire first; FDAX where
 * FDAX, FDXM and FDXS list as many months: the first listed).
 */
export function frontMonth(months: readonly ResolvedContract[], nowMs: number): ResolvedContract | undefined {
  const live = months.filter((m) => !hasExpired(m, nowMs));
  const count = new Map<string, number>();
  for (const m of live) count.set(classOf(m), (count.get(classOf(m)) ?? 0) + 1);
  const most = Math.max(0, ...count.values());
  return live.find((m) => count.get(classOf(m)) === most);
}

/**
 * The month to offer first of a future's months (front month first): the front month, or in its roll week (its last
 * trade day within ROLL_DAYS) the next month of the same class and size, where volume has moved by then.
 */
export function activeMonth(months: readonly ResolvedContract[], nowMs: number): ResolvedContract | undefined {
  const live = months.filter((m) => !hasExpired(m, nowMs));
  const front = frontMonth(live, nowMs);
  const left = front ? daysToExpiry(front, nowMs) : undefined;
  if (!front || left === undefined || left > ROLL_DAYS) return front;
  return live.find((m) => sameFuture(m, front)) ?? front;
}

/** A month's class: the local symbol without its month ("VX" of VXZ6, "FDXM" of "FDXM DEC 26"). */
function classOf(c: ResolvedContract): string {
  const local = c.localSymbol ?? '';
  return local.includes(' ') ? local.split(' ')[0] : local.replace(/[FGHJKMNQUVXZ]\d{1,2}$/, '');
}

/** Another month of the same future: its class and size (not a weekly for a monthly, not the mini for the full one). */
function sameFuture(m: ResolvedContract, c: ResolvedContract): boolean {
  return m.conId !== c.conId && (m.multiplier ?? '') === (c.multiplier ?? '') && classOf(m) === classOf(c);
}

/** "ES Sep 2026" */
function monthLabel(c: ResolvedContract): string {
  return `${c.symbol} ${monthName(contractMonthOf(c))}`;
}

/**
 * The refusal of a quote line for an expired month: when it expired, and as
 * what to do the front month of its future (from IB's list of months for its
 * symbol and exchange), or how to find one when that list cannot be had.
 */
export async function expiredError(months: MonthList, c: ResolvedContract, nowMs: number): Promise<IbError> {
  const listed = await months.futures(c.symbol, c.exchange).catch(() => [] as ResolvedContract[]);
  // the month trading is in: the front month, or in its roll week the next (as the symbol search offers it)
  const same = listed.filter((m) => sameFuture(m, c));
  const front = activeMonth(same, nowMs);
  const rolled = front !== undefined && front !== frontMonth(same, nowMs);
  // the text that asks for exactly it (a month shared by several classes: its contract id)
  const frontText = front ? exactSpecs(listed)[listed.indexOf(front)] : undefined;
  const day = lastTradeDay(c);
  const when = day ? ` on ${day}, its last trade day` : '';
  const name = `${monthLabel(c)}${c.localSymbol ? ` (${c.localSymbol})` : ''}`;
  const chart = `A chart of ${monthLabel(c)} still shows its bars up to its expiry.`;
  return new IbError({
    ...describeIbError(LOCAL_CODES.expiredContract),
    message: `${name} expired${when}: IB streams no quotes for an expired futures month.`,
    action: front
      ? `Use ${rolled ? "the next month instead (trading has moved there in the front month's roll week)" : 'the front month instead'}: ${monthLabel(front)}${front.localSymbol ? ` (${front.localSymbol})` : ''}, "${frontText}". ${chart}`
      : `Use a month that still trades: search for ${c.symbol} and pick one, or type one like "${c.symbol} YYYYMM FUT@${c.exchange}". ${chart}`,
  });
}

/**
 * The refusal of a quote line for a continuous future: IB gives its history only (its contract id is its front
 * month's, which would stream that month under the continuous future's name).
 */
export function continuousError(
  c: Pick<ResolvedContract, 'symbol' | 'localSymbol'>,
  bars = `a chart of ${c.symbol} continuous shows its bars across the rolls`,
): IbError {
  const front = c.localSymbol ? `its front month now, ${c.localSymbol}` : 'its front month';
  return new IbError({
    ...describeIbError(LOCAL_CODES.historyOnly),
    message: `${c.symbol} continuous (CONTFUT) is history only: IB streams no quotes for a continuous future.`,
    action: `Watch ${front}, for live quotes (search for ${c.symbol}); ${bars}.`,
  });
}

/** The contract, or (an expired futures month, a continuous future) the refusal of a quote line for it. */
export async function refuseExpired(months: MonthList, c: ResolvedContract, nowMs: number): Promise<ResolvedContract> {
  if (c.secType === 'CONTFUT') throw continuousError(c);
  if (!hasExpired(c, nowMs)) return c;
  throw await expiredError(months, c, nowMs);
}

/**
 * A quote line's contract checked before the line is sent: a futures month
 * past its last trade day is not sent (IB would answer 200), and `refused`
 * hears why once it is written (after IB's list of months). True when it was
 * refused.
 */
export function refusedAsExpired(months: MonthList, c: ResolvedContract, nowMs: number, refused: (info: IbErrorInfo) => void): boolean {
  if (!hasExpired(c, nowMs)) return false;
  void expiredError(months, c, nowMs).then((e) => refused(e.info));
  return true;
}
