/**
 * Streams tell their clients whether the gateway is there: "status" when a
 * stream opens and each time what it says changes (a restart, POST
 * /disconnect, POST /connect, IB's link lost, a data farm down), in GET
 * /health's words; the jax Go provider's per-symbol
 * WebSocket gets quotes only (and, when asked, is closed with 1013 when the
 * gateway goes). WebSocket clients that no longer answer pings
 * are ended and give their lines back.
 */
import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import { WebSocket } from 'ws';
import { openSse, request, startBridge, type SseEvent, type StartedBridge } from './support/bridge';
import { waitUntil } from '../support/wait';
import { fakeTime } from '../support/fake-time';
import type { BridgeOptions } from '../../src/bridge/types';

const AAPL = 265598;
const QUOTE_KEYS = ['ask', 'ask_size', 'bid', 'bid_size', 'exchange', 'price', 'symbol', 'timestamp', 'volume'];

interface Status {
  event?: string;
  connected: boolean;
  status: string;
  detail: string;
}

const isStatus = (connected: boolean) => (e: SseEvent) => e.event === 'status' && (e.data as Status).connected === connected;
const statusesOf = (events: SseEvent[]) => events.filter((e) => e.event === 'status').map((e) => (e.data as Status).connected);
const eventOf = (m: unknown) => (m as { event?: string }).event;
/** `connected` as it changed: consecutive statuses that say the same collapsed (the detail may say more in between). */
const runs = (xs: boolean[]) => xs.filter((x, i) => i === 0 || x !== xs[i - 1]);

/** A WebSocket that records its messages and the pings it got. */
function wsRecord(url: string): Promise<{ ws: WebSocket; messages: unknown[]; pings: () => number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const messages: unknown[] = [];
    let pings = 0;
    ws.on('ping', () => pings++);
    ws.on('message', (raw) => messages.push(JSON.parse(String(raw)) as unknown));
    ws.once('open', () => resolve({ ws, messages, pings: () => pings }));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** A WebSocket peer that upgrades over a raw socket and then never answers anything (a peer that is gone). */
function deadPeer(port: number, path: string): Promise<{ socket: net.Socket; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const closed = new Promise<void>((ok) => socket.once('close', () => ok()));
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      // what comes later (quotes, pings) is read and ignored: no pong ever goes back
      socket.on('data', () => undefined);
      if (!head.startsWith('HTTP/1.1 101')) return reject(new Error(`upgrade refused: ${head.split('\r\n')[0]}`));
      resolve({ socket, closed });
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.once('connect', () =>
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      ),
    );
  });
}

