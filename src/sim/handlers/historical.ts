/**
 * REQ_HISTORICAL_DATA / CANCEL_HISTORICAL_DATA: validated like TWS (bar size
 * and duration table, whatToShow, end date, pacing), answered with one
 * HISTORICAL_DATA message (at version 193 it carries its start/end dates and
 * there is no separate end message), then HISTORICAL_DATA_UPDATE for
 * keepUpToDate requests.
 */
import type { Field } from '../codec';
import type { ClientLink, Handler, HistoricalLine, SimContext } from '../context';
import { describeContract, isContinuous, readEncodedContract } from '../contract-query';
import { IN } from '../messages';
import {
  LEGAL_BAR_SIZES_TEXT,
  WHAT_TO_SHOW,
  barSeconds as barSizeSeconds,
  barSizeName,
  hasNoDataOfType,
  hasNoPermission,
  readDuration,
  stepProblem,
  tooLong,
  type DurationSpec,
} from '../facts/historical-rules';
import {
  HMDS,
  MSG_10314,
  MSG_10339,
  MSG_2174,
  MSG_WHAT_TO_SHOW,
  msgBadBarSize,
  msgNoDataOfType,
  msgNoPermissions,
  PACING_VIOLATION,
} from '../facts/tws-errors';
import { TEXT } from '../faults';
import { BarBuilder, barPeriod, rounderFor } from '../market';
import { continuousBars, lastSessionEnd } from '../market/continuous';
import { isExpiredMonth } from '../market/universe';
import type { Instrument, SimBar } from '../market/types';
import { barTime, endDateHasZone, historicalDateTime, parseEndDateTime } from '../time-format';
import { wireBarVolume } from '../wire-units';
import { calendarBack, calendarStart, sessionStart } from './calendar';
import { continuousFor, instrumentOrExpired } from './contracts';
import { SLOW_CLIENT_BACKLOG } from './market-data';

export interface HistoricalQuery {
  reqId: number;
  inst: Instrument;
  endTime: number;
  durationSeconds: number;
  barSeconds: number;
  whatToShow: string;
  useRTH: boolean;
  formatDate: number;
  /** The session's negotiated version: it decides units and date formats. */
  serverVersion: number;
}

/**
 * The window a duration covers, ending at endTime (epoch seconds). "N D"
 * counts trading sessions, as IB does (a "1 D" on Monday morning reaches back
 * to Friday); W, M and Y count calendar time; S counts seconds.
 */
export function windowSeconds(ctx: SimContext, inst: Instrument, endTime: number, duration: string, useRTH: boolean): number {
  const d = readDuration(duration)!;
  if (d.unit === 'S') return d.count;
  if (d.unit === 'D') return endTime - sessionStart(inst, endTime, d.count, useRTH);
  return endTime - calendarStart(inst, endTime, d.count, d.unit);
}

/**
 * The start date of HISTORICAL_DATA's header (servers before 196; later the
 * HISTORICAL_DATA_END message): the end minus the duration on the calendar,
 * not the first bar nor a session's open. Recorded: "1 D" of 30-minute bars
 * ending Tuesday 08:59:54 is headed "20250714 08:59:54 US/Eastern" to
 * "20250715 08:59:54 US/Eastern" (first bar Monday 09:30); "3600 S" ending
 * 22:00:00 is headed 21:00:00 to 22:00:00, as a date even for formatDate 2.
 */
export function headerStart(inst: Instrument, endTime: number, d: DurationSpec): number {
  return d.unit === 'S' ? endTime - d.count : calendarBack(inst, endTime, d.count, d.unit);
}

export function isDailyBar(barSeconds: number): boolean {
  return barSeconds >= 86400;
}

const round = (v: number): number => Number(v.toFixed(8));

function dateOf(b: SimBar, q: HistoricalQuery): string {
  return barTime(b.time, q.formatDate, isDailyBar(q.barSeconds), q.inst.timeZoneId, q.serverVersion);
}

function barFields(b: SimBar, q: HistoricalQuery): Field[] {
  return [dateOf(b, q), round(b.open), round(b.high), round(b.low), round(b.close), wireBarVolume(q.inst, b.volume, q.serverVersion), round(b.wap), b.count];
}

