/**
 * REQ_REAL_TIME_BARS / CANCEL_REAL_TIME_BARS: a 5-second bar as each one
 * completes (market time), as REAL_TIME_BARS (50, version 3: reqId, time,
 * open, high, low, close, volume, WAP, count; layout of IB's decoders,
 * unchanged from 157 to 193). Nothing while the instrument is not trading.
 */
import type { ClientLink, Handler, HistoricalLine, SimContext } from '../context';
import { describeContract, instrumentFor, readContractFields } from '../contract-query';
import { REAL_TIME_WHAT_TO_SHOW } from '../facts/historical-rules';
import { MSG_WHAT_TO_SHOW, processingError } from '../facts/tws-errors';
import { IN } from '../messages';
import type { Instrument, SimBar } from '../market/types';
import { wireBarVolume } from '../wire-units';
import { SLOW_CLIENT_BACKLOG } from './market-data';

/** IB serves 5-second bars only (the bar size field "is not currently used"). */
export const REAL_TIME_BAR_SECONDS = 5;

/** TWS's refusal of a whatToShow (recorded from TWS for reqRealTimeBars). */

const round = (v: number): number => Number(v.toFixed(8));

export function realTimeBarFields(reqId: number, inst: Instrument, b: SimBar, serverVersion: number): Array<string | number> {
  return [
    IN.REAL_TIME_BARS,
    3,
    reqId,
    b.time,
    round(b.open),
    round(b.high),
    round(b.low),
    round(b.close),
    wireBarVolume(inst, b.volume, serverVersion),
    round(b.wap),
    b.count,
  ];
}

export const handleReqRealTimeBars: Handler = (link, r, ctx) => {
  r.int(); // version
  const reqId = r.int();
  const contract = readContractFields(r);
  r.str(); // bar size: IB ignores it (always 5 seconds)
  const whatToShow = r.str().trim().toUpperCase();
  const useRTH = r.bool();
  // realTimeBarsOptions (tag values) follow; nothing here reads them.
  link.log(`reqRealTimeBars #${reqId} ${describeContract(contract)} ${whatToShow} rth=${useRTH ? 1 : 0}`);
  if (link.realTimeBars.has(reqId)) {
    link.sendError(reqId, 322, processingError('bR', `Duplicate ticker id ${reqId}`));
    return;
  }
  const inst = instrumentFor(link, reqId, ctx.market.universe, contract);
  if (!inst) return;
  if (!REAL_TIME_WHAT_TO_SHOW.includes(whatToShow) || (inst.quoteOnly && whatToShow === 'TRADES')) {
    link.sendError(reqId, 321, MSG_WHAT_TO_SHOW);
    return;
  }
  if (!inst.liveSubscribed || inst.apiSubscriptionMissing) {
    // Real-time bars need a live subscription: no delayed variant exists.
    link.sendError(reqId, 420, `Invalid Real-time Query:No market data permissions for ${inst.primaryExchange || inst.exchange} ${inst.secType}`);
    return;
  }
  link.wakeFarm('market', inst);
  start(link, ctx, reqId, inst, whatToShow, useRTH);
};

export const handleCancelRealTimeBars: Handler = (link, r) => {
  r.int(); // version
  const reqId = r.int();
  link.log(`cancelRealTimeBars #${reqId}`);
  link.realTimeBars.get(reqId)?.stop();
  link.realTimeBars.delete(reqId);
};

function start(link: ClientLink, ctx: SimContext, reqId: number, inst: Instrument, whatToShow: string, useRTH: boolean): void {
  const size = REAL_TIME_BAR_SECONDS;
  // The first bar sent is the one that completes next.
  let nextStart = Math.floor(ctx.clock.nowSeconds() / size) * size;
  const tick = (): void => {
    if (link.closed) return line.stop();
    const now = ctx.clock.nowSeconds();
    const completed = Math.floor(now / size) * size; // bars starting before this are complete
    if (completed <= nextStart) return;
    if (!ctx.dataFlowing() || link.backlog() >= SLOW_CLIENT_BACKLOG) {
      nextStart = completed; // TWS does not replay bars a stalled client missed
      return;
    }
    const from = Math.max(nextStart, completed - 10 * size);
    const bars = ctx.market.bars(inst, { endTime: completed, durationSeconds: completed - from, barSizeSeconds: size, whatToShow, useRTH });
    for (const b of bars) {
      if (b.time >= from && b.time < completed && ctx.market.isOpen(inst, b.time * 1000, useRTH))
        link.send(realTimeBarFields(reqId, inst, b, link.serverVersion));
    }
    nextStart = completed;
  };
  const timer = ctx.scheduler.setInterval(
    () => {
      try {
        tick();
      } catch (e) {
        line.stop();
        link.log(`real-time bars #${reqId} stopped: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
    Math.max(20, Math.min(250, ctx.clock.realDelay(1000))),
  );
  const line: HistoricalLine = { reqId, inst, stop: () => ctx.scheduler.clear(timer) };
  link.realTimeBars.set(reqId, line);
}
