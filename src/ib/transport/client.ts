/**
 * One connection's client over the library's client object: one listener per
 * library event, dispatched by request id to the owner in the request table;
 * every error and notice through the one classifier (errors.ts): those of the
 * connection (request id -1, a broken stream) and those for an id nobody owns
 * go to the connection, a request's to its owner. When the connection ends,
 * every request in the table fails with the not-connected error, in words
 * that say why it ended (contracts/failures.ts, connectionEndedInfo).
 *
 * It sees the library only as LibClient (public methods of IBApi), so tests
 * drive it with a fake; tws-transport.ts gives it the real one.
 */
import type { BarSizeSetting, ContractDescription, ContractDetails, IBApi, WhatToShow } from '@stoqey/ib';
import type { Clock } from '../clock';
import { connectionEndedInfo, timeoutInfo } from '../contracts/failures';
import { classifyIbMessage, describeIbError, IbError } from '../errors';
import { EventName } from '../ib-lib';
import type { Logger } from '../log';
import { clipped } from '../text';
import type { Disposable, IbErrorInfo } from '../types';
import type { SocketReads } from './lib-socket';
import { RequestTable, type SendLine, type TimeLimit } from './request-table';
import { UnknownMessages } from './unknown-messages';
import type { HistoryOwner, MarketDataOwner, MessageTap, ReadOnlyWire, RequestOwner, WireBar, WireRequest } from './wire';

/** Codes that say the stream itself is broken: always the connection's, whatever id they carry. */
const STREAM_CODES: ReadonlySet<number> = new Set([505, 507, 509]);

/** The public part of IBApi this client uses: reads, events, the socket. */
export type LibClient = Pick<
  IBApi,
  | 'on'
  | 'removeAllListeners'
  | 'eventNames'
  | 'listenerCount'
  | 'connect'
  | 'disconnect'
  | 'isConnected'
  | 'serverVersion'
  | 'reqMktData'
  | 'cancelMktData'
  | 'reqMarketDataType'
  | 'reqHistoricalData'
  | 'cancelHistoricalData'
  | 'reqContractDetails'
  | 'reqMatchingSymbols'
  | 'reqCurrentTime'
  | 'reqManagedAccts'
>;

/** What the connection hears from its client (the handshake, connection-level notices, the end). */
export interface ClientEvents {
  /** The handshake reply: negotiated server version and TWS's connection time ("yyyyMMdd HH:mm:ss <login zone>"). */
  server(version: number, connectionTime: string): void;
  managedAccounts(accounts: string[]): void;
  nextValidId(): void;
  info(message: string, code: number): void;
  error(message: string, code: number, reqId: number): void;
  disconnected(): void;
}

/** One attempt's client, as the connection drives it. */
export interface TwsClient {
  /** The read requests, for the services once the connection is ready. */
  readonly wire: ReadOnlyWire;
  connect(clientId: number): void;
  /** Asks for the account list again (it arrives through ClientEvents.managedAccounts). */
  requestAccounts(): void;
  /**
   * Removes every listener, closes the socket whatever state it is in, fails
   * every request, saying why when `cause` says what ended the connection.
   */
  close(cause?: IbErrorInfo): void;
}

/** Any owner in the table: each hears the events of its own kind. */
type Owner = RequestOwner &
  Partial<Pick<MarketDataOwner, 'tick' | 'dataType' | 'snapshotEnd'>> &
  Partial<Pick<HistoryOwner, 'bar' | 'update'>> & {
    details?(d: ContractDetails): void;
    detailsEnd?(): void;
    symbols?(list: ContractDescription[]): void;
    time?(seconds: number): void;
  };

type Listener = (...args: never[]) => void;

function wireBar(time: unknown, open: number, high: number, low: number, close: number, volume: number, wap: number): WireBar {
  return { time: String(time ?? ''), open, high, low, close, volume, wap };
}

function limitOf(t: { ms: number; what: string }, onExpire?: (id: number) => void): TimeLimit {
  return { ms: t.ms, info: (id) => timeoutInfo(t.what, t.ms, id), onExpire };
}

const notConnectedInfo = (): IbErrorInfo => describeIbError(504);
/** The socket closed under the client (the gateway or the network closed it: the client's own close removes this listener first). */
const socketClosed = (): IbErrorInfo => connectionEndedInfo(describeIbError(504, 'connection closed'));

/**
 * The client for one attempt over `api` (already guarded): the wire for the
 * services and the handshake for the connection. `sending`: the library's send
 * queue, so that time limits count from when a request leaves it.
 */
