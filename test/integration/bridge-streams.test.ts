import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import * as net from 'node:net';
import { openSse, request, startBridge, wsOpen, type SseEvent, type StartedBridge } from './support/bridge';
import { waitUntil } from '../support/wait';
import { fakeTime } from '../support/fake-time';
import { marketTime } from '../support/market-times';

const AAPL = 265598;
const MSFT = 272093;
const QUOTE_KEYS = ['ask', 'ask_size', 'bid', 'bid_size', 'exchange', 'price', 'symbol', 'timestamp', 'volume'];
const isQuote = (symbol: string) => (e: SseEvent) => e.event === 'quote' && (e.data as { symbol: string }).symbol === symbol;

describe('jax bridge: streams', function () {
  this.timeout(60_000);
  let b: StartedBridge;
  const linesFor = (conId: number) => b.sim.server.activeMarketData().filter((l) => l.conId === conId).length;

  beforeEach(async () => {
    b = await startBridge();
  });
  afterEach(async () => {
    await b?.stop();
  });

  it('SSE streams open by telling the client how long to wait before it reconnects (retry: 2000), before any event', async () => {
    for (const path of ['/stream/quotes?symbols=AAPL', '/stream/bars?symbol=AAPL&bar_size=5%20secs']) {
      const first = await new Promise<string>((resolve, reject) => {
        const req = http.get(`${b.url}${path}`, { headers: { accept: 'text/event-stream' }, agent: false }, (res) => {
          res.setEncoding('utf8');
          res.once('data', (chunk: string) => {
            resolve(chunk);
            req.destroy();
          });
        });
        req.on('error', reject);
      });
      assert.match(first, /^: connected\nretry: 2000\n\n/, `${path}: ${first}`);
    }
  });

  it('SSE /stream/quotes: "quote" events for every symbol, one gateway line per symbol shared with the editor, given back at the end', async () => {
    const editorSide = b.quotes.subscribe('AAPL', () => undefined);
    await waitUntil('the editor line', () => (linesFor(AAPL) === 1 ? true : undefined));
    const sse = await openSse(`${b.url}/stream/quotes?symbols=AAPL,MSFT`);
    assert.equal(sse.status, 200);
    assert.match(String(sse.res.headers['content-type']), /^text\/event-stream/);
    const a = await sse.next(isQuote('AAPL'));
    await sse.next(isQuote('MSFT'));
    assert.deepEqual(Object.keys(a.data as object).sort(), QUOTE_KEYS);
    const sse2 = await openSse(`${b.url}/stream/quotes?symbols=MSFT`);
    await sse2.next(isQuote('MSFT'));
    assert.equal(linesFor(AAPL), 1, 'AAPL: one line for the editor and the stream');
    assert.equal(linesFor(MSFT), 1, 'MSFT: one line for two streams');
    sse.close();
    sse2.close();
    await waitUntil('MSFT given back', () => (linesFor(MSFT) === 0 ? true : undefined));
    assert.equal(linesFor(AAPL), 1, 'the editor still watches AAPL');
    editorSide.dispose();
    await waitUntil('AAPL given back', () => (linesFor(AAPL) === 0 ? true : undefined));
  });

  it('SSE and WS: a quote is sent when what the client sees changes, never the same quote twice in a row', async () => {
    // a closed market: the lines are sent again (a change of data type) and IB says the same quote again
    const closed = await startBridge({}, { clock: { start: marketTime('saturday') } }, 66);
    try {
      const sse = await openSse(`${closed.url}/stream/quotes?symbols=AAPL`);
      const ws = await wsOpen(`${closed.url.replace('http', 'ws')}/ws/quotes/AAPL`);
      // every message since the socket opened (the first may come with the upgrade's answer)
      const wsQuotes = ws.messages;
      // from the first event: it may come with the response's headers
      await sse.next(isQuote('AAPL'), 10_000, 0);
      await waitUntil('the first WS quote', () => (wsQuotes.length ? true : undefined));
      const sent = () => sse.events.filter((e) => e.event === 'quote').length;
      // each sends the lines again with type 2 (auto asks frozen): the same quote, not sent again
      for (const t of ['frozen', 'auto', 'frozen'] as const) {
        const lines = closed.sim.server.activeMarketData().map((l) => l.reqId);
        closed.quotes.setMarketDataType(t);
        await waitUntil('the line sent again', () => (closed.sim.server.activeMarketData().some((l) => !lines.includes(l.reqId)) ? true : undefined));
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.equal(sent(), 1, `one quote: the market did not move (${JSON.stringify(sse.events)})`);
      assert.equal(wsQuotes.length, 1, `one WS quote: ${JSON.stringify(wsQuotes)}`);
      sse.close();
      ws.ws.close();
    } finally {
      await closed.stop();
    }
  });

  it('SSE: an unknown or a malformed symbol is an "error" event naming it and the others stream; only malformed ones are a 400, only unknown ones a 404', async () => {
    const sse = await openSse(`${b.url}/stream/quotes?symbols=NOSUCHSYM,AAPL`);
    // from the first event: IB's answer for NOSUCHSYM is known by the time the stream opens
    const err = await sse.next((e) => e.event === 'error', 10_000, 0);
    assert.equal((err.data as { symbol: string }).symbol, 'NOSUCHSYM');
    assert.match((err.data as { detail: string }).detail, /No security definition/);
    await sse.next(isQuote('AAPL'));
    sse.close();
    // one typo in a list does not take the others down
    const mixed = await openSse(`${b.url}/stream/quotes?symbols=${encodeURIComponent('MSFT,AA\u0001PL,BAD SYM BOL X')}`);
    assert.equal(mixed.status, 200);
    const named = new Set<string>();
    await mixed.next(
      (e) => {
        if (e.event === 'error') named.add((e.data as { symbol: string }).symbol);
        return named.size === 2;
      },
      10_000,
      0,
    );
    assert.deepEqual([...named].sort(), ['AA\u0001PL', 'BAD SYM BOL X'].sort());
    await mixed.next(isQuote('MSFT'));
    mixed.close();
    const bad = await request(`${b.url}/stream/quotes?symbols=${encodeURIComponent('AA\u0001PL')}`);
    assert.equal(bad.status, 400);
    const empty = await request(`${b.url}/stream/quotes?symbols=,`);
    assert.equal(empty.status, 400);
    // none IB knows: a 404 before any stream (one that ended at once had a client reconnecting on its end spin)
    const none = await request(`${b.url}/stream/quotes?symbols=NOSUCHSYM,NOSUCHSYM2`);
    assert.equal(none.status, 404, none.text);
    assert.match((none.json as { detail: string }).detail, /NOSUCHSYM, NOSUCHSYM2/);
  });

  it('SSE streams survive a gateway restart: the lines come back by themselves on the same stream', async () => {
    await b.stop();
    // the restart and the backoff on a fake clock: advanced, not waited for
    const time = fakeTime();
    b = await startBridge({}, {}, 61, time);
    const sse = await openSse(`${b.url}/stream/quotes?symbols=AAPL,MSFT`);
    await sse.next(isQuote('AAPL'));
    b.sim.server.faults.restart(400);
    await waitUntil('the drop seen', () => (b.session.manager.status.phase !== 'ready' ? true : undefined));
    await time.advanceUntil('ready again', () => b.session.manager.status.phase === 'ready', { maxMs: 20_000 });
    assert.ok(time.elapsed() >= 400, 'not back while the gateway was down');
    const from = sse.events.length;
    await sse.next(isQuote('AAPL'), 10_000, from);
    await sse.next(isQuote('MSFT'), 10_000, from);
    assert.equal(linesFor(AAPL), 1);
    sse.close();
  });

  it('SSE /stream/bars: the backfill as "bars", then "bar" updates', async () => {
    const sse = await openSse(`${b.url}/stream/bars?symbol=AAPL&bar_size=5%20secs`);
    const bars = await sse.next((e) => e.event === 'bars');
    const d = bars.data as { symbol: string; bar_size: string; candles: unknown[]; count: number };
    assert.equal(d.symbol, 'AAPL');
    assert.equal(d.bar_size, '5 secs');
    assert.ok(d.count > 0 && d.count === d.candles.length);
    const bar = await sse.next((e) => e.event === 'bar', 15_000);
    assert.deepEqual(Object.keys(bar.data as object).sort(), ['bar_size', 'close', 'high', 'low', 'open', 'symbol', 'timestamp', 'volume', 'vwap']);
    sse.close();
    const bad = await request(`${b.url}/stream/bars?symbol=AAPL&bar_size=7%20mins`);
    assert.equal(bad.status, 422, 'as POST /candles answers it');
    // and in the same body: the extension's own code for a request IB would refuse, and its kind
    const posted = await request(`${b.url}/candles/AAPL`, 'POST', { bar_size: '7 mins' });
    const pick = (j: unknown) => ({ code: (j as { code?: number }).code, category: (j as { category?: string }).category });
    assert.deepEqual(pick(bad.json), { code: 9005, category: 'request' });
    assert.deepEqual(pick(bad.json), pick(posted.json));
    const tooSmall = await request(`${b.url}/stream/bars?symbol=AAPL&bar_size=1%20secs`);
    assert.equal(tooSmall.status, 422);
    assert.match((tooSmall.json as { detail: string }).detail, /5 secs or more/);
  });

  it('SSE /stream/bars of a forex pair without what_to_show: its midpoints (forex has no trades), not an error', async () => {
    const sse = await openSse(`${b.url}/stream/bars?symbol=EUR.USD&bar_size=5%20secs`);
    const bars = await sse.next((e) => e.event === 'bars' || e.event === 'error');
    assert.equal(bars.event, 'bars', JSON.stringify(bars.data));
    const d = bars.data as { candles: Array<{ close: number; volume: number }>; count: number };
    assert.ok(d.count > 0, 'a backfill');
    assert.ok(
      d.candles.every((c) => c.close > 0.5 && c.close < 2),
      'EUR.USD prices',
    );
    sse.close();
  });

  it('WS /ws/quotes/{symbol}: the bare quote object on every change', async () => {
    const c = await wsOpen(`${b.url.replace('http', 'ws')}/ws/quotes/AAPL`);
    const q1 = (await c.next(() => true)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(q1).sort(), QUOTE_KEYS);
    assert.equal(q1.symbol, 'AAPL');
    await c.next(() => true);
    c.ws.close();
    await waitUntil('line given back', () => (linesFor(AAPL) === 0 ? true : undefined));
    await assert.rejects(wsOpen(`${b.url.replace('http', 'ws')}/ws/quotes/${encodeURIComponent('A\u0000')}`), /400/);
  });

  it('WS /ws/quotes: subscribe and unsubscribe messages; bad messages get an error and the socket lives on', async () => {
    const c = await wsOpen(`${b.url.replace('http', 'ws')}/ws/quotes`);
    c.ws.send(JSON.stringify({ action: 'subscribe', symbols: ['AAPL', 'MSFT'] }));
    assert.deepEqual(await c.next((m) => (m as { event: string }).event === 'subscribed'), { event: 'subscribed', symbols: ['AAPL', 'MSFT'] });
    const q = (await c.next((m) => (m as { event: string }).event === 'quote')) as { data: Record<string, unknown> };
    assert.deepEqual(Object.keys(q.data).sort(), QUOTE_KEYS);
    c.ws.send('not json');
    assert.match(((await c.next((m) => (m as { event: string }).event === 'error')) as { detail: string }).detail, /JSON/);
    c.ws.send(JSON.stringify({ action: 'buy', symbols: ['AAPL'] }));
    await c.next((m) => (m as { event: string }).event === 'error');
    c.ws.send(JSON.stringify({ action: 'unsubscribe', symbols: ['MSFT'] }));
    assert.deepEqual(await c.next((m) => (m as { event: string }).event === 'unsubscribed'), { event: 'unsubscribed', symbols: ['MSFT'], watching: ['AAPL'] });
    await waitUntil('MSFT given back', () => (linesFor(MSFT) === 0 ? true : undefined));
    assert.equal(linesFor(AAPL), 1);
    c.ws.close();
  });

  it('WS /ws/quotes: a malformed symbol is an error naming it, and the others of the message subscribe and stream as usual', async () => {
    const c = await wsOpen(`${b.url.replace('http', 'ws')}/ws/quotes`);
    const event = (name: string) => (m: unknown) => (m as { event: string }).event === name;
    const errors = () => c.messages.filter(event('error')) as Array<Record<string, unknown>>;
    c.ws.send(JSON.stringify({ action: 'subscribe', symbols: ['MSFT', 'BAD!!'] }));
    assert.deepEqual(await c.next(event('subscribed')), { event: 'subscribed', symbols: ['MSFT'] });
    const q = (await c.next(event('quote'))) as { data: { symbol: string } };
    assert.equal(q.data.symbol, 'MSFT');
    assert.equal(errors().length, 1, JSON.stringify(errors()));
    const [bad] = errors();
    assert.deepEqual(Object.keys(bad).sort(), ['detail', 'event', 'symbol']);
    assert.equal(bad.symbol, 'BAD!!');
    assert.match(String(bad.detail), /^The symbol is not valid: .*BAD!!/);
    assert.equal(linesFor(MSFT), 1);
    // the same for an unsubscribe: MSFT is given back, the malformed symbol named in its own error
    c.ws.send(JSON.stringify({ action: 'unsubscribe', symbols: ['A\u0000', 'MSFT'] }));
    assert.deepEqual(await c.next(event('unsubscribed')), { event: 'unsubscribed', symbols: ['MSFT'], watching: [] });
    assert.equal(errors().length, 2);
    assert.equal(errors()[1].symbol, 'A\u0000');
    await waitUntil('MSFT given back', () => (linesFor(MSFT) === 0 ? true : undefined));
    // a message of malformed symbols only: each its error, nothing watched
    c.ws.send(JSON.stringify({ action: 'subscribe', symbols: ['BAD!!', '??'] }));
    assert.deepEqual(await c.next(event('subscribed')), { event: 'subscribed', symbols: [] });
    assert.deepEqual(
      errors()
        .slice(2)
        .map((e) => e.symbol),
      ['BAD!!', '??'],
    );
    // a field the message does not take is named, as over HTTP, and nothing is done
    for (const msg of [
      { action: 'subscribe', symbols: ['MSFT'], symbol: 'AAPL' },
      { action: 'subscribe', symbols: ['MSFT'], ['__proto__']: { x: 1 } },
    ]) {
      const before = c.messages.length;
      c.ws.send(JSON.stringify(msg));
      const refused = (await c.next(event('error'))) as { detail: string };
      assert.match(refused.detail, /takes "action" and "symbols" only, not "(symbol|__proto__)"/);
      assert.equal(c.messages.slice(before).filter(event('subscribed')).length, 0);
    }
    assert.equal(linesFor(MSFT), 0, 'nothing subscribed');
    c.ws.close();
  });

  // The kernel's socket buffers (megabytes on loopback) absorb what this test can stream in seconds, so the
  // coalescing itself (node's write() returning false, then 'drain') is proven in test/unit/bridge-sse.test.ts.
  it('a reader that stops reading: the bridge answers others meanwhile, and the reader gets every symbol when it reads again', async function () {
    // eight lines: each costs two messages through the client's 40-a-second send queue (resolve, subscribe)
    const symbols = Array.from({ length: 8 }, (_, i) => `SIM${String(i + 1).padStart(3, '0')}`);
    await b.stop();
    // two seconds of a tick every millisecond on each line, on a fake clock: the load without the wait
    const time = fakeTime();
    b = await startBridge({ maxLines: 30 }, { syntheticStocks: 8, tickIntervalMs: 1 }, 64, time);
    const socket = net.connect(b.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    socket.write(`GET /stream/quotes?symbols=${symbols.join(',')} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    socket.pause();
    await waitUntil('the lines open', () => (b.sim.server.activeMarketData().length === symbols.length ? true : undefined));
    while (time.elapsed() < 2000) {
      const h = await request(`${b.url}/health`);
      assert.equal(h.status, 200);
      await time.advance(200, { stepMs: 100 });
    }
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString('utf8')));
    socket.resume();
    await time.advanceUntil('every symbol', () => symbols.every((s) => text.includes(`"symbol":"${s}"`)), { maxMs: 20_000 });
    socket.destroy();
    await waitUntil('lines given back', () => (b.sim.server.activeMarketData().length === 0 ? true : undefined));
  });
});

describe('jax bridge: a stream client reconnecting in a loop', function () {
  this.timeout(60_000);
  let b: StartedBridge;
  const REQ_MKT_DATA = 1;
  const CANCEL_MKT_DATA = 2;

  before(async () => {
    // the product's grace (streamGraceMs left to its default)
    b = await startBridge({ streamGraceMs: undefined });
  });
  after(async () => {
    await b?.stop();
  });

  it("keeps a symbol's line a moment after its last stream leaves: 20 quick reconnects send IB one subscribe, no cancel, then the line is given back", async () => {
    const sent = (id: number) => b.sim.server.receivedMessageIds().get(id) ?? 0;
    const [subs, cancels] = [sent(REQ_MKT_DATA), sent(CANCEL_MKT_DATA)];
    for (let i = 0; i < 20; i++) {
      const sse = await openSse(`${b.url}/stream/quotes?symbols=AAPL`);
      await sse.next((e) => e.event === 'quote', 10_000, 0);
      sse.close();
    }
    assert.equal(sent(REQ_MKT_DATA) - subs, 1, 'one subscribe for twenty streams');
    assert.equal(sent(CANCEL_MKT_DATA) - cancels, 0, 'no cancel while the client keeps coming back');
    await waitUntil('the line given back', () => (b.sim.server.activeMarketData().length === 0 ? true : undefined), 10_000);
    assert.equal(sent(CANCEL_MKT_DATA) - cancels, 1);
  });
});
