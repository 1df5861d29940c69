/**
 * What a service needs to follow the connection: when to send its live
 * requests again (resend), and how to wait for a connection instead of
 * failing while there is none (ReadyWaits).
 */
import type { Disposable, IbSession, ResendScope } from './types';

/**
 * Tells a service when its live requests must be sent again: on every ready
 * (a new connection holds none: `resend('ready', false)`), and on a
 * resubscribe signal (`resend(reason, true)`: cancel, then send), unless that
 * signal comes in the same turn as a ready, which already covered it.
 */
export function onResendNeeded(session: IbSession, resend: (reason: string, cancelFirst: boolean) => void, covers: ResendScope = 'all'): Disposable {
  let justReady = false;
  const ready = session.onReady(() => {
    justReady = true;
    queueMicrotask(() => {
      justReady = false;
    });
    resend('ready', false);
  });
  // `covers` 'all' (quote lines): not for a resend of the chart series only (a historical data farm back)
  const resubscribe = session.onResubscribe((reason, scope) => {
    if (!justReady && (scope === 'all' || covers === 'history')) resend(reason, true);
  });
  return {
    dispose: () => {
      ready.dispose();
      resubscribe.dispose();
    },
  };
}

/**
 * Calls `changed` when the connection becomes ready at another gateway
 * (host:port) than the last time (a POST /connect elsewhere, new settings):
 * what was learned from the old one (cached answers, the requests it counts
 * for pacing, symbols it did not know) is not the new one's.
 */
export function onGatewayChanged(session: IbSession, changed: (from: string, to: string) => void): Disposable {
  const where = () => `${session.status.host}:${session.status.port}`;
  // ready already when asked: that gateway is the last one
  let last = session.api ? where() : undefined;
  return session.onReady(() => {
    const at = where();
    if (last !== undefined && last !== at) changed(last, at);
    last = at;
  });
}

/**
 * Work that waits for the next ready while it fails with 504 (not
 * connected). Each wait holds one ready listener, removed when it fires: the
 * set holds only the waits in progress, however often the connection comes
 * and goes, and dispose removes those.
 */
export class ReadyWaits implements Disposable {
  private readonly pending = new Set<Disposable>();

  constructor(private readonly session: IbSession) {}

  /** Ready listeners currently held (one per wait in progress). */
  get size(): number {
    return this.pending.size;
  }

  /** Runs `work`; while it fails with 504, waits for the next ready and tries again, unless `stop()` says the caller no longer wants it. */
  async retry<T>(work: () => Promise<T>, stop: () => boolean): Promise<T> {
    for (;;) {
      try {
        return await work();
      } catch (e) {
        const code = (e as { info?: { code?: number } }).info?.code;
        if (code !== 504 || stop()) throw e;
        await this.nextReady();
      }
    }
  }

  private nextReady(): Promise<void> {
    return new Promise<void>((resolve) => {
      const listener: Disposable = this.session.onReady(() => {
        listener.dispose();
        this.pending.delete(listener);
        resolve();
      });
      this.pending.add(listener);
    });
  }

  dispose(): void {
    for (const d of this.pending) d.dispose();
    this.pending.clear();
  }
}
