/**
 * Sizes and volumes in shares, whatever the negotiated server version: the one
 * place that knows when TWS counts a US stock in lots of 100.
 *
 * - Volume ticks 8 (volume), 21 (average volume) and 74 (delayed volume): lots
 *   below MARKET_DATA_VOLUMES_IN_SHARES (220). Captured: AAPL volume 323886 at
 *   10:47 New York time is 32.4 million shares.
 * - Bid/ask/last size ticks (0, 3, 5 and delayed 69, 70, 71): lots below
 *   MARKET_DATA_IN_SHARES (159), shares from it (a captured last size of 2).
 * - Historical bar volume: lots below HMDS_MARKET_DATA_IN_SHARES (175), with
 *   decimals ("948837.22"); shares from it.
 *
 * IB's notices speak of US stocks; forex sizes are units of the base currency
 * and futures count contracts at every version, so only STK in USD is scaled.
 * (Non-US stocks: IB does not say; they are left as sent.)
 */
import { HMDS_MARKET_DATA_IN_SHARES, MARKET_DATA_IN_SHARES, MARKET_DATA_VOLUMES_IN_SHARES } from './server-versions';

/** What decides the unit: the instrument and the negotiated server version. */
export interface UnitContext {
  secType: string;
  currency?: string;
  /** Negotiated in the handshake; undefined when not known (no scaling then). */
  serverVersion: number | undefined;
}

export const LOT = 100;

/**
 * IB's "unset" Decimal, as its own servers write one in a size or volume:
 * Integer.MAX_VALUE or Long.MAX_VALUE (9223372036854775807, 2^63 as a double;
 * Double.MAX_VALUE the client library already reads as none). IB's own
 * decoders (Java Decimal.parse, Python ibapi's decode) read them as no value.
 */
export const UNSET_INT_COUNT = 2147483647;
export const UNSET_LONG_COUNT = 2 ** 63;

export function isUnsetCount(v: number): boolean {
  return v === UNSET_INT_COUNT || v === UNSET_LONG_COUNT;
}

const VOLUME_TICKS = new Set([8, 21, 74]);
const SIZE_TICKS = new Set([0, 3, 5, 69, 70, 71]);

function countsInLots(ctx: UnitContext): boolean {
  return ctx.secType === 'STK' && (ctx.currency === undefined || ctx.currency === '' || ctx.currency === 'USD');
}

/** How many shares one unit of this tick's value is (1, or 100 for lots). */
export function tickSizeMultiplier(tickType: number, ctx: UnitContext): number {
  if (ctx.serverVersion === undefined || !countsInLots(ctx)) return 1;
  if (VOLUME_TICKS.has(tickType)) return ctx.serverVersion < MARKET_DATA_VOLUMES_IN_SHARES ? LOT : 1;
  if (SIZE_TICKS.has(tickType)) return ctx.serverVersion < MARKET_DATA_IN_SHARES ? LOT : 1;
  return 1;
}

const HIGHEST_TICK = 100;
/** The tables made so far, by their multipliers (a few kinds: sizes and volume in lots, volume only, none). */
const TABLES = new Map<string, number[]>();

/**
 * `tickSizeMultiplier` for every tick type at once, for one context: a quote
 * line keeps one (its instrument and connection do not change) and looks its
 * multiplier up per tick.
 */
export class TickUnits {
  /** Multipliers by tick type, or null when every value is taken as sent. */
  private readonly table: readonly number[] | null;

  constructor(ctx: UnitContext) {
    const table: number[] = [];
    for (let t = 0; t <= HIGHEST_TICK; t++) table.push(tickSizeMultiplier(t, ctx));
    if (table.every((m) => m === 1)) this.table = null;
    else {
      // one table per kind, shared by every line of that kind: read per tick, a hundred copies would crowd the cache
      const key = table.join();
      this.table = TABLES.get(key) ?? TABLES.set(key, table).get(key)!;
    }
  }

  /** The multipliers by tick type (1: as sent; none past the last tick type), or null when every value is taken as sent. */
  get multipliers(): readonly number[] | null {
    return this.table;
  }

  /** A TICK_SIZE (or the size of a TICK_PRICE) value in shares; other values as they are. */
  inShares(tickType: number, value: number | undefined): number | undefined {
    if (this.table === null || value === undefined) return value;
    const m = this.table[tickType];
    if (m === undefined || m === 1 || !Number.isFinite(value) || value < 0) return value;
    return Math.round(value * m);
  }
}

/** A TICK_SIZE (or the size of a TICK_PRICE) value in shares; other values as they are. */
export function tickValueInShares(tickType: number, value: number | undefined, ctx: UnitContext): number | undefined {
  return new TickUnits(ctx).inShares(tickType, value);
}

/** A historical bar's volume in shares (lots may carry decimals: 948837.22 lots = 94883722 shares). */
export function barVolumeInShares(volume: number, ctx: UnitContext): number {
  if (!Number.isFinite(volume) || volume < 0 || isUnsetCount(volume) || ctx.serverVersion === undefined || !countsInLots(ctx)) return volume;
  return ctx.serverVersion < HMDS_MARKET_DATA_IN_SHARES ? Math.round(volume * LOT) : volume;
}
