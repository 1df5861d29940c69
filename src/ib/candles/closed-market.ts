/**
 * When a range holds no bars: the market is closed (night, weekend, holiday)
 * or has not traded yet. Says so in words, with when it opens next, and offers
 * the most recent session's bars instead of an empty chart. Real TWS answers
 * an empty range with error 162 "HMDS query returned no data: ...".
 */
import { hasExpired, lastTradeDay } from '../contracts/expired';
import { IbError, LOCAL_CODES } from '../errors';
import { classifyHmdsError } from '../facts/hmds-errors';
import { GatewayClock } from '../gateway-clock';
import { regularHours, type RegularHours } from '../facts/regular-hours';
import { exchangeTimeText, ibUtcEndDateTime, marketState, sessionsFor, type MarketState, type Session } from '../facts/trading-hours';
import { resolveZone } from '../facts/tws-zone-names';
import type { Candle, HistoryRequest, IbSession, ResolvedContract } from '../types';

/** IB's answer for a range with no bars (error 162 with this text), as opposed to pacing or a cancel. */
export function isNoDataRefusal(code: number, raw: string | undefined): boolean {
  return code === 162 && classifyHmdsError(raw) === 'no-data';
}

/** A market's state at the gateway's now, with its time zone (undefined when the contract lists no hours). */
export interface MarketHours extends MarketState {
  zone: string;
  now: number;
  /** The regular sessions, when the market also trades outside them (extended hours). */
  regular?: RegularHours;
  /**
   * Read for regular hours only, outside them: whether it trades now all the
   * same (a future's overnight session, a stock's pre-market).
   */
  tradingNow?: boolean;
  /** A futures month past its last trade day (that day, "2026-09-18"): closed for good, it never opens again. */
  expired?: string;
  /** A continuous future (its front month now, "ESZ6"): history only, never live however its market trades. */
  continuous?: string;
}

export function marketHours(
  contract: Pick<ResolvedContract, 'tradingHours' | 'liquidHours' | 'timeZoneId'> &
    Partial<Pick<ResolvedContract, 'secType' | 'includeExpired' | 'lastTradeDateOrContractMonth' | 'localSymbol'>>,
  now: number,
  regularHoursOnly: boolean,
): MarketHours | undefined {
  const zone = resolveZone(contract.timeZoneId);
  // an expired futures month never opens again, whatever days its hours list; its bars outside its regular hours
  // (its last overnight session, the expiry morning) are still there to show
  if (contract.secType && zone && hasExpired({ ...contract, secType: contract.secType }, now)) {
    const regular = regularHours(contract);
    return { open: false, zone, now, expired: lastTradeDay(contract) ?? '', ...(regular ? { regular } : {}) };
  }
  const sessions = sessionsFor(contract, regularHoursOnly);
  if (!zone || sessions.length === 0) return undefined;
  const regular = regularHours(contract);
  const state = marketState(sessions, now);
  // outside regular hours: it may trade all the same (the extended sessions), which is not "closed"
  const tradingNow = regularHoursOnly && !state.open ? marketState(sessionsFor(contract, false), now).open : undefined;
  // its sessions are its front month's (the regular ones shade its bars), but IB sends it no update: never open
  if (contract.secType === 'CONTFUT') return { ...state, open: false, zone, now, ...(regular ? { regular } : {}), continuous: contract.localSymbol ?? '' };
  return { ...state, zone, now, ...(regular ? { regular } : {}), ...(tradingNow ? { tradingNow } : {}) };
}

/**
 * "Market closed · opens Mon 30 Nov 09:30 US/Eastern" (or without the opening when the hours do not list one);
 * "Outside regular hours · they open ..." while it trades in its extended hours (ES overnight).
 */
export function closedText(hours: MarketHours): string {
  if (hours.expired !== undefined) return hours.expired ? `Expired on ${hours.expired} (its last trade day)` : 'Expired';
  if (hours.continuous !== undefined)
    return `History only: IB streams no continuous future${hours.continuous ? ` (its front month now: ${hours.continuous})` : ''}`;
  if (hours.tradingNow) return hours.next ? `Outside regular hours · they open ${exchangeTimeText(hours.next.start, hours.zone)}` : 'Outside regular hours';
  return hours.next ? `Market closed · opens ${exchangeTimeText(hours.next.start, hours.zone)}` : 'Market closed';
}

/** "the session of Wed 25 Nov (ended 16:00 US/Eastern)" */
export function sessionText(session: Session, zone: string): string {
  const end = exchangeTimeText(session.end, zone); // "Wed 25 Nov 16:00 US/Eastern"
  const [weekday, day, month, time, ...rest] = end.split(' ');
  return `the session of ${weekday} ${day} ${month} (ended ${time} ${rest.join(' ')})`;
}

export interface BarsOrLastSession {
  candles: Candle[];
  /** The market at the gateway's now (undefined when the contract lists no hours). */
  hours?: MarketHours;
  /** Set when the asked range held no bars and these are the most recent session's instead. */
  lastSession?: Session;
}

export interface FallbackDeps {
  fetch(req: HistoryRequest): Promise<Candle[]>;
  resolve(symbol: string): Promise<ResolvedContract>;
  now(): Promise<number>;
}

/**
 * The bars of a range; when it holds none because the market is closed, the
 * same bar size and duration ending when the most recent session ended.
 */
