/**
 * A history request checked and put in IB's words before anything is sent:
 * bar size with duration, data type, end date, and what a live series needs
 * (5-second bars or larger, no end date). Also the keys that identify a
 * request for the cache, for sharing a live series and for pacing.
 */
import { barSizeSeconds, checkBarRequest, normaliseBarSize, parseDuration } from '../bar-sizes';
import { hasExpired } from '../contracts/expired';
import type { ContractService } from '../contracts/service';
import { describeIbError, IbError, LOCAL_CODES } from '../errors';
import { classifyHmdsError } from '../facts/hmds-errors';
import { ibUtcEndDateTime } from '../facts/trading-hours';
import { quoted } from '../text';
import type { HistoryRequest, ResolvedContract, WhatToShow } from '../types';
import type { PacingKey } from './pacing';

/** Keep-up-to-date bars are only available from this bar size on. */
export const MIN_LIVE_BAR_SECONDS = 5;

/** IB's "small bars" (30 secs or less): the only ones its historical pacing rules are for. */
export const SMALL_BAR_SECONDS = 30;

export interface Normalised {
  contract: ResolvedContract;
  barSize: string;
  /** Daily and longer bars are keyed by UTC midnight of their date. */
  daily: boolean;
  duration: string;
  whatToShow: WhatToShow;
  useRTH: boolean;
  endDateTime: string;
}

function validationError(problem: string, action = 'Choose a bar size and duration IB accepts together (longer durations need larger bars).'): IbError {
  return new IbError({
    ...describeIbError(LOCAL_CODES.invalidRequest),
    message: `IB would refuse this history request: ${problem.replace(/\.$/, '')}.`,
    action,
  });
}

const FIELD_ACTION = 'Correct the data type or the end date as the message says.';

const WHAT_TO_SHOW: readonly string[] = ['TRADES', 'MIDPOINT', 'BID', 'ASK', 'BID_ASK', 'ADJUSTED_LAST', 'HISTORICAL_VOLATILITY', 'OPTION_IMPLIED_VOLATILITY'];
/** IB's end date: "yyyyMMdd-HH:mm:ss" (UTC) or "yyyyMMdd HH:mm:ss" with an optional time zone name. */
const END_DATE_TIME = /^(\d{4})(\d{2})(\d{2})[- ](\d{2}):(\d{2}):(\d{2})(?: [A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){0,2})?$/;

/**
 * The request fields other than bar size and duration, checked before anything is sent: they go
 * to the gateway as text, and a NUL inside one would split the wire message into other fields.
 */
function checkRequestFields(req: HistoryRequest): string | undefined {
  if (req.whatToShow !== undefined && !WHAT_TO_SHOW.includes(req.whatToShow)) {
    return `${quoted(req.whatToShow)} is not an IB data type; use one of: ${WHAT_TO_SHOW.join(', ')}`;
  }
  const end = typeof req.endDateTime === 'string' ? req.endDateTime.trim() : req.endDateTime;
  if (end === undefined || end === '') return undefined;
  const m = typeof end === 'string' && end.length <= 64 ? END_DATE_TIME.exec(end) : null;
  const [year, month, day, hour, minute, second] = (m ?? []).slice(1, 7).map(Number);
  const valid =
    m !== null && month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate() && hour < 24 && minute < 60 && second < 60;
  if (!valid) return `the end date ${quoted(end)} is not a date and time like "20251120-16:00:00" (UTC) or "20251120 11:00:00 US/Eastern"`;
  // IB: "End date not supported with adjusted last" (321); its adjusted bars always end now
  if (req.whatToShow === 'ADJUSTED_LAST') return 'ADJUSTED_LAST bars always end now: IB takes them without an end date only';
  return undefined;
}

/** Why IB would refuse this history request, or undefined when it would take it. */
export function historyRequestError(req: HistoryRequest): IbError | undefined {
  const bars = checkBarRequest(req.barSize, req.duration);
  if (bars) return validationError(bars);
  const field = checkRequestFields(req);
  return field ? validationError(field, FIELD_ACTION) : undefined;
}

