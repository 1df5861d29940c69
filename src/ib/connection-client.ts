/**
 * One TWS API client for one connection attempt: an IBApiNext with explicit
 * host, port and client id and its own reconnection and watchdog turned off
 * (the ConnectionManager owns reconnection), plus access to the IBApi inside
 * it, where id -1 notices (farms, 1100/1101/1102, 326) and NEXT_VALID_ID
 * surface as events.
 *
 * A fresh client is made for every attempt and thrown away whole afterwards:
 * nothing (listeners, paused request buffers, subscriptions) carries over
 * from a dead connection to the next.
 */
import type { IBApi, IBApiCreationOptions, IBApiNext, IBApiNextCreationOptions } from '@stoqey/ib';
import { guardDecoder } from './transport/decoder-guard';
import { EventName, ibLib } from './ib-lib';
import type { Logger } from './log';
import { guardIncomingStream } from './transport/guard-socket';

/** IB's code for a message with a bad length (EClientErrors.BAD_LENGTH). */
const BAD_LENGTH = 507;

type Listener = (...args: unknown[]) => void;

export interface ClientEvents {
  /** The handshake reply: negotiated server version and TWS's connection time ("yyyyMMdd HH:mm:ss <login zone>"). */
  server(version: number, connectionTime: string): void;
  managedAccounts(accounts: string[]): void;
  nextValidId(): void;
  info(message: string, code: number): void;
  error(message: string, code: number, reqId: number): void;
  disconnected(): void;
}

export interface TwsClient {
  readonly api: IBApiNext;
  connect(clientId: number): void;
  /** Removes every listener and closes the socket, whatever state it is in. */
  close(): void;
}

/** The IBApi (an IBApiAutoConnection) that IBApiNext keeps in its private `api` field. */
function innerApi(next: IBApiNext): IBApi {
  const inner: unknown = (next as unknown as { api?: unknown }).api;
  if (!(inner instanceof ibLib().IBApi)) throw new Error('@stoqey/ib: IBApiNext has no inner IBApi (unsupported library version)');
  return inner;
}

function bridgeLogger(logger: Logger) {
  const line = (tag: string, args: unknown[]): string => `[ib:${tag}] ${args.map((a) => (typeof a === 'string' ? a : String(a))).join(' ')}`;
  return {
    debug: (tag: string, ...args: unknown[]) => logger.debug(line(tag, args)),
    info: (tag: string, ...args: unknown[]) => logger.debug(line(tag, args)),
    warn: (tag: string, ...args: unknown[]) => logger.debug(line(tag, args)),
    error: (tag: string, ...args: unknown[]) => logger.debug(line(tag, args)),
  };
}

export function createTwsClient(host: string, port: number, events: ClientEvents, logger: Logger, clientId: number): TwsClient {
  // Every option the library would otherwise look up is given here, clientId
  // above all: without it @stoqey/ib reads its own configuration, which runs
  // dotenv on the working directory and copies a repository's .env into the
  // extension host's environment (and into every process spawned from it).
  // (IBApiNext hands its options on to the IBApi inside it, whose options have clientId.)
  const options: IBApiNextCreationOptions & Required<Pick<IBApiCreationOptions, 'clientId'>> = {
    host,
    port,
    clientId,
    reconnectInterval: 0,
    connectionWatchdogInterval: 0,
    maxReqPerSec: 40,
    logger: bridgeLogger(logger),
  };
  const api = new (ibLib().IBApiNext)(options);
  const inner = innerApi(api);
  // A frame length the library would loop on forever never reaches it (see transport/frame-guard.ts).
  guardIncomingStream(inner, (problem) => events.error(problem, BAD_LENGTH, -1));

  // IBApiNext drops the socket on 1100/2110 (its info handler calls
  // onDisconnected). TWS keeps the socket open through 1100 and reports the
  // recovery (1101/1102) on it, so that handler is removed; notices are read below.
  for (const l of inner.listeners(EventName.info)) inner.removeListener(EventName.info, l as Listener);
  // Its auto-connection also stamps every incoming message (Date.now()) for a
  // watchdog that is off here (connectionWatchdogInterval: 0; the connection
  // manager has its own heartbeat): a cost per tick for nothing.
  for (const l of inner.listeners(EventName.received)) inner.removeListener(EventName.received, l as Listener);

  // a message the library misreads must reset the connection, not throw out of its socket handler
  guardDecoder(inner, (message) => events.error(message, 505, -1));

  const added: Array<[EventName, Listener]> = [];
  const on = (name: EventName, fn: Listener): void => {
    inner.addListener(name, fn);
    added.push([name, fn]);
  };
  on(EventName.server, (version, time) => events.server(Number(version), String(time ?? '')));
  on(EventName.managedAccounts, (list) =>
    events.managedAccounts(
      String(list ?? '')
        .split(',')
        .map((a) => a.trim())
        .filter((a) => a !== ''),
    ),
  );
  on(EventName.nextValidId, () => events.nextValidId());
  on(EventName.info, (message, code) => events.info(String(message ?? ''), Number(code)));
  on(EventName.error, (err, code, reqId) => events.error(err instanceof Error ? err.message : String(err), Number(code), Number(reqId ?? -1)));
  on(EventName.disconnected, () => events.disconnected());

  let closed = false;
  return {
    api,
    connect(clientId: number) {
      api.connect(clientId);
    },
    close() {
      if (closed) return;
      closed = true;
      for (const [name, fn] of added) inner.removeListener(name, fn);
      // IBApiNext.disconnect() turns its auto-connection off but only closes a
      // socket that finished the handshake; IBApi's own disconnect closes a
      // socket that is still connecting too.
      api.disconnect();
      ibLib().IBApi.prototype.disconnect.call(inner);
    },
  };
}