export const handleReqHistoricalData: Handler = (link, r, ctx) => {
  const reqId = r.int();
  const contract = readEncodedContract(r);
  const endDateTime = r.str();
  const barSize = r.str();
  const duration = r.str();
  const useRTH = r.bool();
  const whatToShow = r.str().toUpperCase();
  const formatDate = r.int() || 1;
  if (contract.secType?.toUpperCase() === 'BAG') r.skip(r.int() * 4);
  const keepUpToDate = r.remaining > 0 ? r.bool() : false;
  link.log(
    `reqHistoricalData #${reqId} ${describeContract(contract)} end="${endDateTime}" ${duration} ${barSize} ${whatToShow} rth=${useRTH ? 1 : 0} fmt=${formatDate}${keepUpToDate ? ' keepUpToDate' : ''}`,
  );
  if (link.historical.has(reqId)) {
    link.sendError(reqId, 322, `Error processing request.-'bP' : cause - Duplicate ticker id ${reqId}`);
    return;
  }
  // a continuous future (no updates: keepUpToDate takes the normal path): its front month's bars, stitched
  const continuous = !keepUpToDate && isContinuous(contract);
  const series = continuous ? continuousFor(link, reqId, ctx, contract) : undefined;
  if (continuous && !series) return;
  if (series && endDateTime.trim() !== '') {
    link.sendError(reqId, 10339, MSG_10339);
    return;
  }
  // an expired futures month (includeExpired): its bars up to its expiry, and no updates
  const inst = series?.front ?? instrumentOrExpired(link, reqId, ctx, contract);
  if (!inst) return;
  const expired = isExpiredMonth(ctx.market.universe, inst);
  const barSeconds = barSizeSeconds(barSize);
  if (barSeconds === undefined) {
    link.sendError(reqId, 321, msgBadBarSize(LEGAL_BAR_SIZES_TEXT));
    return;
  }
  const durationSpec = readDuration(duration);
  if (!durationSpec) {
    link.sendError(
      reqId,
      321,
      `Error validating request.-'bP' : cause - Historical data duration "${duration}" is invalid: use an integer and a unit S, D, W, M or Y`,
    );
    return;
  }
  const problem = stepProblem(barSeconds, durationSpec);
  if (problem) {
    link.sendError(reqId, 162, `${HMDS}Invalid step: ${problem}`);
    return;
  }
  if (tooLong(barSeconds, durationSpec)) {
    link.sendError(reqId, 162, `${HMDS}Time length exceed max.`);
    return;
  }
  if (!WHAT_TO_SHOW.includes(whatToShow)) {
    link.sendError(reqId, 321, MSG_WHAT_TO_SHOW);
    return;
  }
  if (hasNoDataOfType(inst, whatToShow)) {
    link.sendError(reqId, 162, msgNoDataOfType(inst.symbol, inst.secType, inst.exchange, whatToShow, barSeconds));
    return;
  }
  // no permission for the instrument's data: no bars either
  if (hasNoPermission(inst)) {
    link.sendError(reqId, 162, msgNoPermissions(inst.primaryExchange || inst.exchange, inst.secType));
    return;
  }
  if (keepUpToDate && endDateTime.trim() !== '') {
    link.sendError(reqId, 321, `Error validating request.-'bP' : cause - End date not supported with live updates`);
    return;
  }
  if (whatToShow === 'ADJUSTED_LAST' && endDateTime.trim() !== '') {
    link.sendError(reqId, 321, `Error validating request.-'bP' : cause - End date not supported with adjusted last`);
    return;
  }
  if (keepUpToDate && barSeconds < 5) {
    link.sendError(reqId, 321, `Error validating request.-'bP' : cause - Live updates (keepUpToDate) need a bar size of 5 secs or more`);
    return;
  }
  if (keepUpToDate && ctx.liveUpdatesRefused()) {
    link.sendError(reqId, 10182, TEXT.liveUpdatesFailed);
    return;
  }
  const nowSeconds = ctx.clock.nowSeconds();
  const endTime = parseEndDateTime(endDateTime, nowSeconds, inst.timeZoneId);
  if (endTime === undefined) {
    link.sendError(reqId, 10314, MSG_10314);
    return;
  }
  // A zone-less end date is read in the instrument's zone, with TWS's warning; the data still comes.
  if (!endDateHasZone(endDateTime)) link.sendError(reqId, 2174, MSG_2174);
  const pacingKey = [
    series ? `CONTFUT:${inst.conId}` : inst.conId,
    endDateTime.trim(),
    barSizeName(barSeconds),
    durationSpec.text,
    whatToShow,
    useRTH ? 1 : 0,
    keepUpToDate ? 1 : 0,
  ].join('|');
  const violation = ctx.pacing.admit({ barSeconds, conId: inst.conId, key: pacingKey, whatToShow }, ctx.scheduler.now());
  if (violation) {
    link.log(`pacing violation #${reqId}: ${violation}`);
    link.sendError(reqId, 162, PACING_VIOLATION);
    return;
  }
  const end = Math.min(endTime, nowSeconds, expired ? lastSessionEnd(inst) : Infinity);
  const q: HistoricalQuery = {
    reqId,
    inst,
    endTime: end,
    durationSeconds: windowSeconds(ctx, inst, end, duration, useRTH),
    barSeconds,
    whatToShow,
    useRTH,
    formatDate,
    serverVersion: link.serverVersion,
  };
  const barQuery = { endTime: q.endTime, durationSeconds: q.durationSeconds, barSizeSeconds: barSeconds, whatToShow, useRTH };
  const bars = series ? continuousBars(ctx.market, series, barQuery) : ctx.market.bars(inst, barQuery);
  if (bars.length === 0 && !keepUpToDate) {
    // the data type as TWS writes it here: "Trades", "Midpoint", "Bid_Ask" (ESM3@CME Trades, EUR.USD@IDEALPRO Ask)
    const kind = whatToShow.charAt(0) + whatToShow.slice(1).toLowerCase();
    link.sendError(reqId, 162, `${HMDS}HMDS query returned no data: ${inst.localSymbol}@${inst.exchange} ${kind}`);
    return;
  }
  link.wakeFarm('hmds', inst);
  const fields: Field[] = [
    IN.HISTORICAL_DATA,
    reqId,
    historicalDateTime(headerStart(inst, q.endTime, durationSpec), inst.timeZoneId, q.serverVersion),
    historicalDateTime(q.endTime, inst.timeZoneId, q.serverVersion),
    bars.length,
  ];
  for (const b of bars) fields.push(...barFields(b, q));
  link.send(fields);
  if (keepUpToDate && !expired) startUpdates(link, ctx, q, bars[bars.length - 1]);
};

