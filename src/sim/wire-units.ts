/**
 * The units TWS puts sizes and volumes in, by negotiated server version
 * (IB's MIN_SERVER_VER_* constants; see the project's TWS facts note):
 *  - US stocks' bid/ask/last sizes (ticks 0, 3, 5 and their delayed twins) are
 *    shares from MARKET_DATA_IN_SHARES (159), lots of 100 before it;
 *  - US stocks' volume ticks (8, 21, 74) stay in lots of 100 until
 *    MARKET_DATA_VOLUMES_IN_SHARES (220), so always at the versions spoken here;
 *  - historical bar volume of US stocks is in lots of 100 until
 *    HMDS_MARKET_DATA_IN_SHARES (175), shares from it; the lots carry decimals
 *    from FRACTIONAL_SIZE_SUPPORT (163), whole before it (IB's older decoders
 *    read the volume as an integer) (real-time bars follow
 *    the same rule here: evidence is thin, IB's 10.18 note speaks of
 *    "historical data" in shares);
 *  - forex sizes are units of the base currency, futures in contracts, other
 *    stocks in shares (unverified: no capture).
 * The market model always counts shares; these functions turn them into what
 * goes on the wire.
 */
import type { Instrument } from './market/types';

export const MARKET_DATA_IN_SHARES = 159;
export const FRACTIONAL_SIZE_SUPPORT = 163;
export const HMDS_MARKET_DATA_IN_SHARES = 175;
export const MARKET_DATA_VOLUMES_IN_SHARES = 220;

const LOT = 100;

/** Does TWS count this instrument in lots of 100 (US stocks and ETFs)? */
export function tradesInLots(inst: Instrument): boolean {
  return inst.secType === 'STK' && inst.currency === 'USD';
}

/** A bid/ask/last size on the wire. */
export function wireSize(inst: Instrument, shares: number, serverVersion: number): number {
  if (!tradesInLots(inst) || serverVersion >= MARKET_DATA_IN_SHARES) return shares;
  return shares > 0 ? Math.max(1, Math.round(shares / LOT)) : 0;
}

/** A volume tick (8, 21, 74) on the wire: whole lots for US stocks. */
export function wireVolume(inst: Instrument, shares: number, serverVersion: number): number {
  if (!tradesInLots(inst) || serverVersion >= MARKET_DATA_VOLUMES_IN_SHARES) return shares;
  return Math.floor(shares / LOT);
}

/** A historical (or real-time) bar's volume on the wire: lots before 175 (two decimals from 163, whole before); -1 stays -1. */
export function wireBarVolume(inst: Instrument, shares: number, serverVersion: number): number {
  if (shares < 0) return -1;
  if (!tradesInLots(inst) || serverVersion >= HMDS_MARKET_DATA_IN_SHARES) return Math.round(shares);
  if (serverVersion < FRACTIONAL_SIZE_SUPPORT) return Math.round(shares / LOT);
  return Math.round(shares) / LOT;
}
