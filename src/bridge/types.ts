/**
 * What the bridge needs from the domain (only the services' public methods
 * and events) and how it is configured.
 */
import type { CandleService, ContractService, Logger, QuoteService } from '../ib';
import type { ConnectionSettings, ConnectionStatus, Disposable } from '../ib/types';

/** The connection's public surface the bridge uses; ConnectionManager has it. */
export interface BridgeConnection {
  readonly status: ConnectionStatus;
  onStatus(listener: (s: ConnectionStatus) => void): Disposable;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  updateSettings(s: ConnectionSettings): Promise<void>;
}

export interface BridgeServices {
  connection: BridgeConnection;
  contracts: ContractService;
  quotes: QuoteService;
  candles: CandleService;
}

export interface BridgeOptions {
  /** Interface to listen on (default 127.0.0.1). Anything else needs a token. */
  host?: string;
  /** Port (default 8092; 0 picks a free one). */
  port?: number;
  /** When set, every request needs `Authorization: Bearer <token>` (but for `GET /health` sent without any, which hears its status and connected only). */
  token?: string;
  /** Reported by GET /health. */
  version: string;
  /**
   * 'own': the bridge owns the connection (headless), POST /connect may point it
   * elsewhere and POST /disconnect ends it. 'shared': it is the editor's
   * connection, which the editor's settings and commands own.
   */
  connectionControl: 'own' | 'shared';
  /** Symbols bridge clients may hold at once (default 50). */
  maxLines?: number;
  /** Symbols one stream may hold (default 50). */
  maxSymbolsPerStream?: number;
  /** How often WebSocket clients are pinged; one that has not answered the previous ping is ended, its lines given back (default 30 s). */
  wsPingMs?: number;
  /** Open connections at once (default 256); past it requests get 429. */
  maxConnections?: number;
  /** How long GET /quotes waits for a first quote (default 12 s, IB's snapshot time). */
  quoteTimeoutMs?: number;
  /** How long a polled symbol stays watched after the last GET (default 60 s). */
  lingerMs?: number;
  /** How long a streamed symbol's line is kept after its last stream leaves (default 3 s): a client that reconnects in a loop does not send IB a subscribe and a cancel each time. */
  streamGraceMs?: number;
  /** How long a client may take to send a whole request (default 10 s); past it, 408 and the connection closes. */
  requestTimeoutMs?: number;
  logger?: Logger;
  /** The simulated gateway this bridge started itself (--simulated), if any: GET /health names it, POST /connect to it counts as simulated. */
  simulator?: { host: string; port: number };
}

export const DEFAULT_PORT = 8092;