export const handleCancelHistoricalData: Handler = (link, r) => {
  r.int(); // version
  const reqId = r.int();
  link.log(`cancelHistoricalData #${reqId}`);
  const line = link.historical.get(reqId);
  if (line) {
    line.stop();
    link.historical.delete(reqId);
  }
};

/** The finest bar size that divides barSeconds and keeps a bar to at most 360 pieces. */
function pieceSeconds(barSeconds: number): number {
  for (const p of [1, 5, 60, 300, 3600]) {
    if (barSeconds % p === 0 && barSeconds / p <= 360) return p;
  }
  return 3600;
}

/** The bar that holds `nowSeconds`, built from finer bars up to now (the running bar). */
export function runningBar(ctx: SimContext, q: HistoricalQuery, barStart: number, nowSeconds: number): SimBar | undefined {
  const piece = pieceSeconds(q.barSeconds);
  const end = Math.floor(nowSeconds / piece) * piece + piece;
  const pieces = ctx.market
    .bars(q.inst, {
      endTime: Math.min(end, nowSeconds + 1),
      durationSeconds: Math.max(piece, Math.min(end, nowSeconds + 1) - barStart),
      barSizeSeconds: piece,
      whatToShow: q.whatToShow,
      useRTH: q.useRTH,
    })
    .filter((b) => b.time >= barStart && b.time <= nowSeconds);
  if (!pieces.length) return undefined;
  const bar = new BarBuilder(barStart);
  for (const b of pieces) bar.add(b.open, b.high, b.low, b.close, b.volume, b.count, b.wap);
  // the WAP to the decimals of the backfill's (184.869, 183.9865 recorded), not a float's
  const built = bar.build(rounderFor(q.inst.quoteTick ?? q.inst.minTick).fine);
  // MIDPOINT, BID, ASK (and forex, indexes): TWS sends -1 for volume, WAP and count in the update too
  return pieces.every((b) => b.volume < 0) ? { ...built, volume: -1, wap: -1, count: -1 } : built;
}

/** HISTORICAL_DATA_UPDATE: reqId, barCount, date, open, close, high, low, WAP, volume (close before high, as TWS orders it). */
function updateFields(q: HistoricalQuery, b: SimBar): Field[] {
  return [
    IN.HISTORICAL_DATA_UPDATE,
    q.reqId,
    b.count,
    dateOf(b, q),
    round(b.open),
    round(b.close),
    round(b.high),
    round(b.low),
    round(b.wap),
    wireBarVolume(q.inst, b.volume, q.serverVersion),
  ];
}

