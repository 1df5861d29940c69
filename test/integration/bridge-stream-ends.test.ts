import { strict as assert } from 'node:assert';
import { WebSocket } from 'ws';
import { openSse, request, startBridge, type Answer, type SseEvent, type SseReader, type StartedBridge } from './support/bridge';
import { waitUntil } from '../support/wait';

const isQuote = (e: SseEvent) => e.event === 'quote';
const eventOf = (m: unknown) => (m as { event?: string }).event;

/** Rejects when `p` has not settled within ms: a request that would hang fails the test at once instead of at its timeout. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });
}

/** A WebSocket that records its messages and how it was closed. */
function wsRecord(url: string): Promise<{ ws: WebSocket; messages: unknown[]; closed: Promise<{ code: number; reason: string }> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const messages: unknown[] = [];
    const closed = new Promise<{ code: number; reason: string }>((ok) => ws.once('close', (code, reason) => ok({ code, reason: reason.toString('utf8') })));
    ws.on('message', (raw) => messages.push(JSON.parse(String(raw)) as unknown));
    ws.once('open', () => resolve({ ws, messages, closed }));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** Resolves when the server ends the SSE response. */
const sseEnded = (sse: SseReader) => new Promise<void>((ok) => (sse.res.readableEnded ? ok() : sse.res.once('end', () => ok())));

describe('jax bridge: limits, stream ends and refusals', function () {
  this.timeout(60_000);
  let b: StartedBridge | undefined;
  const lines = () => b!.sim.server.activeMarketData().length;

  afterEach(async () => {
    await b?.stop();
    b = undefined;
  });

  it('--max-lines holds for concurrent GETs of new symbols: the one past the cap is a 429, and an unknown symbol takes no line', async () => {
    b = await startBridge({ maxLines: 1 });
    const unknown = await request(`${b.url}/quotes/NOSUCHSYM`);
    assert.equal(unknown.status, 404);
    const answers = await Promise.all(['AAPL', 'MSFT'].map((s) => request(`${b!.url}/quotes/${s}`)));
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 429], answers.map((a) => a.text).join(' | '));
    assert.match((answers.find((a) => a.status === 429)!.json as { detail: string }).detail, /1 market-data lines, its limit/);
    assert.equal(lines(), 1, 'one line, the cap');
  });

  it('WS /ws/quotes/{symbol}: an unknown symbol is one error message, then the socket closes with 1008', async () => {
    b = await startBridge();
    const c = await wsRecord(`${b.url.replace('http', 'ws')}/ws/quotes/NOSUCHSYM`);
    const { code, reason } = await within(c.closed, 10_000, 'the close');
    assert.equal(code, 1008);
    assert.equal(reason, 'unknown symbol NOSUCHSYM');
    assert.equal(c.messages.length, 1);
    const m = c.messages[0] as { event: string; symbol: string; detail: string };
    assert.equal(m.event, 'error');
    assert.equal(m.symbol, 'NOSUCHSYM');
    assert.match(m.detail, /No security definition/);
  });

  it('WS /ws/quotes: an unknown symbol is an error for that symbol and is no longer watched', async () => {
    b = await startBridge();
    const c = await wsRecord(`${b.url.replace('http', 'ws')}/ws/quotes`);
    c.ws.send(JSON.stringify({ action: 'subscribe', symbols: ['NOSUCHSYM', 'AAPL'] }));
    await waitUntil('the error', () => c.messages.find((m) => eventOf(m) === 'error'));
    const err = c.messages.find((m) => eventOf(m) === 'error') as { symbol: string; detail: string; code: number; category: string };
    assert.equal(err.symbol, 'NOSUCHSYM');
    assert.match(err.detail, /No security definition/);
    assert.deepEqual([err.code, err.category], [200, 'contract'], "IB's code and its kind, for a program to act on");
    const from = c.messages.length;
    c.ws.send(JSON.stringify({ action: 'subscribe', symbols: ['MSFT'] }));
    const sub = await waitUntil('subscribed', () => c.messages.slice(from).find((m) => eventOf(m) === 'subscribed'));
    assert.deepEqual(sub, { event: 'subscribed', symbols: ['AAPL', 'MSFT'] });
    c.ws.close();
  });

  it('SSE /stream/quotes: symbols IB knows none of are a 404 before the stream starts (a stream that ended at once makes a reconnecting client spin); opened while the gateway is away, it ends once IB says so', async () => {
    b = await startBridge();
    const r = await request(`${b.url}/stream/quotes?symbols=NOSUCHSYM`);
    assert.equal(r.status, 404, r.text);
    assert.match((r.json as { detail: string }).detail, /NOSUCHSYM/);
    assert.deepEqual([(r.json as { code: number }).code, (r.json as { category: string }).category], [200, 'contract']);
    assert.equal(lines(), 0);
    // opened while the gateway is away (nothing to ask yet), the stream ends once IB says it knows none
    await request(`${b.url}/disconnect`, 'POST');
    const sse = await openSse(`${b.url}/stream/quotes?symbols=NOSUCHSYM`);
    assert.equal(sse.status, 200);
    const ended = sseEnded(sse);
    await request(`${b.url}/connect`, 'POST', { host: '127.0.0.1', port: b.sim.port });
    const err = await sse.next((e) => e.event === 'error', 10_000, 0);
    assert.equal((err.data as { symbol: string }).symbol, 'NOSUCHSYM');
    await within(ended, 10_000, 'the end of the stream');
    assert.equal(lines(), 0);
    sse.close();
  });

  it('SSE /stream/quotes: a client that leaves while its symbols are looked up takes nothing (no line, no watcher left behind)', async () => {
    b = await startBridge();
    // the gateway answers its contract lookups late: the client gives up meanwhile
    b.sim.server.faults.delayReplies(1500);
    const http = await import('node:http');
    const req = http.get(`${b.url}/stream/quotes?symbols=MSFT,IBM`);
    req.on('error', () => undefined);
    await new Promise((r) => setTimeout(r, 300));
    req.destroy();
    b.sim.server.faults.delayReplies(0);
    await new Promise((r) => setTimeout(r, 2500));
    const metrics = (await request(`${b.url}/metrics`)).text;
    assert.match(metrics, /^ib_bridge_subscribers 0$/m, metrics);
    assert.match(metrics, /^ib_bridge_symbols 0$/m, metrics);
    assert.equal(lines(), 0);
  });

  it('SSE /stream/bars: what can never stream is refused before the stream starts (422, 404), also what the gateway refuses in its first answer, with a detail', async () => {
    b = await startBridge();
    const cases: Array<[string, number, RegExp]> = [
      ['symbol=AAPL&bar_size=1%20secs', 422, /5 secs or more/],
      ['symbol=AAPL&bar_size=5%20secs&duration=forever', 422, /not an IB duration/],
      ['symbol=AAPL&bar_size=1%20min&what_to_show=BOGUS', 422, /not an IB data type/],
      ['symbol=NOSUCHSYM&bar_size=5%20secs', 404, /No security definition/],
      ['symbol=AAPL&bar_size=7%20mins', 422, /not an IB bar size/],
    ];
    for (const [query, status, detail] of cases) {
      const sse = await openSse(`${b.url}/stream/bars?${query}`);
      sse.close();
      assert.equal(sse.status, status, query);
      const a: Answer = await within(request(`${b.url}/stream/bars?${query}`), 10_000, query);
      assert.equal(a.status, status, query);
      assert.match((a.json as { detail: string }).detail, detail, query);
    }
    // refused by the gateway in its first answer: forex has no trades, an index nothing but them (asked once each:
    // the same request again within 15 s waits for IB's pacing of identical requests)
    for (const [query, detail] of [
      ['symbol=EUR.USD&bar_size=5%20secs&what_to_show=TRADES', /no historical data of this type/i],
      [`symbol=${encodeURIComponent('SPX IND@CBOE')}&bar_size=5%20secs&what_to_show=MIDPOINT`, /no historical data of this type/i],
    ] as const) {
      const a: Answer = await within(request(`${b.url}/stream/bars?${query}`), 10_000, query);
      assert.equal(a.status, 422, `${query}: ${a.text}`);
      assert.match((a.json as { detail: string }).detail, detail, query);
    }
    assert.equal(lines(), 0);
  });

  it('HEAD on /stream/quotes and /stream/bars: the headers at once, and no line taken', async () => {
    b = await startBridge();
    for (const path of ['/stream/quotes?symbols=AAPL,MSFT', '/stream/bars?symbol=AAPL&bar_size=5%20secs']) {
      const a: Answer = await within(request(`${b.url}${path}`, 'HEAD'), 5_000, `HEAD ${path}`);
      assert.equal(a.status, 200, path);
      assert.match(String(a.headers['content-type']), /^text\/event-stream/, path);
      assert.equal(a.text, '');
    }
    // a GET after the HEADs: its line is the only one
    const sse = await openSse(`${b.url}/stream/quotes?symbols=MSFT`);
    await sse.next(isQuote);
    assert.equal(lines(), 1);
    sse.close();
  });

  it('the first streamed quote carries the exchange (WebSocket and SSE)', async () => {
    b = await startBridge();
    const c = await wsRecord(`${b.url.replace('http', 'ws')}/ws/quotes/MSFT`);
    const first = (await waitUntil('a quote', () => c.messages[0])) as { symbol: string; exchange: string };
    assert.equal(first.symbol, 'MSFT');
    assert.notEqual(first.exchange, '', JSON.stringify(first));
    c.ws.close();
    const sse = await openSse(`${b.url}/stream/quotes?symbols=AAPL`);
    const q = await sse.next(isQuote, 10_000, 0);
    assert.notEqual((q.data as { exchange: string }).exchange, '', JSON.stringify(q.data));
    sse.close();
  });
});