export function wireClient(api: LibClient, events: ClientEvents, logger: Logger, clock: Clock, sending?: SendLine, reads?: SocketReads): TwsClient {
  const table = new RequestTable<Owner>(clock, sending);
  const owners = table.owners;
  /**
   * Current-time requests in the order sent (its answer carries no id). TWS answers at most one a
   * second and drops the others, so one is asked at a time, shared by every caller, and an answer
   * less than a second old is the answer; a request that times out leaves the line, so an answer
   * that never comes cannot take the next request's.
   */
  const timeLine: number[] = [];
  let timeAsked: Promise<number> | undefined;
  let timeAnswered: { seconds: number; at: number } | undefined;
  const taps = new Set<MessageTap>();
  const unknownIds = new UnknownMessages();
  let dead = false;

  const on = (name: EventName, fn: Listener): void => void api.on(name as never, fn as never);

  // ---- the connection's own events
  on(EventName.server, ((version: unknown, time: unknown) => events.server(Number(version), String(time ?? ''))) as Listener);
  on(EventName.managedAccounts, ((list: unknown) =>
    events.managedAccounts(
      String(list ?? '')
        .split(',')
        .map((a) => a.trim())
        .filter((a) => a !== ''),
    )) as Listener);
  on(EventName.nextValidId, (() => events.nextValidId()) as Listener);
  // id -1 notices (farms, 1100/1101/1102, 2110...): the library sends them as info
  on(EventName.info, ((message: unknown, code: unknown) => {
    const text = clipped(String(message ?? ''));
    for (const tap of taps) tap(Number(code), -1, text);
    events.info(text, Number(code));
  }) as Listener);
  on(EventName.error, ((err: unknown, code: unknown, reqId: unknown) => {
    const text = clipped(err instanceof Error ? err.message : String(err));
    const c = Number(code);
    if (unknownIds.skipped(c, text, logger)) return;
    const id = reqId === undefined || reqId === null ? -1 : Number(reqId);
    for (const tap of taps) tap(c, id, text);
    const classified = classifyIbMessage(c, id, text);
    const owner = classified.role === 'connection' || STREAM_CODES.has(c) ? undefined : table.get(id);
    if (owner) owner.error(classified);
    else events.error(text, c, id);
  }) as Listener);
  on(EventName.disconnected, (() => {
    dead = true;
    table.failAll(socketClosed());
    events.disconnected();
  }) as Listener);

  // ---- market data (the per-tick path: a map read and a call, with the number of the socket read it came in)
  const onTick = (reqId: number, tickType: number, value: number | undefined): void => owners.get(reqId)?.tick?.(tickType, value, undefined, reads?.count);
  on(EventName.tickPrice, onTick as Listener);
  on(EventName.tickSize, onTick as Listener);
  on(EventName.tickGeneric, onTick as Listener);
  on(EventName.tickString, ((reqId: number, tickType: number, text: unknown) =>
    owners.get(reqId)?.tick?.(tickType, undefined, typeof text === 'string' ? text : undefined, reads?.count)) as Listener);
  on(EventName.marketDataType, ((reqId: number, type: number) => owners.get(reqId)?.dataType?.(type)) as Listener);
  on(EventName.tickSnapshotEnd, ((reqId: number) => owners.get(reqId)?.snapshotEnd?.()) as Listener);

  // ---- history
  on(EventName.historicalData, ((reqId: number, time: unknown, o: number, h: number, l: number, c: number, v: number, _n: unknown, wap: number) =>
    owners.get(reqId)?.bar?.(wireBar(time, o, h, l, c, v, wap))) as Listener);
  on(EventName.historicalDataUpdate, ((reqId: number, time: unknown, o: number, h: number, l: number, c: number, v: number, _n: unknown, wap: number) =>
    owners.get(reqId)?.update?.(wireBar(time, o, h, l, c, v, wap))) as Listener);

  // ---- one-shot answers
  on(EventName.contractDetails, ((reqId: number, details: ContractDetails) => owners.get(reqId)?.details?.(details)) as Listener);
  on(EventName.contractDetailsEnd, ((reqId: number) => table.take(reqId)?.detailsEnd?.()) as Listener);
  on(EventName.symbolSamples, ((reqId: number, list: ContractDescription[]) => table.take(reqId)?.symbols?.(list ?? [])) as Listener);
  on(EventName.currentTime, ((time: unknown) => {
    const id = timeLine.shift();
    if (id !== undefined) table.take(id)?.time?.(Number(time));
  }) as Listener);

  const live = (): boolean => !dead && api.isConnected;

  /** A request's handle; a request sent on a dead connection ends at once (in a microtask) with not-connected. */
  const handle = (id: number, cancelOnGateway?: () => void): WireRequest => ({
    id,
    answered: () => table.answered(id),
    cancel: () => {
      if (table.remove(id) && live()) cancelOnGateway?.();
    },
    forget: () => void table.remove(id),
  });
  const refuse = (owner: RequestOwner): WireRequest => {
    queueMicrotask(() => owner.end(notConnectedInfo()));
    return { id: -1, answered: () => undefined, cancel: () => undefined, forget: () => undefined };
  };

  /** A one-shot request: resolves with `result` on its last event, rejects with an IbError. */
  const once = <T>(make: (resolve: (v: T) => void) => Partial<Owner>, limit: TimeLimit | undefined, send: (id: number) => void): Promise<T> => {
    if (!live()) return Promise.reject(new IbError(notConnectedInfo()));
    return new Promise<T>((resolve, reject) => {
      let id = -1;
      const owner: Owner = {
        ...make(resolve),
        error: (m) => {
          if (m.role !== 'error') return;
          table.remove(id);
          reject(new IbError(m.info));
        },
        end: (info) => reject(new IbError(info)),
      };
      id = table.add(owner);
      try {
        send(id);
      } finally {
        // after the send: the limit counts from when this request's message leaves the library's queue
        if (limit) table.limit(id, limit);
      }
    });
  };

  const wire: ReadOnlyWire = {
    get serverVersion() {
      return api.serverVersion ?? 0;
    },
    get isConnected() {
      return live();
    },
    marketData(owner, contract, snapshot, timeLimit) {
      if (!live()) return refuse(owner);
      const id = table.add(owner);
      api.reqMktData(id, contract, '', snapshot, false);
      if (timeLimit) table.limit(id, limitOf(timeLimit));
      return handle(id, snapshot ? undefined : () => api.cancelMktData(id));
    },
    marketDataType(type) {
      if (live()) api.reqMarketDataType(type);
    },
    historicalData(owner, p, timeLimit) {
      if (!live()) return refuse(owner);
      const cancel = (id: number) => {
        if (live()) api.cancelHistoricalData(id);
      };
      const id = table.add(owner);
      logger.debug(`wire: history #${id}`);
      api.reqHistoricalData(
        id,
        p.contract,
        p.endDateTime,
        p.duration,
        p.barSize as BarSizeSetting,
        p.whatToShow as WhatToShow,
        p.useRTH ? 1 : 0,
        2,
        p.keepUpToDate,
      );
      table.limit(id, limitOf(timeLimit, cancel));
      return handle(id, () => api.cancelHistoricalData(id));
    },
    contractDetails(contract, timeLimit) {
      return once<ContractDetails[]>(
        (resolve) => {
          const rows: ContractDetails[] = [];
          return { details: (d) => rows.push(d), detailsEnd: () => resolve(rows) };
        },
        limitOf(timeLimit),
        (id) => api.reqContractDetails(id, contract),
      );
    },
    matchingSymbols(pattern, timeLimit) {
      return once<ContractDescription[]>(
        (resolve) => ({ symbols: resolve }),
        limitOf(timeLimit),
        (id) => api.reqMatchingSymbols(id, pattern),
      );
    },
    currentTime(timeoutMs) {
      if (timeAnswered && clock.now() - timeAnswered.at < 1000) return Promise.resolve(timeAnswered.seconds);
      if (timeAsked) return timeAsked;
      let sent = -1;
      const asked = once<number>(
        (resolve) => ({ time: resolve }),
        limitOf({ ms: timeoutMs, what: 'current-time request' }),
        (id) => {
          timeLine.push((sent = id));
          api.reqCurrentTime();
        },
      ).then(
        (seconds) => ((timeAnswered = { seconds, at: clock.now() }), seconds),
        (e: unknown) => {
          const place = timeLine.indexOf(sent);
          if (place >= 0) timeLine.splice(place, 1);
          throw e;
        },
      );
      timeAsked = asked.finally(() => (timeAsked = undefined));
      return timeAsked;
    },
    counts() {
      const listeners = api.eventNames().reduce((n, e) => n + api.listenerCount(e), 0);
      return { requests: table.size, listeners };
    },
    onMessage(tap): Disposable {
      const entry: MessageTap = (c, id, text) => tap(c, id, text);
      taps.add(entry);
      return { dispose: () => void taps.delete(entry) };
    },
  };

  let closed = false;
  return {
    wire,
    connect(id: number) {
      api.connect(id);
    },
    requestAccounts() {
      if (live()) api.reqManagedAccts();
    },
    close(cause) {
      if (closed) return;
      closed = true;
      dead = true;
      api.removeAllListeners();
      taps.clear();
      // closes a socket that is still connecting too
      api.disconnect();
      table.failAll(connectionEndedInfo(cause));
    },
  };
}