const sameBar = (a: SimBar | undefined, b: SimBar): boolean =>
  a !== undefined && a.time === b.time && a.close === b.close && a.high === b.high && a.low === b.low && a.volume === b.volume && a.count === b.count;

const DAY = 86_400;
const WEEK = 604_800;

/** How far back a day, week or month update reads: the running period and the whole one before it, from their first sessions (a day: across a long weekend). */
function periodLookback(barSeconds: number): number {
  return (barSeconds > WEEK ? 70 : barSeconds === WEEK ? 14 : 5) * DAY;
}

/**
 * keepUpToDate: the running bar each time a trade changes it (the tape moves
 * at most once a second of market time), so the same bar date repeats while
 * the bar forms, then its final state when it closes; sped up with the clock;
 * nothing while the instrument is not trading. (Evidence thin: no raw capture;
 * stoqey/ibkr and yatws report updates as trades happen.) A day, week or month
 * bar is the backfill's own bar up to now: a day bar is its session's (dated by
 * the session date, so a futures or forex session that opens the evening
 * before is the next date's bar from its open, the evening included), and it
 * rolls over when the next session opens; a week or month bar rolls over on
 * the calendar week or month of the session date, is made from the period's
 * first session on, and is dated by the last day with data, so its date moves
 * forward each trading day.
 */
function startUpdates(link: ClientLink, ctx: SimContext, q: HistoricalQuery, last: SimBar | undefined): void {
  let barStart = last ? last.time : Math.floor(q.endTime / q.barSeconds) * q.barSeconds;
  const periodBars = isDailyBar(q.barSeconds);
  // day, week and month: the period last sent, and (from the backfill) its state then
  let period = periodBars && last ? barPeriod(q.inst, last.time, q.barSeconds) : undefined;
  let sent: SimBar | undefined = periodBars ? last : undefined;
  const paceMs = Math.max(20, Math.min(250, ctx.clock.realDelay(1000)));
  const periodTick = (now: number): void => {
    const recent = ctx.market.bars(q.inst, {
      endTime: now + 1,
      durationSeconds: periodLookback(q.barSeconds),
      barSizeSeconds: q.barSeconds,
      whatToShow: q.whatToShow,
      useRTH: q.useRTH,
    });
    const bar = recent[recent.length - 1];
    if (!bar) return;
    const key = barPeriod(q.inst, bar.time, q.barSeconds);
    const done = recent[recent.length - 2];
    // a new day, week or month: first the final state of the one that ended, when the last update missed its close
    if (period !== undefined && key !== period && done && barPeriod(q.inst, done.time, q.barSeconds) === period && !sameBar(sent, done)) {
      link.send(updateFields(q, done));
    }
    period = key;
    if (!sameBar(sent, bar)) {
      link.send(updateFields(q, bar));
      sent = bar;
    }
  };
  const tick = (): void => {
    if (link.closed) return line.stop();
    if (!ctx.dataFlowing() || link.backlog() >= SLOW_CLIENT_BACKLOG) return;
    const nowMs = ctx.clock.now();
    if (!ctx.market.isOpen(q.inst, nowMs, q.useRTH)) return;
    const now = Math.floor(nowMs / 1000);
    if (periodBars) return periodTick(now);
    const start = Math.floor(now / q.barSeconds) * q.barSeconds;
    if (start > barStart) {
      // the final state of the bars that ended since the last update (at most 10; after a closed market, none)
      for (let t = Math.max(barStart, start - 10 * q.barSeconds); t < start; t += q.barSeconds) {
        const done = runningBar(ctx, q, t, t + q.barSeconds - 1);
        if (done && !sameBar(sent, done)) link.send(updateFields(q, done));
      }
      barStart = start;
    }
    const bar = runningBar(ctx, q, barStart, now);
    if (bar && !sameBar(sent, bar)) {
      link.send(updateFields(q, bar));
      sent = bar;
    }
  };
  const timer = ctx.scheduler.setInterval(() => {
    try {
      tick();
    } catch (e) {
      line.stop();
      link.log(`keepUpToDate #${q.reqId} stopped: ${e instanceof Error ? e.message : String(e)}`);
    }
  }, paceMs);
  const line: HistoricalLine = { reqId: q.reqId, inst: q.inst, stop: () => ctx.scheduler.clear(timer) };
  link.historical.set(q.reqId, line);
}
