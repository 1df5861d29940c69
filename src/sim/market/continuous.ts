/**
 * IB's continuous futures (secType CONTFUT): historical data only. A symbol's
 * continuous future is its main class's front month (the nearest month not yet
 * expired: IB gives it the same conId), and its bars are, bar by bar, those of
 * the month that was the front month at the bar's time, unadjusted (prices
 * may jump at a roll). The months come from the universe's listed ones and the
 * expired ones it keeps (two years); before the earliest kept month there are
 * no bars. Pure: no I/O, no clock.
 */
import { BarBuilder } from './aggregate';
import { scheduleOf, sessionOn } from './calendar';
import { previousMonth } from './futures';
import { barPeriod } from './market';
import { present } from './present';
import { rounderFor } from './prices';
import { parseDayString } from './timezone';
import type { BarQuery, ContractQuery, Instrument, Market, SimBar, Universe } from './types';
import { expiredMatch } from './universe';

const DAY = 86_400;

/** When a futures month's last session ended (at its last trade time, where it has one), epoch seconds. */
export function lastSessionEnd(inst: Instrument): number {
  const day = parseDayString(inst.lastTradeDateOrContractMonth);
  if (day === undefined) return Infinity;
  return sessionOn(scheduleOf(inst), day)?.end ?? (day + 1) * DAY;
}

/** A continuous future: its class's months up to the front month, in expiry order, and the front month. */
export interface ContinuousSeries {
  months: Instrument[];
  front: Instrument;
}

/**
 * The main monthly class among a symbol's futures classes: the longest cycle
 * (not a weekly), then the largest multiplier (not a mini listed under the
 * same symbol). The simulator lists one class a symbol; this keeps the rule.
 */
function mainClass(months: Instrument[]): string | undefined {
  let best: Instrument | undefined;
  for (const m of months) {
    const better =
      !best ||
      (m.cycleDays ?? 0) > (best.cycleDays ?? 0) ||
      ((m.cycleDays ?? 0) === (best.cycleDays ?? 0) && Number(m.multiplier || 1) > Number(best.multiplier || 1));
    if (better) best = m;
  }
  return best?.tradingClass;
}

/**
 * The continuous future a CONTFUT request names, as of `nowSeconds`: by symbol
 * (exchange, currency, trading class, multiplier narrow; a month or local
 * symbol does not), or by conId, which must then be the front month's (a
 * client that qualified the CONTFUT sends it). 'ambiguous' when the request
 * fits more than one future; undefined when it fits none.
 */
export function continuousSeries(universe: Universe, c: ContractQuery, nowSeconds: number): ContinuousSeries | 'ambiguous' | undefined {
  let q: ContractQuery = {
    secType: 'FUT',
    symbol: c.symbol,
    exchange: c.exchange,
    currency: c.currency,
    tradingClass: c.tradingClass,
    multiplier: c.multiplier,
  };
  if (c.conId) {
    const named = [...universe.match({ ...q, conId: c.conId }), ...expiredMatch(universe, { ...q, conId: c.conId })][0];
    if (!named) return undefined;
    q = { secType: 'FUT', symbol: named.symbol, exchange: named.exchange, currency: named.currency, tradingClass: named.tradingClass };
  }
  const found = [...universe.match(q), ...expiredMatch(universe, q)];
  if (new Set(found.map((m) => `${m.symbol}|${m.exchange}|${m.currency}`)).size > 1) return 'ambiguous';
  const cls = mainClass(found);
  const months = found.filter((m) => m.tradingClass === cls).sort((a, b) => lastSessionEnd(a) - lastSessionEnd(b));
  const frontAt = months.findIndex((m) => lastSessionEnd(m) > nowSeconds);
  if (frontAt < 0) return undefined;
  const front = months[frontAt];
  if (c.conId && c.conId !== front.conId) return undefined;
  return { months: months.slice(0, frontAt + 1), front };
}

/**
 * The continuous series' bars for a window: each month's bars while it was
 * the front month (from the previous month's last session end to its own), a
 * bar going to the month that was the front at its time (a bar dated before
 * the roll, the expiring month's; after it, the next month's, from the first
 * bar time the expiring month did not have), so no time has two bars and none
 * is missing. Week and month bars are folded from the stitched day bars; the
 * kind of data (whatToShow) applies as for the months themselves.
 */
export function continuousBars(market: Market, series: ContinuousSeries, q: BarQuery): SimBar[] {
  const start = q.endTime - q.durationSeconds;
  const fold = q.barSizeSeconds > DAY;
  const size = fold ? DAY : q.barSizeSeconds;
  const before = previousMonth(series.months[0]);
  let from = before ? lastSessionEnd(before) : -Infinity;
  let lastTime = -Infinity;
  const raw: SimBar[] = [];
  for (const month of series.months) {
    const until = lastSessionEnd(month);
    const lo = Math.max(start, from);
    const hi = Math.min(q.endTime, until);
    if (lo < hi) {
      const bars = market.bars(month, { endTime: hi, durationSeconds: hi - lo, barSizeSeconds: size, whatToShow: 'TRADES', useRTH: q.useRTH });
      for (const b of bars) {
        if (b.time <= lastTime || b.time >= until) continue;
        raw.push(b);
        lastTime = b.time;
      }
    }
    from = until;
  }
  const { front } = series;
  const rounder = rounderFor(front.quoteTick ?? front.minTick);
  return present(front, rounder, fold ? foldBars(front, raw, q.barSizeSeconds, rounder.fine) : raw, q.whatToShow);
}

/** Day bars folded into week or month bars, dated by the period's last day with data (as the market folds a month's own). */
function foldBars(inst: Instrument, days: SimBar[], barSeconds: number, roundWap: (x: number) => number): SimBar[] {
  const out: SimBar[] = [];
  let group: number | undefined;
  let builder: BarBuilder | undefined;
  for (const d of days) {
    const g = barPeriod(inst, d.time, barSeconds);
    if (g !== group || !builder) {
      if (builder) out.push(builder.build(roundWap));
      builder = new BarBuilder(d.time);
      group = g;
    }
    builder.time = d.time;
    builder.addBar(d);
  }
  if (builder) out.push(builder.build(roundWap));
  return out;
}
