/**
 * Access to the plain IBApi under an IBApiNext, for the requests whose
 * lifetime the domain manages itself (market-data lines and keep-up-to-date
 * bars): IBApiNext re-sends its own subscriptions on reconnect and hides the
 * request ids, while the services here must own exactly one gateway line per
 * contract and see MARKET_DATA_TYPE messages, which IBApiNext drops.
 */
import type * as Ib from '@stoqey/ib';
import type { IBApi } from '@stoqey/ib';
import { EventName } from '../ib-lib';
import type { Disposable, IbSession, ReadOnlyClient } from '../types';

/**
 * What the domain may do on the plain client: the read requests it makes
 * (market-data lines, their data type, historical bars and their cancels) and
 * its events. Nothing here can place, modify or cancel an order: a service
 * that tried would not compile.
 */
export type ReadOnlyWire = Pick<
  IBApi,
  'reqMktData' | 'cancelMktData' | 'reqMarketDataType' | 'reqHistoricalData' | 'cancelHistoricalData' | 'on' | 'off' | 'eventNames' | 'listenerCount'
>;

/** The IBApi that an IBApiNext drives (the same socket, the same request ids), as far as the domain may use it. */
export function rawApi(next: ReadOnlyClient): ReadOnlyWire {
  // `api` is private in the typings only; it is the IBApiAutoConnection (an IBApi).
  return (next as unknown as { api: IBApi }).api;
}

/** A request id that IBApiNext will never hand out itself. */
export function newRequestId(next: ReadOnlyClient): number {
  return next.nextReqId;
}

export type WireListener = (...args: never[]) => void;

/**
 * Keeps a set of raw event listeners attached to whatever client the session
 * currently has: attaches on first use, re-attaches when the session's client
 * changes (a connection manager may build a new one per connect).
 */
export class WireBinding implements Disposable {
  private bound: ReadOnlyClient | undefined;
  private detach: (() => void) | undefined;

  constructor(
    private readonly session: IbSession,
    private readonly listeners: ReadonlyArray<[EventName, WireListener]>,
  ) {}

  /** The current client with the listeners attached, or undefined when not connected. */
  current(): ReadOnlyClient | undefined {
    const api = this.session.api;
    if (api !== this.bound) {
      this.detach?.();
      this.detach = undefined;
      this.bound = api;
      if (api) {
        const raw = rawApi(api);
        for (const [event, fn] of this.listeners) raw.on(event as Ib.EventName.tickPrice, fn as never);
        this.detach = () => {
          for (const [event, fn] of this.listeners) raw.off(event as Ib.EventName.tickPrice, fn as never);
        };
      }
    }
    return api;
  }

  dispose(): void {
    this.detach?.();
    this.detach = undefined;
    this.bound = undefined;
  }
}

export { EventName };

/**
 * Tells a service when its live requests must be sent again: on every ready
 * (a new connection holds none: `resend('ready', false)`, after `beforeReady`),
 * and on a resubscribe signal (`resend(reason, true)`: cancel, then send),
 * unless that signal comes in the same turn as a ready, which already covered it.
 */
export function onResendNeeded(session: IbSession, resend: (reason: string, cancelFirst: boolean) => void, beforeReady?: () => void): Disposable {
  let justReady = false;
  const ready = session.onReady(() => {
    justReady = true;
    queueMicrotask(() => {
      justReady = false;
    });
    beforeReady?.();
    resend('ready', false);
  });
  const resubscribe = session.onResubscribe((reason) => {
    if (!justReady) resend(reason, true);
  });
  return {
    dispose: () => {
      ready.dispose();
      resubscribe.dispose();
    },
  };
}

/**
 * Runs `work`; while it fails with 504 (not connected), waits for the next
 * ready and tries again, unless `stop()` says the caller no longer wants it.
 * `track` receives the pending ready listener so the owner can dispose it.
 */
export async function retryWhenReady<T>(session: IbSession, work: () => Promise<T>, stop: () => boolean, track: (d: Disposable) => void): Promise<T> {
  for (;;) {
    try {
      return await work();
    } catch (e) {
      const code = (e as { info?: { code?: number } }).info?.code;
      if (code !== 504 || stop()) throw e;
      await new Promise<void>((resolve) => {
        const once = session.onReady(() => {
          once.dispose();
          resolve();
        });
        track(once);
      });
    }
  }
}
