/**
 * The negotiated server versions at which TWS changes what a field means.
 * Names and numbers are IB's own (MIN_SERVER_VER_* in IB's clients; the Go
 * port scmhub/ibapi server_versions.go mirrors them one to one). TWS decides
 * what it sends from the version both sides agreed in the handshake, not from
 * its own build: a client that offers up to 193 keeps the older meanings.
 */

/** TICK_SIZE bid/ask/last sizes (0, 3, 5) of US stocks in shares, not lots of 100. */
export const MARKET_DATA_IN_SHARES = 159;
/** Historical bar volume of US stocks in shares, not lots of 100. */
export const HMDS_MARKET_DATA_IN_SHARES = 175;
/** Volume ticks (8 volume, 21 average volume, 74 delayed volume) of US stocks in shares. */
export const MARKET_DATA_VOLUMES_IN_SHARES = 220;
/** HISTORICAL_DATA without its version field and per-bar hasGaps (earlier servers sent both). */
export const SYNT_REALTIME_BARS = 124;
