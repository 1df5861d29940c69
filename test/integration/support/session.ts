/**
 * Test helper: the real ConnectionManager connected to a simulator, with
 * every error it or its client reports collected, so a test can fail on a
 * decoding error (505) from @stoqey/ib.
 */
import { ConnectionManager } from '../../../src/ib/connection';
import type { Clock } from '../../../src/ib/clock';
import type { Logger } from '../../../src/ib/log';
import type { IbErrorInfo } from '../../../src/ib/types';

export interface TestSession {
  manager: ConnectionManager;
  /** Every error with a code: request errors from the client, and what the manager reports. */
  readonly seen: Array<{ code: number; reqId?: number; message: string }>;
  /** Throws when any 505/507/509 (a message the client could not read) was seen. */
  assertNoDecodingErrors(): void;
  close(): Promise<void>;
}

export async function connectSession(
  port: number,
  clientId: number,
  extra: { heartbeatIntervalMs?: number; heartbeatTimeoutMs?: number; reconnectInitialDelayMs?: number; clock?: Clock; logger?: Logger } = {},
): Promise<TestSession> {
  const manager = new ConnectionManager(
    {
      enabled: true,
      host: '127.0.0.1',
      port,
      clientId,
      simulated: true,
      heartbeatIntervalMs: extra.heartbeatIntervalMs ?? 60_000,
      heartbeatTimeoutMs: extra.heartbeatTimeoutMs ?? 10_000,
      reconnectInitialDelayMs: extra.reconnectInitialDelayMs ?? 100,
      reconnectMaxDelayMs: 500,
      // on a fake clock the handshake's real round trips must fit while the test advances it
      ...(extra.clock ? { connectTimeoutMs: 30_000 } : {}),
    },
    extra.logger,
    { clock: extra.clock },
  );
  const seen: TestSession['seen'] = [];
  manager.onIbError((e: IbErrorInfo) => seen.push({ code: e.code, reqId: e.reqId, message: e.raw ?? e.message }));
  let sub: { dispose(): void } | undefined;
  const watch = () => {
    sub?.dispose();
    sub = manager.api?.onMessage((code, reqId, message) => {
      if (reqId >= 0 || code === 505 || code === 507 || code === 509) seen.push({ code, reqId, message });
    });
  };
  manager.onReady(watch);
  await manager.connect();
  watch();
  return {
    manager,
    seen,
    assertNoDecodingErrors() {
      const bad = seen.filter((e) => e.code === 505 || e.code === 507 || e.code === 509);
      if (bad.length) throw new Error(`decoding errors: ${JSON.stringify(bad)}`);
    },
    async close() {
      sub?.dispose();
      await manager.disconnect();
      manager.dispose();
    },
  };
}

/** A weekday instant when US markets are open (Monday 2025-11-24, 10:00 New York). */
export const MARKET_OPEN = Date.UTC(2025, 10, 24, 15, 0, 0);
