import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import { WebSocket } from 'ws';
import { Bridge } from '../../src/bridge/server';
import { CandleService } from '../../src/ib/candles';
import { ContractService } from '../../src/ib/contracts';
import { QuoteService } from '../../src/ib/quotes';
import { openSse, request, SESSION_OPEN } from './support/bridge';
import { connectSession, type TestSession } from './support/session';
import { startSim } from './support/sim';

/**
 * Between the client and the gateway: each message from the gateway goes on
 * alone, 10 ms after the one before, as a gateway across a network (or a busy
 * TWS) may hand them over: a line's first picture then never comes in one
 * socket read.
 */
async function oneMessageAtATime(target: number): Promise<{ port: number; close(): void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const gateway = net.connect(target, '127.0.0.1');
    sockets.add(client).add(gateway);
    client.on('data', (d) => gateway.write(d));
    let pending = Buffer.alloc(0);
    const frames: Buffer[] = [];
    let sending = false;
    const sendNext = () => {
      const f = frames.shift();
      if (!f || client.destroyed) return void (sending = false);
      client.write(f);
      setTimeout(sendNext, 10);
    };
    gateway.on('data', (d) => {
      pending = Buffer.concat([pending, d]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const n = 4 + pending.readInt32BE(0);
        frames.push(pending.subarray(0, n));
        pending = pending.subarray(n);
      }
      if (!sending) {
        sending = true;
        sendNext();
      }
    });
    const end = () => {
      client.destroy();
      gateway.destroy();
    };
    client.on('close', end).on('error', end);
    gateway.on('close', end).on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

interface SlowBridge {
  url: string;
  stop(): Promise<void>;
}

/** The bridge over the domain, connected to a simulator through oneMessageAtATime. */
async function startSlowBridge(): Promise<SlowBridge> {
  const sim = await startSim({ clock: { start: SESSION_OPEN }, tickIntervalMs: 1000 });
  const proxy = await oneMessageAtATime(sim.port);
  let session: TestSession | undefined;
  let quotes: QuoteService | undefined;
  let candles: CandleService | undefined;
  let bridge: Bridge | undefined;
  const stop = async () => {
    await bridge?.stop();
    quotes?.dispose();
    candles?.dispose();
    await session?.close();
    proxy.close();
    await sim.stop();
    session?.assertNoDecodingErrors();
  };
  try {
    session = await connectSession(proxy.port, 64);
    const contracts = new ContractService(session.manager);
    quotes = new QuoteService(session.manager, contracts);
    candles = new CandleService(session.manager, contracts);
    bridge = new Bridge({ connection: session.manager, contracts, quotes, candles }, { port: 0, version: '9.9.9-test', connectionControl: 'own' });
    const { url } = await bridge.start();
    return { url, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

type QuoteFields = Record<string, number>;

/**
 * A whole first picture: both sides of the book with their sizes, the day's
 * volume (stocks), a forex price that is the mid (no binary noise); with
 * `gatewayClock`, stamped on the gateway's clock.
 */
function assertWhole(symbol: string, q: QuoteFields, text = JSON.stringify(q), gatewayClock = false): void {
  for (const k of ['bid', 'ask', 'bid_size', 'ask_size']) assert.ok(q[k] > 0, `${k} in ${text}`);
  assert.ok(q.ask > q.bid, `a book, not a crossed one: ${text}`);
  if (symbol.includes('.')) assert.ok(Math.abs(q.price - (q.bid + q.ask) / 2) < 1e-9, `a forex price is the mid of bid and ask: ${text}`);
  else assert.ok(q.volume > 0, `volume in ${text}`);
  if (gatewayClock) {
    // the simulated gateway's clock runs on 17 November; forex (no trade time) as stocks
    const at = Date.parse((q as unknown as { timestamp: string }).timestamp);
    assert.ok(Math.abs(at - SESSION_OPEN) < 10 * 60_000, `the gateway's time, not this machine's: ${text}`);
  }
  // a forex mid has at most one decimal more than its bid and ask (no 1.3181500000000002)
  const decimals = (x: number) => (String(x).split('.')[1] ?? '').length;
  assert.ok(decimals(q.price) <= Math.max(decimals(q.bid), decimals(q.ask)) + 1, `price ${q.price} from ${q.bid} / ${q.ask}`);
}

/**
 * The first message of a WebSocket for each of `want` (`keyOf` names what a
 * message is the first of, or undefined to skip it), sending `send` once open.
 */
function firstMessages(url: string, want: string[], keyOf: (m: unknown) => string | undefined, send?: unknown): Promise<Map<string, unknown>> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const first = new Map<string, unknown>();
    const timer = setTimeout(() => (ws.close(), reject(new Error(`not every first message from ${url} within 10 s: ${JSON.stringify([...first])}`))), 10_000);
    ws.on('message', (raw) => {
      const m = JSON.parse(String(raw)) as unknown;
      const key = keyOf(m);
      if (key === undefined || first.has(key)) return;
      first.set(key, m);
      if (!want.every((k) => first.has(k))) return;
      clearTimeout(timer);
      ws.close();
      resolve(first);
    });
    ws.once('open', () => send !== undefined && ws.send(JSON.stringify(send)));
    ws.once('error', reject);
  });
}

describe('jax bridge: the first GET of a symbol answers with its whole first picture, on the gateway clock', function () {
  this.timeout(60_000);
  let bridge: SlowBridge;
  let url: string;

  before(async () => {
    bridge = await startSlowBridge();
    ({ url } = bridge);
  });
  after(async () => {
    await bridge?.stop();
  });

  for (const symbol of ['AAPL', 'KO', 'EUR.USD', 'USD.JPY']) {
    it(`${symbol}: bid and ask with their sizes${symbol.includes('.') ? '' : ', and the day’s volume'}, not the bid alone`, async () => {
      const a = await request(`${url}/quotes/${symbol}`);
      assert.equal(a.status, 200, a.text);
      assertWhole(symbol, a.json as QuoteFields, a.text, true);
    });
  }
});

describe('jax bridge: a stream’s first quote of a new line is its whole first picture, as the first GET', function () {
  this.timeout(60_000);
  // every test opens its lines afresh: a bridge of its own
  let bridge: SlowBridge | undefined;
  afterEach(async () => {
    await bridge?.stop();
    bridge = undefined;
  });

  it('SSE /stream/quotes: the first "quote" of each symbol has bid and ask with their sizes, a stock its volume, forex the mid', async () => {
    bridge = await startSlowBridge();
    const sse = await openSse(`${bridge.url}/stream/quotes?symbols=KO,EUR.USD`);
    for (const symbol of ['KO', 'EUR.USD']) {
      const e = await sse.next((x) => x.event === 'quote' && (x.data as { symbol: string }).symbol === symbol, 10_000, 0);
      assertWhole(symbol, e.data as QuoteFields, undefined, true);
    }
    // a client joining a line already whole is handed its quote as it is
    const joined = await openSse(`${bridge.url}/stream/quotes?symbols=EUR.USD`);
    assertWhole('EUR.USD', (await joined.next((x) => x.event === 'quote', 10_000, 0)).data as QuoteFields);
    sse.close();
    joined.close();
  });

  it('WS /ws/quotes/{symbol} (the jax Go provider): the first message is the whole first picture, stock and forex', async () => {
    bridge = await startSlowBridge();
    const ws = bridge.url.replace('http', 'ws');
    for (const symbol of ['AAPL', 'EUR.USD']) {
      const first = await firstMessages(`${ws}/ws/quotes/${symbol}`, [symbol], (m) => (m as { symbol?: string }).symbol);
      assertWhole(symbol, first.get(symbol) as QuoteFields, undefined, true);
    }
  });

  it('WS /ws/quotes: the first "quote" of each subscribed symbol is its whole first picture', async () => {
    bridge = await startSlowBridge();
    const symbols = ['MSFT', 'GBP.USD'];
    const quoteOf = (m: unknown) => ((m as { event?: string }).event === 'quote' ? (m as { data: { symbol: string } }).data.symbol : undefined);
    const first = await firstMessages(`${bridge.url.replace('http', 'ws')}/ws/quotes`, symbols, quoteOf, { action: 'subscribe', symbols });
    for (const symbol of symbols) assertWhole(symbol, (first.get(symbol) as { data: QuoteFields }).data, undefined, true);
  });
});
