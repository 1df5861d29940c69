/**
 * Test helpers: a simulator on a free port, and @stoqey/ib clients connected
 * to it over real TCP that collect every error and info message, so a test
 * can fail on any decoding error (505) or anything it did not expect.
 */
import { EventName, IBApi, IBApiNext, LogLevel, type IBApiNextError } from '@stoqey/ib';
import { SimServer, type SimOptions } from '../../../src/sim/server';
import { simClockAt } from '../../support/market-times';

export interface StartedSim {
  server: SimServer;
  host: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * A simulator on 127.0.0.1 and a free port; quiet unless SIM_LOG is set. Its
 * market clock starts in a regular US session (Tuesday 10:00 New York) unless
 * the test names another time: never the wall clock.
 */
export async function startSim(options: SimOptions = {}): Promise<StartedSim> {
  const server = new SimServer({
    port: 0,
    clock: simClockAt('regularSession'),
    log: process.env.SIM_LOG ? (l) => console.log(`    [sim] ${l}`) : undefined,
    ...options,
  });
  const { host, port } = await server.start();
  return { server, host, port, stop: () => server.stop() };
}

/**
 * A simulator speaking `serverVersion` and a client on it with no message-rate
 * limit on either side (no 40-a-second client queue, no 50-a-second gateway
 * limit, no historical pacing): for tests about what the answers say, not the
 * rate (sim-limits-faults proves that).
 */
export async function startUnpaced(serverVersion: number): Promise<{ sim: StartedSim; client: ApiClient }> {
  const sim = await startSim({
    clock: simClockAt('regularSession'),
    serverVersion,
    tickIntervalMs: 50,
    // current time is these tests' round trip, asked more than once a second
    limits: { historicalPacing: false, messagesPerSecond: 0, currentTimeOncePerSecond: false },
  });
  const client = await connectApi(sim.port, 1, { maxReqPerSec: 1000 });
  return { sim, client };
}

/** An error or info message as a client received it. */
export interface Received {
  code: number;
  message: string;
  reqId: number;
}

export interface Collector {
  /** ERR_MSG with a request id, and the client's own errors (505 decoding errors among them). */
  readonly errors: Received[];
  /** ERR_MSG with id -1 (farm status, 1100/1101/1102, 326, 100...). */
  readonly infos: Received[];
  /** 505 decoding errors and other client-side protocol errors (5xx). */
  decodingErrors(): Received[];
  /** Throws when a decoding error arrived. */
  assertClean(): void;
  /** Resolves with the first error or info with this code (and reqId, when given). */
  waitFor(code: number, reqId?: number, timeoutMs?: number): Promise<Received>;
}

function createCollector(): Collector & { push(kind: 'errors' | 'infos', r: Received): void } {
  const errors: Received[] = [];
  const infos: Received[] = [];
  const waiters: Array<{ code: number; reqId?: number; resolve: (r: Received) => void }> = [];
  const matches = (r: Received, code: number, reqId?: number): boolean => r.code === code && (reqId === undefined || r.reqId === reqId);
  return {
    errors,
    infos,
    push(kind, r) {
      (kind === 'errors' ? errors : infos).push(r);
      for (const w of [...waiters]) {
        if (matches(r, w.code, w.reqId)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(r);
        }
      }
    },
    decodingErrors() {
      return [...errors, ...infos].filter((e) => e.code === 505 || e.code === 507 || e.code === 508);
    },
    assertClean() {
      const bad = this.decodingErrors();
      if (bad.length) throw new Error(`decoding errors: ${bad.map((e) => `${e.code} ${e.message}`).join(' | ')}`);
    },
    waitFor(code, reqId, timeoutMs = 10_000) {
      const seen = [...errors, ...infos].find((r) => matches(r, code, reqId));
      if (seen) return Promise.resolve(seen);
      return new Promise<Received>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(
            new Error(`no message ${code}${reqId !== undefined ? ` for #${reqId}` : ''} within ${timeoutMs} ms; got ${JSON.stringify([...errors, ...infos])}`),
          );
        }, timeoutMs);
        const w = {
          code,
          reqId,
          resolve: (r: Received) => {
            clearTimeout(timer);
            resolve(r);
          },
        };
        waiters.push(w);
      });
    },
  };
}