export async function barsOrLastSession(deps: FallbackDeps, req: HistoryRequest): Promise<BarsOrLastSession> {
  const contract = typeof req.symbol === 'string' ? await deps.resolve(req.symbol) : req.symbol;
  const asked = { ...req, symbol: contract };
  let candles: Candle[] = [];
  // IB said "no data" (162) rather than sending an empty list: its own code is kept
  let refused = false;
  try {
    candles = await deps.fetch(asked);
  } catch (e) {
    if (!(e instanceof IbError && isNoDataRefusal(e.info.code, e.info.raw))) throw e;
    refused = true;
  }
  const now = await deps.now();
  const hours = marketHours(contract, now, req.useRTH ?? true);
  const explicitEnd = (req.endDateTime ?? '').trim() !== '';
  // the last session's bars are asked with an end date, which IB refuses for ADJUSTED_LAST and a continuous future
  const endless = req.whatToShow === 'ADJUSTED_LAST' || contract.secType === 'CONTFUT';
  if (candles.length > 0 || explicitEnd || endless || !hours || hours.open) {
    if (candles.length === 0) throw noBars(contract, hours, refused);
    return { candles, hours };
  }
  const last = hours.last ?? (await probeLastSession(deps, asked, now));
  if (!last) throw noBars(contract, hours, refused);
  const earlier = await deps.fetch({ ...asked, endDateTime: ibUtcEndDateTime(last.end) });
  if (earlier.length === 0) throw noBars(contract, hours, false);
  return { candles: earlier, hours: { ...hours, last }, lastSession: last };
}

/**
 * When the last session ended, from the bars themselves: TWS lists trading hours from today
 * on, so after a weekend or a holiday the hours do not say when the market last traded.
 * Hourly bars over a week find it (a week covers any US holiday weekend).
 */
async function probeLastSession(deps: FallbackDeps, req: HistoryRequest, now: number): Promise<Session | undefined> {
  const hourly = await deps.fetch({ ...req, barSize: '1 hour', duration: '1 W', endDateTime: '' }).catch(() => []);
  const lastBar = hourly[hourly.length - 1];
  if (!lastBar) return undefined;
  const day = hourly.filter((c) => lastBar.time - c.time < 86_400);
  return { start: day[0].time * 1000, end: Math.min((lastBar.time + 3600) * 1000, now) };
}

/** No bars for a range, said in words; with IB's code 162 where IB refused ("no data"), else the extension's own (9012). */
function noBars(contract: ResolvedContract, hours: MarketHours | undefined, refusedByIb: boolean): IbError {
  const closed = hours && !hours.open ? ` ${closedText(hours)}.` : '';
  return new IbError({
    code: refusedByIb ? 162 : LOCAL_CODES.noBars,
    category: 'request',
    message: `IB has no bars for ${contract.display} in that range.${closed}`,
    action:
      contract.secType === 'CONTFUT'
        ? "Choose a longer duration: a continuous future's bars always end now (IB gives no earlier session's by an end date)."
        : 'Choose a longer duration, or open the chart when the market trades.',
  });
}

/** Market hours and the closed-market fallback for the editor and the bridge, on the gateway's clock. */
export class MarketHoursService {
  private readonly clock: GatewayClock;
  private readonly fresh = new Map<number, { api: object; at: number; hours: Hours }>();

  constructor(
    private readonly session: Pick<IbSession, 'api'>,
    private readonly contracts: { resolve(symbol: string): Promise<ResolvedContract> },
    private readonly candles: { fetch(req: HistoryRequest): Promise<Candle[]> },
    private readonly localNow: () => number = Date.now,
  ) {
    this.clock = new GatewayClock(session, localNow);
  }

  /** Epoch ms on the gateway's clock. */
  now(): Promise<number> {
    return this.clock.now();
  }

  /** The gateway's clock without asking it again. */
  nowSync(): number {
    return this.clock.nowSync();
  }

  /** Open or closed now, with the sessions around now (undefined when IB lists no hours for it). */
  async hours(symbol: string | ResolvedContract, regularHoursOnly = true): Promise<MarketHours | undefined> {
    const contract = typeof symbol === 'string' ? await this.contracts.resolve(symbol) : symbol;
    return marketHours({ ...contract, ...(await this.freshHours(contract)) }, await this.clock.now(), regularHoursOnly);
  }

  /** The bars of a range, or the most recent session's when the market is closed and the range holds none. */
  barsOrLastSession(req: HistoryRequest): Promise<BarsOrLastSession> {
    return barsOrLastSession(
      {
        fetch: (r) => this.candles.fetch(r),
        resolve: async (s) => ({ ...(await this.contracts.resolve(s)), ...(await this.freshHours(await this.contracts.resolve(s))) }),
        now: () => this.clock.now(),
      },
      req,
    );
  }

  /**
   * The contract's hours as the connected gateway lists them now: TWS lists them from today on,
   * so hours kept from an earlier day (or another gateway) would be wrong. Asked again once an hour.
   */
  private async freshHours(contract: ResolvedContract): Promise<Hours> {
    const api = this.session.api;
    if (!api) return contract;
    const hit = this.fresh.get(contract.conId);
    const now = this.localNow();
    if (hit && hit.api === api && now - hit.at < HOURS_KEPT_MS) return hit.hours;
    try {
      const rows = await api.contractDetails(
        { conId: contract.conId, exchange: contract.exchange, ...(contract.includeExpired ? { includeExpired: true } : {}) },
        { ms: 10_000, what: `trading hours of ${contract.display}` },
      );
      const d = rows[0];
      const hours: Hours = {
        timeZoneId: d?.timeZoneId || contract.timeZoneId,
        tradingHours: d?.tradingHours || contract.tradingHours,
        liquidHours: d?.liquidHours || contract.liquidHours,
      };
      this.fresh.set(contract.conId, { api, at: now, hours });
      return hours;
    } catch {
      return contract; // the hours known from the lookup
    }
  }
}

type Hours = Pick<ResolvedContract, 'tradingHours' | 'liquidHours' | 'timeZoneId'>;
const HOURS_KEPT_MS = 60 * 60 * 1000;
