/**
 * REQ_TICK_BY_TICK_DATA / CANCEL_TICK_BY_TICK_DATA: every trade ("Last",
 * "AllLast"), every change of the top of the book ("BidAsk") or of its
 * midpoint ("MidPoint"), as TICK_BY_TICK (99): reqId, tickType (1 Last, 2
 * AllLast, 3 BidAsk, 4 MidPoint), time (epoch seconds), then price, size,
 * attribute mask, exchange, special conditions (trades); bid, ask, bid size,
 * ask size, mask (BidAsk); midpoint (MidPoint) — the layout of IB's decoders,
 * unchanged from 157 to 193. Sizes are shares (forex: base currency units).
 * A request for past ticks (numberOfTicks > 0) gets the stream only.
 */
import type { ClientLink, Handler, HistoricalLine, SimContext } from '../context';
import { describeContract, instrumentFor, readContractFields } from '../contract-query';
import { processingError, validationError } from '../facts/tws-errors';
import { IN } from '../messages';
import type { Instrument, SimTick } from '../market/types';
import { SLOW_CLIENT_BACKLOG } from './market-data';

export const TICK_BY_TICK_TYPES: Record<string, number> = { LAST: 1, ALLLAST: 2, BIDASK: 3, MIDPOINT: 4 };

const round = (v: number): number => Number(v.toFixed(10));

/** The TICK_BY_TICK message for a tick, or undefined when nothing of that kind changed since `prev`. */
export function tickByTickFields(reqId: number, type: number, inst: Instrument, tick: SimTick, prev: SimTick | undefined): Array<string | number> | undefined {
  const time = Math.floor(tick.time / 1000);
  if (type === 1 || type === 2) {
    if (prev && prev.last === tick.last && prev.volume === tick.volume) return undefined;
    return [IN.TICK_BY_TICK, reqId, type, time, round(tick.last), tick.lastSize, 0, inst.primaryExchange || inst.exchange, ''];
  }
  if (type === 3) {
    if (prev && prev.bid === tick.bid && prev.ask === tick.ask && prev.bidSize === tick.bidSize && prev.askSize === tick.askSize) return undefined;
    return [IN.TICK_BY_TICK, reqId, 3, time, round(tick.bid), round(tick.ask), tick.bidSize, tick.askSize, 0];
  }
  const mid = (tick.bid + tick.ask) / 2;
  if (prev && (prev.bid + prev.ask) / 2 === mid) return undefined;
  return [IN.TICK_BY_TICK, reqId, 4, time, round(mid)];
}

export const handleReqTickByTick: Handler = (link, r, ctx) => {
  const reqId = r.int();
  const contract = readContractFields(r);
  const typeName = r.str().trim();
  // numberOfTicks and ignoreSize (TICK_BY_TICK_IGNORE_SIZE, 140) follow.
  link.log(`reqTickByTickData #${reqId} ${describeContract(contract)} ${typeName}`);
  if (link.tickByTick.has(reqId)) {
    link.sendError(reqId, 322, processingError('bT', `Duplicate ticker id ${reqId}`));
    return;
  }
  const inst = instrumentFor(link, reqId, ctx.market.universe, contract);
  if (!inst) return;
  const type = TICK_BY_TICK_TYPES[typeName.toUpperCase()];
  if (type === undefined) {
    link.sendError(reqId, 321, validationError('bT', `Tick-by-tick type "${typeName}" is invalid: use Last, AllLast, BidAsk or MidPoint`));
    return;
  }
  if (inst.quoteOnly && type <= 2) {
    // Forex has no trade tape (IDEALPRO quotes are indicative). Evidence thin for TWS's own wording.
    link.sendError(reqId, 321, validationError('bT', `No trades for ${inst.localSymbol}@${inst.exchange}: use BidAsk or MidPoint`));
    return;
  }
  if (!inst.liveSubscribed || inst.apiSubscriptionMissing) {
    link.sendError(reqId, 10189, `Failed to request tick-by-tick data:No market data permissions for ${inst.primaryExchange || inst.exchange} ${inst.secType}`);
    return;
  }
  link.wakeFarm('market', inst);
  start(link, ctx, reqId, type, inst);
};

export const handleCancelTickByTick: Handler = (link, r) => {
  const reqId = r.int();
  link.log(`cancelTickByTickData #${reqId}`);
  link.tickByTick.get(reqId)?.stop();
  link.tickByTick.delete(reqId);
};

function start(link: ClientLink, ctx: SimContext, reqId: number, type: number, inst: Instrument): void {
  let prev: SimTick | undefined;
  const push = (): void => {
    if (link.closed) return line.stop();
    if (!ctx.dataFlowing() || link.backlog() >= SLOW_CLIENT_BACKLOG) return;
    const now = ctx.clock.now();
    if (prev && !ctx.market.isOpen(inst, now, false)) return;
    const tick = ctx.market.tickAt(inst, now);
    const fields = tickByTickFields(reqId, type, inst, tick, prev);
    if (fields) link.send(fields);
    prev = tick;
  };
  const timer = ctx.scheduler.setInterval(
    () => {
      try {
        push();
      } catch (e) {
        line.stop();
        link.log(`tick-by-tick #${reqId} stopped: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
    Math.max(20, ctx.tickIntervalMs || 250),
  );
  const line: HistoricalLine = { reqId, inst, stop: () => ctx.scheduler.clear(timer) };
  link.tickByTick.set(reqId, line);
  push();
}
