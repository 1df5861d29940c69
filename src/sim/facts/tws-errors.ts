/**
 * The texts TWS sends with its error codes, as recorded from real sessions
 * (see the project's TWS facts note): one place for each, so the simulator
 * says what TWS says.
 */

export const HMDS = 'Historical Market Data Service error message:';
export const PACING_VIOLATION = `${HMDS}Historical data request pacing violation`;

/** HMDS's refusal of bars the account has no market data permission for ("No market data permissions for ISLAND STK", ib_insync #461). */
export const msgNoPermissions = (exchange: string, secType: string): string => `${HMDS}No market data permissions for ${exchange} ${secType}`;
export const NO_SECURITY_DEFINITION = 'No security definition has been found for the request';

/** HMDS's own names for the kinds of bars, as its messages write them ("... Last 1d", "... MidPoint 60", "... Bid 3600"). */
const HMDS_DATA_NAMES: Readonly<Record<string, string>> = { TRADES: 'Last', MIDPOINT: 'MidPoint', BID: 'Bid', ASK: 'Ask' };

/**
 * 162 for a kind of bars an instrument has none of: TRADES on forex ("No historical market
 * data for EUR/CASH@IDEALPRO Last 1d", confirmed), MIDPOINT, BID or ASK on an index ("... for
 * SPX/IND@CBOE MidPoint 60", "... Bid 3600", reported). The last word is the bar size: seconds
 * under a day, "1d" for a day (confirmed); longer bars' form is not recorded ("1w", "1m" here).
 */
export function msgNoDataOfType(symbol: string, secType: string, exchange: string, whatToShow: string, barSeconds: number): string {
  const bar = barSeconds < 86_400 ? String(barSeconds) : barSeconds < 604_800 ? '1d' : barSeconds < 2_419_200 ? '1w' : '1m';
  return `${HMDS}No historical market data for ${symbol}/${secType}@${exchange} ${HMDS_DATA_NAMES[whatToShow] ?? whatToShow} ${bar}`;
}

/** 10339: a continuous future's bars end now; TWS takes no end date for them (IB's message table, and clients that met it). */
export const MSG_10339 = 'Setting end date/time for continuous future security type is not allowed';

/** 2174: an endDateTime without a time zone; a warning, the request is still served. */
export const MSG_2174 =
  'Warning: You submitted request with date-time attributes without explicit time zone. Please switch to use yyyymmdd-hh:mm:ss in UTC or use instrument time zone, like US/Eastern. Implied time zone functionality will be removed in the next API release';

/** 10314: an endDateTime TWS cannot read (the long text with its double spaces, as TWS sends it). */
export const MSG_10314 =
  'End Date/Time: The date, time, or time-zone entered is invalid. The correct format is yyyymmdd hh:mm:ss xx/xxx where yyyymmdd and xx/xxx are optional. E.g.: 20031126 15:59:00 US/Eastern  Note that there is a space between the date and time, and between the time and time-zone.  If no date is specified, current date is assumed. If no time-zone is specified, local time-zone is assumed(deprecated).  You can also provide yyyymmddd-hh:mm:ss time is in UTC. Note that there is a dash between the date and time in UTC notation.';

/**
 * 354: live data asked for an instrument the account has no subscription for
 * (no space after the first period, and TWS's own suffix naming the feed:
 * "Error&BEST/STK/Top&BEST/STK/Top" for a SMART-routed stock).
 */
export function msg354(secType: string): string {
  return `Requested market data is not subscribed.Delayed market data is available.Error&BEST/${secType}/Top&BEST/${secType}/Top`;
}
/** 10167: advisory, delayed ticks follow on the same id. */
export const MSG_10167 = 'Requested market data is not subscribed. Displaying delayed market data.';
/** 10168: terminal, no subscription and delayed data not enabled. */
export const MSG_10168 = 'Requested market data is not subscribed. Delayed market data is not enabled.';
/** 10089: the data needs an additional API subscription (exact tail unverified). */
export const MSG_10089 = "Requested market data requires additional subscription for API. See link in 'Market Data Connections' dialog for more details.";
export const MSG_MAX_TICKERS = 'Max number of tickers has been reached';
/** A whatToShow TWS does not take, recorded (rust-ibapi, real-time bars) and IB's message table alike. */
export const MSG_WHAT_TO_SHOW = "Error validating request:-'bW' : cause - What to show field is missing or incorrect.";
/** A bar size TWS does not take: "request:-" in every recorded log of it (ezibpy 'bS', others 'bI', 'yd'). */
export const msgBadBarSize = (legal: string) =>
  `Error validating request:-'bS' : cause - Historical data bar size setting is invalid. Legal ones are: ${legal}`;
export const MSG_READ_ONLY = "Error validating request.-'bN' : cause - The API interface is currently in Read-Only mode.";
export const MSG_CLIENT_ID_IN_USE = 'Unable to connect as the client id is already in use. Retry with a unique client id.';

/**
 * "Error validating request.-'bX' : cause - ..." (321), with TWS's per-request
 * letter code. (Both "request.-" and "request:-" appear in TWS logs over the
 * years; the period form is the common one in current logs.)
 */
export function validationError(code: string, cause: string): string {
  return `Error validating request.-'${code}' : cause - ${cause}`;
}

/** "Error processing request.-'bX' : cause - ..." (322, e.g. a duplicate ticker id). */
export function processingError(code: string, cause: string): string {
  return `Error processing request.-'${code}' : cause - ${cause}`;
}

/** Farm notices (request id -1); 2107/2108 put a period before the farm name, not a colon. */
export const FARM = {
  marketOk: (farm: string) => [2104, `Market data farm connection is OK:${farm}`] as const,
  marketInactive: (farm: string) => [2108, `Market data farm connection is inactive but should be available upon demand.${farm}`] as const,
  marketConnecting: (farm: string) => [2119, `Market data farm is connecting:${farm}`] as const,
  hmdsOk: (farm: string) => [2106, `HMDS data farm connection is OK:${farm}`] as const,
  hmdsInactive: (farm: string) => [2107, `HMDS data farm connection is inactive but should be available upon demand.${farm}`] as const,
  secDefOk: (farm: string) => [2158, `Sec-def data farm connection is OK:${farm}`] as const,
};
