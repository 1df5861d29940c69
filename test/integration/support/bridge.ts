/**
 * Test helpers for the jax bridge: a simulator with a pinned clock, the real
 * domain connected to it over TCP, the bridge on a free port; an HTTP client
 * that returns status, headers and parsed JSON; an SSE reader over node:http.
 */
import * as http from 'node:http';
import { WebSocket } from 'ws';
import { Bridge } from '../../../src/bridge/server';
import type { BridgeOptions } from '../../../src/bridge/types';
import { CandleService } from '../../../src/ib/candles';
import { ContractService } from '../../../src/ib/contracts';
import { QuoteService } from '../../../src/ib/quotes';
import type { SimOptions } from '../../../src/sim/server';
import type { FakeTime } from '../../support/fake-time';
import { marketTime } from '../../support/market-times';
import { connectSession, type TestSession } from './session';
import { startSim, type StartedSim } from './sim';

/** Tuesday 2026-11-17 10:00 New York: a regular session. */
export const SESSION_OPEN = marketTime('regularSession');

export interface StartedBridge {
  sim: StartedSim;
  session: TestSession;
  bridge: Bridge;
  quotes: QuoteService;
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** The bridge over the domain and a simulator; with `time`, the simulator, the connection and the pacing queue run on that fake clock. */
export async function startBridge(options: Partial<BridgeOptions> = {}, sim: SimOptions = {}, clientId = 61, time?: FakeTime): Promise<StartedBridge> {
  const s = await startSim({ clock: { start: SESSION_OPEN }, tickIntervalMs: 40, scheduler: time?.scheduler, ...sim });
  const session = await connectSession(s.port, clientId, { clock: time?.clock });
  const contracts = new ContractService(session.manager, undefined, { clock: time?.clock });
  const quotes = new QuoteService(session.manager, contracts);
  const candles = new CandleService(session.manager, contracts, undefined, { clock: time?.clock });
  const bridge = new Bridge(
    { connection: session.manager, contracts, quotes, candles },
    // lines given back at once when the last stream leaves (the grace, streamGraceMs, has its own test)
    { port: 0, version: '9.9.9-test', connectionControl: 'own', streamGraceMs: 0, ...options },
  );
  const { url, port } = await bridge.start();
  return {
    sim: s,
    session,
    bridge,
    quotes,
    url,
    port,
    async stop() {
      await bridge.stop();
      quotes.dispose();
      candles.dispose();
      await session.close();
      await s.stop();
      session.assertNoDecodingErrors();
    },
  };
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: unknown;
}

/** One request over a fresh connection; JSON body when `body` is an object, as is when a string. */
export function request(url: string, method = 'GET', body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const h: Record<string, string> = { connection: 'close', ...headers };
    if (payload !== undefined && !('content-type' in h)) h['content-type'] = 'application/json';
    const req = http.request(url, { method, headers: h, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

export interface SseEvent {
  event: string;
  data: unknown;
}

export interface SseReader {
  status: number;
  events: SseEvent[];
  /** Resolves with the first event (from now on, or already seen when `seen` is true) that matches. */
  next(match: (e: SseEvent) => boolean, timeoutMs?: number, from?: number): Promise<SseEvent>;
  res: http.IncomingMessage;
  close(): void;
}

/** Opens an SSE stream and parses its events as they come. */
export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseReader> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { accept: 'text/event-stream', ...headers }, agent: false }, (res) => {
      const events: SseEvent[] = [];
      const waiters: Array<{ match: (e: SseEvent) => boolean; done: (e: SseEvent) => void }> = [];
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          let event = '';
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          if (!event) continue;
          const e = { event, data: JSON.parse(data) as unknown };
          events.push(e);
          for (const w of [...waiters]) {
            if (w.match(e)) {
              waiters.splice(waiters.indexOf(w), 1);
              w.done(e);
            }
          }
        }
      });
      resolve({
        status: res.statusCode ?? 0,
        events,
        res,
        next(match, timeoutMs = 10_000, from = events.length) {
          const seen = events.slice(from).find(match);
          if (seen) return Promise.resolve(seen);
          return new Promise((ok, fail) => {
            const timer = setTimeout(
              () => fail(new Error(`no matching event within ${timeoutMs} ms; got ${events.length} events, last ${JSON.stringify(events.slice(-3))}`)),
              timeoutMs,
            );
            waiters.push({ match, done: (e) => (clearTimeout(timer), ok(e)) });
          });
        },
        close() {
          req.destroy();
        },
      });
    });
    req.on('error', reject);
  });
}

/** A WebSocket client: every message parsed, and `next` waits for one that matches (from now on). */
export function wsOpen(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ ws: WebSocket; messages: unknown[]; next(match: (m: unknown) => boolean, timeoutMs?: number): Promise<unknown> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const messages: unknown[] = [];
    const waiters: Array<{ match: (m: unknown) => boolean; done: (m: unknown) => void }> = [];
    ws.on('message', (raw) => {
      const m = JSON.parse(String(raw)) as unknown;
      messages.push(m);
      for (const w of [...waiters]) {
        if (!w.match(m)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.done(m);
      }
    });
    ws.once('open', () =>
      resolve({
        ws,
        messages,
        next(match, timeoutMs = 10_000) {
          const from = messages.length;
          return new Promise((ok, fail) => {
            const seen = messages.slice(from).find(match);
            if (seen) return ok(seen);
            const timer = setTimeout(() => fail(new Error(`no matching message in ${timeoutMs} ms: ${JSON.stringify(messages.slice(-3))}`)), timeoutMs);
            waiters.push({ match, done: (m) => (clearTimeout(timer), ok(m)) });
          });
        },
      }),
    );
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** The status of a WebSocket upgrade: 101 when it opened (then closed at once), else the HTTP status it was refused with. */
export function wsStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', reject);
  });
}

/** Minutes after midnight in New York of an RFC 3339 time. */
export function newYorkMinutes(iso: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(
    new Date(iso),
  );
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return get('hour') * 60 + get('minute');
}
