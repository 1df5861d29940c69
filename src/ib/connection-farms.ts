/**
 * Data-farm and IB-link notices (id -1 messages) read into facts for the status.
 */
import type { FarmHealth } from './types';

/** Farm notice codes and the health they report. */
const FARM_CODES: Readonly<Record<number, FarmHealth>> = {
  2103: 'broken', // market data farm broken
  2104: 'ok', // market data farm OK
  2105: 'broken', // historical data farm broken
  2106: 'ok', // historical data farm OK
  2107: 'inactive', // historical data farm inactive, available on demand
  2108: 'inactive', // market data farm inactive, available on demand
  2157: 'broken', // sec-def data farm broken
  2158: 'ok', // sec-def data farm OK
};

/** Codes whose recovery means live data must be requested again (market data and history farms). */
const DATA_FARM_CODES = new Set([2103, 2104, 2105, 2106, 2107, 2108]);
/** Codes of the farms that carry quote lines (market data), not history (HMDS) or contract definitions. */
const QUOTE_FARM_CODES = new Set([2103, 2104, 2108]);

export interface FarmNotice {
  farm: string;
  health: FarmHealth;
  /** true for market data and historical data farms (their recovery needs a resubscribe). */
  carriesData: boolean;
  /** true for market data farms: their quote lines stop while it is broken. */
  carriesQuotes: boolean;
}

/**
 * Reads a farm notice: the farm's name is after the last colon, e.g.
 * "Market data farm connection is OK:usfarm" -> usfarm, or, in 2107/2108,
 * after "upon demand." ("...should be available upon demand.ushmds", as
 * captured from TWS; names may hold dots themselves: usfarm.nj). Returns
 * undefined for other codes, or when no name can be found.
 */
export function readFarmNotice(code: number, message: string): FarmNotice | undefined {
  const health = FARM_CODES[code];
  if (health === undefined) return undefined;
  const colon = message.lastIndexOf(':');
  const onDemand = /upon demand\.\s*(\S+)\s*$/.exec(message);
  const farm = (colon >= 0 ? message.slice(colon + 1) : (onDemand?.[1] ?? '')).trim();
  if (farm === '' || /\s/.test(farm) || farm.length > 64) return undefined;
  return { farm, health, carriesData: DATA_FARM_CODES.has(code), carriesQuotes: QUOTE_FARM_CODES.has(code) };
}

export type IbLinkNotice = { ibLink: 'ok' | 'lost'; dataLost: boolean };

/**
 * 1100 lost, 1101 restored with data lost, 1102 restored with data kept; 2110 lost too ("Connectivity between Trader
 * Workstation and server is broken. It will be restored automatically."), which TWS may end with a data farm's OK
 * rather than a 1102 (see endsWithFarmOk).
 */
export function readIbLinkNotice(code: number): IbLinkNotice | undefined {
  switch (code) {
    case 1100:
    case 2110:
      return { ibLink: 'lost', dataLost: true };
    case 1101:
      return { ibLink: 'ok', dataLost: true };
    case 1102:
      return { ibLink: 'ok', dataLost: false };
    default:
      return undefined;
  }
}

/** A link lost by this code is back once a data farm says it is OK (2104, 2106, 2158), as well as with a 1101/1102. */
export function endsWithFarmOk(lostBy: number): boolean {
  return lostBy === 2110;
}

/**
 * The farms a 1101 or 1102 names as connected, as TWS writes it: "... data maintained. The following farms are
 * connected: usfarm.nj; secdefnj. The following farms are not connected: ushmds." or "All data farms are connected:
 * usfarm; ushmds." (farm names may hold dots).
 */
export function farmsConnectedIn(message: string): string[] {
  const m = /(?:following|all data) farms are connected:\s*(.*?)(?:\.\s*The following farms are not connected|\.?\s*$)/i.exec(message);
  return m
    ? m[1]
        .split(';')
        .map((f) => f.trim().replace(/\.$/, ''))
        .filter((f) => /^[\w.-]{1,40}$/.test(f))
    : [];
}