export interface ApiClient extends Collector {
  api: IBApi;
  /** Resolves once the socket is closed. */
  disconnect(): Promise<void>;
}

function waitDisconnected(api: IBApi): Promise<void> {
  return new Promise((resolve) => {
    if (!api.isConnected) {
      resolve();
      return;
    }
    const timer = setTimeout(resolve, 2000);
    api.once(EventName.disconnected, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** An IBApi connected to the simulator and ready (NEXT_VALID_ID received). */
export async function connectApi(
  port: number,
  clientId: number,
  options: { maxReqPerSec?: number; host?: string; timeoutMs?: number } = {},
): Promise<ApiClient> {
  const api = new IBApi({ host: options.host ?? '127.0.0.1', port, maxReqPerSec: options.maxReqPerSec });
  const collector = createCollector();
  api.on(EventName.error, (error: Error, code: number, reqId: number) => collector.push('errors', { code, message: error.message, reqId }));
  api.on(EventName.info, (message: string, code: number) => collector.push('infos', { code, message, reqId: -1 }));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`client ${clientId} not ready within ${options.timeoutMs ?? 10_000} ms`)), options.timeoutMs ?? 10_000);
    api.once(EventName.nextValidId, () => {
      clearTimeout(timer);
      resolve();
    });
    api.once(EventName.disconnected, () => {
      clearTimeout(timer);
      reject(new Error(`client ${clientId} was disconnected before it was ready: ${JSON.stringify([...collector.errors, ...collector.infos])}`));
    });
  });
  api.connect(clientId);
  try {
    await ready;
  } catch (e) {
    api.disconnect();
    throw e;
  }
  return Object.assign(collector, {
    api,
    async disconnect() {
      const closed = waitDisconnected(api);
      api.disconnect();
      await closed;
    },
  });
}

export interface ApiNextClient extends Collector {
  api: IBApiNext;
  disconnect(): void;
}

/** An IBApiNext connected to the simulator, resolved once it is connected and has its next valid id. */
export async function connectApiNext(
  port: number,
  clientId: number,
  options: { reconnectInterval?: number; host?: string; timeoutMs?: number } = {},
): Promise<ApiNextClient> {
  const collector = createCollector();
  const logger = {
    info: (_tag: string, ...args: unknown[]) => {
      const text = args.map(String).join(' ');
      const m = /^(.*) - Code: (\d+)$/s.exec(text);
      if (m) collector.push('infos', { code: Number(m[2]), message: m[1], reqId: -1 });
    },
    warn: () => undefined,
    error: () => undefined,
    debug: () => undefined,
  };
  const api = new IBApiNext({ host: options.host ?? '127.0.0.1', port, reconnectInterval: options.reconnectInterval ?? 0, logger });
  api.logLevel = LogLevel.INFO;
  const subs: Array<{ unsubscribe(): void }> = [];
  subs.push(api.errorSubject.subscribe((e: IBApiNextError) => collector.push('errors', { code: e.code, message: e.error.message, reqId: e.reqId })));
  api.connect(clientId);
  const timeoutMs = options.timeoutMs ?? 10_000;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`IBApiNext client ${clientId} not ready within ${timeoutMs} ms`)), timeoutMs);
      // getCurrentTime is queued until NEXT_VALID_ID, so its answer means "ready".
      api
        .getCurrentTime()
        .then(() => {
          clearTimeout(timer);
          resolve();
        })
        .catch((e: unknown) => {
          clearTimeout(timer);
          reject(e instanceof Error ? e : new Error(String((e as IBApiNextError).error?.message ?? e)));
        });
    });
  } catch (e) {
    api.disconnect();
    throw e;
  }
  return Object.assign(collector, {
    api,
    disconnect() {
      for (const s of subs) s.unsubscribe();
      api.disconnect();
    },
  });
}

/** The bytes a TWS API client opens with: "API\0" and its length-prefixed version range ("v100..193"). */
export function handshake(range: string): Buffer {
  const text = Buffer.from(range, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(text.length, 0);
  return Buffer.concat([Buffer.from('API\0', 'latin1'), len, text]);
}