describe('jax bridge: stream status', function () {
  this.timeout(60_000);
  let b: StartedBridge | undefined;
  const linesFor = (conId: number) => b!.sim.server.activeMarketData().filter((l) => l.conId === conId).length;

  afterEach(async () => {
    await b?.stop();
    b = undefined;
  });

  it('SSE /stream/quotes: "status" at once, then on POST /disconnect and POST /connect, once per change', async () => {
    b = await startBridge();
    const sse = await openSse(`${b.url}/stream/quotes?symbols=AAPL`);
    const first = await sse.next(() => true, 10_000, 0);
    assert.equal(first.event, 'status', 'the first event is the status');
    assert.deepEqual(Object.keys(first.data as object).sort(), ['connected', 'detail', 'status']);
    assert.equal((first.data as Status).connected, true);
    assert.equal((first.data as Status).status, 'healthy');
    assert.match((first.data as Status).detail, /Connected to IB Gateway\/TWS at 127\.0\.0\.1:\d+/);
    await sse.next((e) => e.event === 'quote');

    let from = sse.events.length;
    assert.equal((await request(`${b.url}/disconnect`, 'POST')).status, 200);
    const down = (await sse.next(isStatus(false), 10_000, from)).data as Status;
    assert.equal(down.status, 'degraded');
    assert.match(down.detail, /Not connected to IB Gateway\/TWS/);

    from = sse.events.length;
    await request(`${b.url}/connect`, 'POST', { port: b.sim.port, client_id: 64 });
    await sse.next(isStatus(true), 10_000, from);
    // disconnected, connecting and ready: said as each is, two changes of `connected`
    const said = statusesOf(sse.events);
    assert.deepEqual(runs(said), [true, false, true]);
    await sse.next((e) => e.event === 'quote', 10_000, sse.events.length);
    assert.deepEqual(statusesOf(sse.events), said, 'quotes bring no more status events');
    sse.close();
  });

  it('SSE /stream/quotes opened while the gateway is away: 200, then "status" not connected in /health\'s words, and no quote', async () => {
    b = await startBridge();
    // a polled symbol: the bridge holds its last quote
    assert.equal((await request(`${b.url}/quotes/AAPL`)).status, 200);
    await request(`${b.url}/disconnect`, 'POST');
    const sse = await openSse(`${b.url}/stream/quotes?symbols=AAPL`);
    assert.equal(sse.status, 200);
    const first = await sse.next(() => true, 10_000, 0);
    assert.equal(first.event, 'status');
    const health = (await request(`${b.url}/health`)).json as { status: string; connected: boolean };
    assert.deepEqual(
      { connected: (first.data as Status).connected, status: (first.data as Status).status },
      { connected: health.connected, status: health.status },
    );
    assert.equal(health.status, 'degraded');
    // the last quote heard before the gateway went is not the market's now
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(
      sse.events.filter((e) => e.event === 'quote'),
      [],
      'no quote while not connected',
    );
    sse.close();
  });

  it('SSE /stream/bars: "status" before the backfill, and when the gateway goes', async () => {
    b = await startBridge();
    const sse = await openSse(`${b.url}/stream/bars?symbol=AAPL&bar_size=5%20secs`);
    const first = await sse.next(() => true, 10_000, 0);
    assert.equal(first.event, 'status');
    assert.equal((first.data as Status).connected, true);
    await sse.next((e) => e.event === 'bars');
    const from = sse.events.length;
    await request(`${b.url}/disconnect`, 'POST');
    assert.equal(((await sse.next(isStatus(false), 10_000, from)).data as Status).status, 'degraded');
    sse.close();
  });

  it('a gateway restart: SSE and WS /ws/quotes hear "not connected" while it is down and "connected" when it is back', async () => {
    // the restart and the backoff on a fake clock: advanced, not waited for
    const time = fakeTime();
    b = await startBridge({}, {}, 61, time);
    const sse = await openSse(`${b.url}/stream/quotes?symbols=AAPL`);
    const ws = await wsRecord(`${b.url.replace('http', 'ws')}/ws/quotes`);
    await waitUntil('the WS status', () => ws.messages.find((m) => eventOf(m) === 'status'));
    assert.deepEqual(Object.keys(ws.messages[0] as object).sort(), ['connected', 'detail', 'event', 'status']);
    assert.equal((ws.messages[0] as Status).connected, true);
    ws.ws.send(JSON.stringify({ action: 'subscribe', symbols: ['AAPL'] }));
    await sse.next((e) => e.event === 'quote', 10_000, 0);
    await waitUntil('a WS quote', () => ws.messages.find((m) => eventOf(m) === 'quote'));

    let from = sse.events.length;
    b.sim.server.faults.restart(400);
    const down = (await sse.next(isStatus(false), 10_000, from)).data as Status;
    assert.equal(down.status, 'degraded');
    assert.match(down.detail, /IB Gateway\/TWS/);
    // the first try after the drop is attempt 1 (its backoff a step later after a session this short, its count not)
    assert.match(down.detail, /\(attempt 1\)/);
    const wsDown = (await waitUntil('the WS hears it', () => ws.messages.find((m) => eventOf(m) === 'status' && !(m as Status).connected))) as Status;
    assert.equal(wsDown.status, 'degraded');
    from = sse.events.length;
    await time.advanceUntil('ready again', () => b!.session.manager.status.phase === 'ready', { maxMs: 20_000 });
    await sse.next(isStatus(true), 10_000, from);
    await waitUntil('the WS hears it is back', () =>
      ws.messages.find((m) => eventOf(m) === 'status' && (m as Status).connected && (m as Status).status === 'healthy'),
    );
    // while down, a status only when what it says changes (the attempt, its error): never two alike in a row
    assert.deepEqual(runs(statusesOf(sse.events)), [true, false, true]);
    const details = sse.events.filter((e) => e.event === 'status').map((e) => JSON.stringify(e.data));
    assert.ok(
      details.every((d, i) => i === 0 || d !== details[i - 1]),
      `no status repeated: ${details.join('\n')}`,
    );
    assert.deepEqual(runs(ws.messages.filter((m) => eventOf(m) === 'status').map((m) => (m as Status).connected)), [true, false, true]);
    sse.close();
    ws.ws.close();
  });

  it('IB loses its link to its servers (1100): /health and the streams say degraded while connected, GET /quotes is 503 until 1102', async () => {
    b = await startBridge();
    const sse = await openSse(`${b.url}/stream/quotes?symbols=AAPL`);
    await sse.next((e) => e.event === 'quote');
    let from = sse.events.length;
    b.sim.server.faults.connectivityLost();
    const lost = (await sse.next((e) => e.event === 'status' && (e.data as Status).status === 'degraded', 10_000, from)).data as Status;
    assert.equal(lost.connected, true, 'the socket to the gateway is still there');
    assert.match(lost.detail, /lost its connection to IB's servers: prices are not updating until IB restores it/);
    const health = (await request(`${b.url}/health`)).json as { status: string; connected: boolean };
    assert.deepEqual(health, { ...health, status: 'degraded', connected: true });
    const q = await request(`${b.url}/quotes/AAPL`);
    assert.equal(q.status, 503, q.text);
    const refused = q.json as { detail: string; code: number; category: string };
    assert.deepEqual([refused.code, refused.category], [1100, 'connectivity']);
    assert.match(refused.detail, /lost its connection to IB's servers/);
    from = sse.events.length;
    b.sim.server.faults.connectivityRestored(false);
    const back = (await sse.next((e) => e.event === 'status' && (e.data as Status).status === 'healthy', 10_000, from)).data as Status;
    assert.equal(back.connected, true);
    assert.equal(((await request(`${b.url}/health`)).json as { status: string }).status, 'healthy');
    assert.equal((await request(`${b.url}/quotes/AAPL`)).status, 200);
    sse.close();
  });

  it('2110, the link broken: degraded while connected, GET /quotes 503, healthy again at the farm OK that ends it', async () => {
    b = await startBridge();
    const sse = await openSse(`${b.url}/stream/quotes?symbols=AAPL`);
    await sse.next((e) => e.event === 'quote');
    let from = sse.events.length;
    b.sim.server.faults.serverLinkBroken(1500);
    const lost = (await sse.next((e) => e.event === 'status' && (e.data as Status).status === 'degraded', 10_000, from)).data as Status;
    assert.equal(lost.connected, true);
    assert.match(lost.detail, /lost its connection to IB's servers/);
    assert.equal((await request(`${b.url}/quotes/AAPL`)).status, 503);
    from = sse.events.length;
    const back = (await sse.next((e) => e.event === 'status' && (e.data as Status).status === 'healthy', 10_000, from)).data as Status;
    assert.equal(back.connected, true);
    assert.equal((await request(`${b.url}/quotes/AAPL`)).status, 200);
    sse.close();
  });

  it('a market data farm down (2103): /health and the streams say degraded and name the farm, healthy again at 2104; quotes still served', async () => {
    b = await startBridge();
    const sse = await openSse(`${b.url}/stream/quotes?symbols=AAPL`);
    await sse.next((e) => e.event === 'quote');
    const from = sse.events.length;
    b.sim.server.faults.farmBlip(1500);
    const down = (await sse.next((e) => e.event === 'status' && (e.data as Status).status === 'degraded', 10_000, from)).data as Status;
    assert.equal(down.connected, true);
    assert.match(down.detail, /data farm \S+ down/);
    assert.equal(((await request(`${b.url}/health`)).json as { status: string }).status, 'degraded');
    assert.equal((await request(`${b.url}/quotes/AAPL`)).status, 200, 'another farm may serve it: IB does not say whose');
    await sse.next((e) => e.event === 'status' && (e.data as Status).status === 'healthy', 10_000, sse.events.length);
    assert.equal(((await request(`${b.url}/health`)).json as { status: string }).status, 'healthy');
    sse.close();
  });

  it('WS /ws/quotes/{symbol} (the jax Go provider): only bare quote objects, also while the gateway comes and goes', async () => {
    b = await startBridge();
    const c = await wsRecord(`${b.url.replace('http', 'ws')}/ws/quotes/AAPL`);
    await waitUntil('a quote', () => c.messages[0]);
    await request(`${b.url}/disconnect`, 'POST');
    await request(`${b.url}/connect`, 'POST', { port: b.sim.port, client_id: 65 });
    const from = c.messages.length;
    await waitUntil('quotes again', () => (c.messages.length > from ? true : undefined));
    for (const m of c.messages) assert.deepEqual(Object.keys(m as object).sort(), QUOTE_KEYS);
    c.ws.close();
  });

  it('WS /ws/quotes/{symbol}?on_gateway_lost=close: quotes, then a close with 1013 when the gateway goes, and its line given back', async () => {
    b = await startBridge();
    const c = await wsRecord(`${b.url.replace('http', 'ws')}/ws/quotes/AAPL?on_gateway_lost=close`);
    const closed = new Promise<{ code: number; reason: string }>((ok) => c.ws.once('close', (code, reason) => ok({ code, reason: String(reason) })));
    await waitUntil('a quote', () => c.messages[0]);
    for (const m of c.messages) assert.deepEqual(Object.keys(m as object).sort(), QUOTE_KEYS, 'quote objects only');
    await request(`${b.url}/disconnect`, 'POST');
    const { code, reason } = await closed;
    assert.equal(code, 1013, 'try again later');
    assert.match(reason, /gateway is not connected/);
    await request(`${b.url}/connect`, 'POST', { port: b.sim.port, client_id: 66 });
    // once the lines still watched are sent again (MSFT's quote comes), AAPL's is not among them
    const other = await wsRecord(`${b.url.replace('http', 'ws')}/ws/quotes/MSFT`);
    await waitUntil('an MSFT quote', () => other.messages[0]);
    assert.equal(linesFor(AAPL), 0, 'the closed socket gave its line back');
    other.ws.close();
  });

  it('WS /ws/quotes/{symbol}?on_gateway_lost=close opened while the gateway is away: closed at once with 1013; a bad value is refused', async () => {
    b = await startBridge();
    await request(`${b.url}/disconnect`, 'POST');
    const c = await wsRecord(`${b.url.replace('http', 'ws')}/ws/quotes/AAPL?on_gateway_lost=close`);
    const code = await new Promise<number>((ok) => c.ws.once('close', (n) => ok(n)));
    assert.equal(code, 1013);
    assert.deepEqual(c.messages, [], 'nothing that would read as a quote');
    await assert.rejects(wsRecord(`${b.url.replace('http', 'ws')}/ws/quotes/AAPL?on_gateway_lost=later`), /upgrade refused: 400/);
  });

  it('WebSocket pings: a peer that never answers is ended and its line given back; one that answers stays', async () => {
    const options: Partial<BridgeOptions> = { wsPingMs: 100 };
    b = await startBridge(options);
    const alive = await wsRecord(`${b.url.replace('http', 'ws')}/ws/quotes`);
    const dead = await deadPeer(b.port, '/ws/quotes/AAPL');
    await waitUntil('the line taken', () => (linesFor(AAPL) === 1 ? true : undefined));
    let ended = false;
    void dead.closed.then(() => (ended = true));
    await waitUntil('the dead peer ended', () => ended, 5_000);
    await waitUntil('its line given back', () => (linesFor(AAPL) === 0 ? true : undefined), 5_000);
    assert.ok(alive.pings() >= 2, `the live client was pinged (${alive.pings()} pings)`);
    assert.equal(alive.ws.readyState, WebSocket.OPEN, 'the client that answers stays');
    assert.equal(b.bridge.streamClients, 1);
    alive.ws.close();
  });
});
