/**
 * The gateway connection as stream clients see it: `{"connected", "status",
 * "detail"}` in GET /health's words ("healthy" when connected, else
 * "degraded"), sent when a stream opens and each time `connected` flips, not
 * on every phase the connection passes through while it is away.
 */
import type { ConnectionStatus, Disposable, MarketDataType, Quote } from '../ib/types';
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

/** GET /health's word for a connection state. */
export const healthStatus = (connected: boolean): HealthStatus => (connected ? 'healthy' : 'degraded');

/** Why the gateway is (not) there, as one sentence. */
function detailOf(s: ConnectionStatus): string {
  const at = `${s.host}:${s.port}`;
  if (isReady(s)) return `Connected to IB Gateway/TWS at ${at} as client ${s.clientId}.`;
  const why = s.error ? ` ${s.error.message}` : '';
  // waiting to try again: after a drop, or for a gateway not up yet (never connected): the words fit both
  if (s.phase === 'reconnecting') return `Not connected to IB Gateway/TWS at ${at}; trying again${s.attempt ? ` (attempt ${s.attempt})` : ''}.${why}`;
  if (s.phase === 'connecting') return `Connecting to IB Gateway/TWS at ${at}.`;
  if (s.phase === 'failed') return `Could not connect to IB Gateway/TWS at ${at}.${why}`;
  return `Not connected to IB Gateway/TWS (${s.phase}). Start the gateway (or the simulator), or POST /connect.${why}`;
}

export function streamStatus(s: ConnectionStatus): StreamStatusJson {
  const connected = isReady(s);
  return { connected, status: healthStatus(connected), detail: detailOf(s) };
}

/** Calls `send` with the state now, then each time the connection comes or goes. */
export function watchConnected(connection: BridgeConnection, send: (s: StreamStatusJson) => void): Disposable {
  let last = streamStatus(connection.status);
  send(last);
  return connection.onStatus((s) => {
    if (isReady(s) === last.connected) return;
    last = streamStatus(s);
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