/** Why a live (keep-up-to-date) series cannot be asked for with this request, or undefined. */
export function liveRequestError(req: HistoryRequest): IbError | undefined {
  const bars = checkBarRequest(req.barSize, req.duration);
  if (bars) return validationError(bars);
  const field = checkRequestFields({ ...req, endDateTime: undefined });
  if (field) return validationError(field, FIELD_ACTION);
  const seconds = barSizeSeconds(req.barSize);
  if (seconds !== undefined && seconds < MIN_LIVE_BAR_SECONDS) {
    return new IbError({
      ...describeIbError(LOCAL_CODES.invalidRequest),
      message: `Live bars need a bar size of 5 secs or more; "${normaliseBarSize(req.barSize)}" can only be fetched as history.`,
      action: 'Choose a bar size of 5 secs or larger for a live chart.',
    });
  }
  if (req.endDateTime && req.endDateTime.trim() !== '') {
    return new IbError({
      ...describeIbError(LOCAL_CODES.invalidRequest),
      message: 'A live series always ends now; it cannot have an end date.',
      action: 'Leave the end date empty for live bars.',
    });
  }
  return undefined;
}

/** The gateway refused for pacing (162 with HMDS's pacing text): worth sending again later. */
export function isPacingRefusal(code: number, raw: string | undefined): boolean {
  return code === 162 && classifyHmdsError(raw) === 'pacing';
}

/**
 * A futures month past its last trade day, as history asks for it: with includeExpired (IB finds an
 * expired month's bars only so, two years after its expiry), however it was resolved (a month resolved
 * while it traded, and remembered), and ending at the end of its last trade day where the request ends now
 * (its bars end there: a week "ending now" would be a week after it).
 */
function expiredMonth(contract: ResolvedContract, endDateTime: string, nowMs: number | undefined): { contract: ResolvedContract; endDateTime: string } {
  if (nowMs === undefined || !hasExpired(contract, nowMs)) return { contract, endDateTime };
  const day = /^(\d{4})(\d{2})(\d{2})/.exec(contract.lastTradeDateOrContractMonth ?? '');
  const end = endDateTime === '' && day ? ibUtcEndDateTime(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]), 23, 59, 59)) : endDateTime;
  return { contract: contract.includeExpired ? contract : { ...contract, includeExpired: true }, endDateTime: end };
}

/** The request with its contract resolved and every field in the form IB takes (`nowMs`: the gateway's now, for an expired futures month). */
export async function normaliseRequest(contracts: ContractService, req: HistoryRequest, nowMs?: number): Promise<Normalised> {
  const resolved = typeof req.symbol === 'string' ? await contracts.resolve(req.symbol) : req.symbol;
  const { contract, endDateTime } = expiredMonth(resolved, (req.endDateTime ?? '').trim(), nowMs);
  // IB refuses it (10339): a continuous future's bars always end now
  if (contract.secType === 'CONTFUT' && endDateTime !== '')
    throw validationError(
      `IB takes no end date for a continuous future (${contract.display}): its bars always end now.`,
      'Leave the end date empty, or ask for a month.',
    );
  const whatToShow: WhatToShow = req.whatToShow ?? (contract.secType === 'CASH' ? 'MIDPOINT' : 'TRADES');
  return {
    contract,
    barSize: normaliseBarSize(req.barSize) ?? req.barSize,
    daily: (barSizeSeconds(req.barSize) ?? 0) >= 86400,
    duration: parseDuration(req.duration)?.text ?? req.duration,
    whatToShow,
    useRTH: req.useRTH ?? true,
    endDateTime,
  };
}

/**
 * Bars IB gives only as history, never updated: an expired futures month's (to its last trade day), a continuous
 * future's (IB streams none). A live series of one is its backfill alone.
 */
export function historyOnly(contract: ResolvedContract): boolean {
  return contract.includeExpired === true || contract.secType === 'CONTFUT';
}

/** The contract's part of a request's identity: a continuous future shares its contract id with its front month. */
const contractId = (c: ResolvedContract) => (c.secType === 'CONTFUT' ? `C${c.conId}` : String(c.conId));

/** Same text for requests that get the same bars (a fetch and a live series never share one). */
export function requestIdentity(n: Normalised, live: boolean): string {
  return [live ? 'live' : 'hist', contractId(n.contract), n.endDateTime, n.barSize, n.duration, n.whatToShow, n.useRTH ? 1 : 0].join('|');
}

export function pacingKey(n: Normalised, identity: string): PacingKey {
  // IB counts a BID_ASK request twice (its historical data limitations)
  const weight = n.whatToShow === 'BID_ASK' ? 2 : 1;
  // a continuous future counts with its front month (their contract id is one): the safe side of IB's per-contract rule
  return { contract: `${n.contract.conId}|${n.whatToShow}`, identity, small: (barSizeSeconds(n.barSize) ?? 0) <= SMALL_BAR_SECONDS, weight };
}
