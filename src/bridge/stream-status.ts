/**
 * The gateway connection as stream clients see it: `{"connected", "status",
 * "detail"}` in GET /health's words, sent when a stream opens and each time
 * one of them changes. "healthy" only when the gateway is connected and can
 * serve fresh data: IB's own link to its servers lost (1100) or a data farm
 * down (2103, 2105, 2157) is "degraded" with `connected` true, and the detail
 * says which.
 */
import type { ConnectionStatus, Disposable, MarketDataType, Quote } from '../ib/types';
import { describeIbError } from '../ib/errors';
import { HttpError } from './http-errors';
import type { BridgeConnection } from './types';

export type HealthStatus = 'healthy' | 'degraded';

export interface StreamStatusJson {
  connected: boolean;
  status: HealthStatus;
  detail: string;
}

/** Whether the gateway is there to serve data (what `connected` means in /health and on the streams). */
export function isReady(s: ConnectionStatus): boolean {
  return s.phase === 'ready';
}

/** While IB's gateway has lost its link to IB's servers (1100, 2110), why no fresh data comes; else undefined. */
export function ibLinkLost(s: ConnectionStatus): string | undefined {
  if (!isReady(s) || s.ibLink !== 'lost') return undefined;
  return "IB Gateway/TWS has lost its connection to IB's servers: prices are not updating until IB restores it; the bridge sends every line again if IB then says the data was lost (1101).";
}

/** What keeps a connected gateway from serving fresh data (its IB link, a data farm IB says is down), or undefined. */
function trouble(s: ConnectionStatus): string | undefined {
  const lost = ibLinkLost(s);
  if (lost || !isReady(s)) return lost;
  const down = Object.entries(s.farms)
    .filter(([, h]) => h === 'broken')
    .map(([name]) => name);
  if (down.length === 0) return undefined;
  return `IB reports data farm${down.length > 1 ? 's' : ''} ${down.join(', ')} down: data served from ${down.length > 1 ? 'them' : 'it'} is not updating until IB says it is OK again.`;
}

/** GET /health's word for the connection now. */
export const healthStatus = (s: ConnectionStatus): HealthStatus => (isReady(s) && !trouble(s) ? 'healthy' : 'degraded');

/** Why the gateway is (not) there, as one sentence (GET /health's detail, the streams' status, a 503's). */
export function detailOf(s: ConnectionStatus): string {
  const at = `${s.host}:${s.port}`;
  if (isReady(s)) return `Connected to IB Gateway/TWS at ${at} as client ${s.clientId}.${trouble(s) ? ` ${trouble(s)}` : ''}`;
  const why = s.error ? ` ${s.error.message}` : '';
  // waiting to try again: after a drop, or for a gateway not up yet (never connected): the words fit both
  if (s.phase === 'reconnecting') return `Not connected to IB Gateway/TWS at ${at}; trying again${s.attempt ? ` (attempt ${s.attempt})` : ''}.${why}`;
  if (s.phase === 'connecting') return `Connecting to IB Gateway/TWS at ${at}.`;
  if (s.phase === 'failed') return `Could not connect to IB Gateway/TWS at ${at}.${why}`;
  return `Not connected to IB Gateway/TWS (${s.phase}). Start the gateway (or the simulator), or POST /connect.${why}`;
}

/**
 * Throws the 503 of a data request that cannot be served now, in the streams' words: the gateway not
 * there (retrying? why?), or IB's link to its servers lost (no quote or bar would be fresh).
 */
export function requireServable(s: ConnectionStatus, now = Date.now()): void {
  // IB's codes for the two, with their category from the one error table (a client asks again later on
  // "connectivity"), as a request the connection failed under carries them
  if (!isReady(s)) throw new HttpError(503, detailOf(s), retryAfter(s, now), coded(NOT_CONNECTED));
  const lost = ibLinkLost(s);
  if (lost) throw new HttpError(503, lost, LINK_LOST_RETRY_S, coded(IB_LINK_LOST));
}

/** IB's "Not connected" (its client library's code) and "Connectivity between IB and TWS has been lost". */
const NOT_CONNECTED = 504;
const IB_LINK_LOST = 1100;
const coded = (code: number) => ({ code, category: describeIbError(code).category });

/**
 * Retry-After for a 503 made inside a request (the connection dropped while it waited, IB's side
 * failed it): the next attempt while reconnecting; IB's own trouble while connected; none when
 * nothing is being tried (disconnected on purpose).
 */
export function retryAfterNow(s: ConnectionStatus, now = Date.now()): number | undefined {
  return isReady(s) ? LINK_LOST_RETRY_S : retryAfter(s, now);
}

/** IB restores its link in seconds to minutes (1101/1102): a client may ask again this soon. */
const LINK_LOST_RETRY_S = 10;
/** A connection attempt under way (the API handshake takes a second or two). */
const CONNECTING_RETRY_S = 2;

/** Seconds until the gateway may serve again: the next reconnect attempt, an attempt under way; none when nothing is being tried. */
function retryAfter(s: ConnectionStatus, now: number): number | undefined {
  if (s.phase === 'connecting') return CONNECTING_RETRY_S;
  if (s.phase !== 'reconnecting') return undefined;
  if (s.nextAttemptAt === undefined) return CONNECTING_RETRY_S;
  return Math.max(1, Math.ceil((s.nextAttemptAt - now) / 1000)) + CONNECTING_RETRY_S;
}

export function streamStatus(s: ConnectionStatus): StreamStatusJson {
  return { connected: isReady(s), status: healthStatus(s), detail: detailOf(s) };
}

/** Calls `send` with the state now, then each time what it says changes (connected, healthy, or why not). */
export function watchConnected(connection: BridgeConnection, send: (s: StreamStatusJson) => void): Disposable {
  let last = streamStatus(connection.status);
  send(last);
  return connection.onStatus((s) => {
    const now = streamStatus(s);
    if (now.connected === last.connected && now.status === last.status && now.detail === last.detail) return;
    last = now;
    send(last);
  });
}

/** A symbol's kind of data on a stream: "live", "frozen" (the last of a closed market), "delayed" (15 minutes old) or "delayed-frozen". */
export interface MarketDataTypeJson {
  symbol: string;
  market_data_type: MarketDataType;
}

/**
 * Per stream: a symbol's kind of data when its first quote comes and each time
 * it changes (undefined otherwise); `forget` when the stream stops watching it.
 */
export function dataTypeChanges(): { changed(symbol: string, q: Quote): MarketDataTypeJson | undefined; forget(symbol: string): void } {
  const last = new Map<string, MarketDataType>();
  return {
    changed(symbol, q) {
      if (last.get(symbol) === q.dataType) return undefined;
      last.set(symbol, q.dataType);
      return { symbol, market_data_type: q.dataType };
    },
    forget: (symbol) => void last.delete(symbol),
  };
}
