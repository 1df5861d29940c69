import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import { Bridge } from '../../src/bridge/server';
import { openSse, request, startBridge, wsOpen, wsStatus, type StartedBridge } from './support/bridge';
import { waitUntil } from '../support/wait';
import { fakeTime } from '../support/fake-time';

const TOKEN = 'test-token-0123456789abcdef';

/** A raw request, for what an HTTP client library would refuse to send. */
function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(text));
    let out = '';
    s.on('data', (d: Buffer) => (out += d.toString('utf8')));
    s.on('end', () => resolve(out));
    s.on('close', () => resolve(out));
    s.on('error', reject);
  });
}

describe('jax bridge: safety and bad input', function () {
  this.timeout(60_000);
  let b: StartedBridge | undefined;

  afterEach(async () => {
    await b?.stop();
    b = undefined;
  });

  it('refuses to listen beyond this machine without a token, and says how', async () => {
    const fake = {} as never;
    const bridge = new Bridge(
      { connection: fake, contracts: fake, quotes: fake, candles: fake },
      { host: '0.0.0.0', port: 0, version: 't', connectionControl: 'own' },
    );
    await assert.rejects(bridge.start(), /needs a token: pass --token \(or set IB_BRIDGE_TOKEN\)/);
    const short = new Bridge(
      { connection: fake, contracts: fake, quotes: fake, candles: fake },
      { host: '0.0.0.0', port: 0, token: 'short', version: 't', connectionControl: 'own' },
    );
    await assert.rejects(short.start(), /16 to 256 printable characters/);
  });

  it('with a token, every request and WebSocket upgrade needs "Authorization: Bearer <token>"', async () => {
    b = await startBridge({ host: '0.0.0.0', token: TOKEN });
    const url = `http://127.0.0.1:${b.port}`;
    for (const path of ['/quotes/AAPL', '/health', '/metrics']) {
      for (const headers of [
        {} as Record<string, string>,
        { authorization: 'Bearer wrong-token-0123456789' },
        { authorization: TOKEN },
        { authorization: `Basic ${TOKEN}` },
      ]) {
        // /health without any Authorization is the liveness probe's: see the next test
        if (path === '/health' && !headers.authorization) continue;
        const a = await request(`${url}${path}`, 'GET', undefined, headers);
        assert.equal(a.status, 401, `${path} ${JSON.stringify(headers)}`);
        assert.match((a.json as { detail: string }).detail, /Authorization: Bearer/);
        assert.equal(a.headers['www-authenticate'], 'Bearer');
      }
    }
    const ok = await request(`${url}/quotes/AAPL`, 'GET', undefined, { authorization: `Bearer ${TOKEN}` });
    assert.equal(ok.status, 200, ok.text);
    assert.equal((await request(`${url}/orders`, 'POST', {})).status, 401, 'refused before anything else');
    const ws = url.replace('http', 'ws');
    assert.equal(await wsStatus(`${ws}/ws/quotes/AAPL`), 401);
    assert.equal(await wsStatus(`${ws}/ws/quotes/AAPL`, { authorization: `Bearer ${TOKEN}` }), 101);
    const sse = await openSse(`${url}/stream/quotes?symbols=AAPL`);
    assert.equal(sse.status, 401);
    sse.close();
  });

  it('with a token, GET /health without any Authorization (a Docker HEALTHCHECK) hears status and connected only; with the token, all of it', async () => {
    b = await startBridge({ host: '0.0.0.0', token: TOKEN });
    const url = `http://127.0.0.1:${b.port}`;
    const probe = await request(`${url}/health`);
    assert.equal(probe.status, 200, probe.text);
    assert.deepEqual(probe.json, { status: 'healthy', connected: true });
    const full = await request(`${url}/health`, 'GET', undefined, { authorization: `Bearer ${TOKEN}` });
    assert.equal(full.status, 200, full.text);
    const h = full.json as Record<string, unknown>;
    assert.deepEqual(Object.keys(h).sort(), ['connected', 'detail', 'gateway', 'market_data_mode', 'paper_trading', 'simulated', 'status', 'version']);
    assert.equal(h.gateway, `127.0.0.1:${b.sim.port}`);
    // the probe sees the state change: the gateway stops
    await request(`${url}/disconnect`, 'POST', {}, { authorization: `Bearer ${TOKEN}` });
    assert.deepEqual((await request(`${url}/health`)).json, { status: 'degraded', connected: false });
    // from a browser page, the probe is refused as every other request from one
    assert.equal((await request(`${url}/health`, 'GET', undefined, { origin: 'http://evil.example' })).status, 403);
  });

  it('caps the lines bridge clients hold: past the cap a new symbol is a 429 with a sentence, known ones still answer', async () => {
    b = await startBridge({ maxLines: 2, lingerMs: 60_000 });
    assert.equal((await request(`${b.url}/quotes/AAPL`)).status, 200);
    assert.equal((await request(`${b.url}/quotes/MSFT`)).status, 200);
    const third = await request(`${b.url}/quotes/IBM`);
    assert.equal(third.status, 429);
    assert.match((third.json as { detail: string }).detail, /holds 2 market-data lines, its limit/);
    // the polled lines are given back 60 s after their last GET: ask again then
    const retry = Number(third.headers['retry-after']);
    assert.ok(retry >= 55 && retry <= 60, `Retry-After ${String(third.headers['retry-after'])}`);
    assert.equal((third.json as { code?: number }).code, undefined, "the bridge's own limit: no IB code");
    assert.equal((await request(`${b.url}/quotes/AAPL`)).status, 200);
    // a stream of new symbols only, none of which can have a line: refused whole
    assert.equal((await request(`${b.url}/stream/quotes?symbols=KO,IBM`)).status, 429);
    // a stream whose symbols hold a line already streams them; the new one past the cap is an error about it alone
    const sse = await openSse(`${b.url}/stream/quotes?symbols=AAPL,IBM`);
    try {
      assert.equal(sse.status, 200);
      const ibm = (await sse.next((e) => e.event === 'error', 10_000, 0)).data as { symbol: string; detail: string };
      assert.equal(ibm.symbol, 'IBM');
      assert.match(ibm.detail, /holds 2 market-data lines, its limit/);
      await sse.next((e) => e.event === 'quote' && (e.data as { symbol: string }).symbol === 'AAPL', 10_000, 0);
    } finally {
      sse.close();
    }
    assert.equal(b.sim.server.activeMarketData().filter((l) => l.conId === 8314).length, 0, 'no line was taken for IBM');
    // a socket's subscribe past the cap: the error names the symbols it did not subscribe
    const ws = await wsOpen(`${b.url.replace('http', 'ws')}/ws/quotes`);
    ws.ws.send(JSON.stringify({ action: 'subscribe', symbols: ['KO', 'IBM'] }));
    const refused = (await ws.next((m) => (m as { event?: string }).event === 'error')) as { symbols: string[]; detail: string; watching: string[] };
    assert.deepEqual(refused.symbols, ['KO', 'IBM']);
    assert.deepEqual(refused.watching, []);
    assert.match(refused.detail, /its limit/);
    ws.ws.close();
  });

  it('past the cap, a stream or a subscribe takes what fits: held symbols and new ones up to the free lines, and names the rest', async () => {
    b = await startBridge({ maxLines: 2, lingerMs: 60_000 });
    assert.equal((await request(`${b.url}/quotes/MSFT`)).status, 200);
    // one line free: KO takes it, MSFT needs none, IBM is refused
    const ws = await wsOpen(`${b.url.replace('http', 'ws')}/ws/quotes`);
    ws.ws.send(JSON.stringify({ action: 'subscribe', symbols: ['KO', 'IBM', 'MSFT'] }));
    const refused = (await ws.next((m) => (m as { event?: string }).event === 'error')) as { symbols: string[]; detail: string; watching: string[] };
    const subscribed = ws.messages.find((m) => (m as { event?: string }).event === 'subscribed') as { symbols: string[] };
    assert.deepEqual(subscribed.symbols, ['KO', 'MSFT']);
    assert.deepEqual(refused.symbols, ['IBM']);
    assert.deepEqual(refused.watching, ['KO', 'MSFT']);
    assert.match(refused.detail, /holds 2 market-data lines, its limit/);
    const quoted = () =>
      new Set(ws.messages.filter((m) => (m as { event?: string }).event === 'quote').map((m) => (m as { data: { symbol: string } }).data.symbol));
    await waitUntil('quotes for KO and MSFT', () => quoted().has('KO') && quoted().has('MSFT'), 10_000);
    assert.ok(!quoted().has('IBM'));
    assert.match((await request(`${b.url}/metrics`)).text, /^ib_bridge_symbols 2$/m);
    ws.ws.close();
    const tooMany = await request(`${b.url}/stream/quotes?symbols=${Array.from({ length: 51 }, (_, i) => `S${i}`).join(',')}`);
    assert.equal(tooMany.status, 400);
  });

  it('counts a contract once however it is spelled: AAPL and 265598 hold one line of the cap', async () => {
    b = await startBridge({ maxLines: 2, lingerMs: 60_000 });
    assert.equal((await request(`${b.url}/quotes/AAPL`)).status, 200);
    assert.equal((await request(`${b.url}/quotes/265598`)).status, 200);
    assert.match((await request(`${b.url}/metrics`)).text, /^ib_bridge_symbols 1$/m);
    assert.equal((await request(`${b.url}/quotes/MSFT`)).status, 200, 'the second line is still free');
    assert.equal((await request(`${b.url}/quotes/IBM`)).status, 429);
  });

  it('a flood of connections gets 429s with a sentence (but /health and /metrics answer), and the bridge serves again once they close', async () => {
    b = await startBridge({ maxConnections: 5 });
    const idle: net.Socket[] = [];
    for (let i = 0; i < 5; i++) {
      const s = net.connect(b.port, '127.0.0.1');
      await new Promise((r) => s.once('connect', r));
      idle.push(s);
    }
    await waitUntil('5 open', () => (b!.bridge.clients >= 5 ? true : undefined));
    const refused = await request(`${b.url}/quotes/AAPL`);
    assert.equal(refused.status, 429);
    assert.match((refused.json as { detail: string }).detail, /5 connections open, its limit/);
    // the liveness probe tells a bridge full of streams from a dead one
    const health = await request(`${b.url}/health`);
    assert.equal(health.status, 200, health.text);
    assert.equal((health.json as { connected: boolean }).connected, true);
    assert.equal((await request(`${b.url}/metrics`)).status, 200);
    for (const s of idle) s.destroy();
    await waitUntil('closed', () => (b!.bridge.clients === 0 ? true : undefined));
    assert.equal((await request(`${b.url}/health`)).status, 200);
  });

  it('history requests from bridge clients wait in the shared pacing queue: a burst gets no pacing violation from the gateway', async () => {
    const time = fakeTime();
    b = await startBridge({}, {}, 61, time);
    // IB (and the simulator) refuse six or more history requests of bars of 30 secs or less for one contract in 2 s
    let burst: Array<{ status: number }> | undefined;
    const all = Promise.all(
      [1, 2, 3, 4, 5, 6, 7, 8].map((n) => request(`${b!.url}/candles/IBM`, 'POST', { duration: `${n * 600} S`, bar_size: '30 secs' })),
    ).then((r) => (burst = r));
    await time.advanceUntil('every answer', () => burst, { stepMs: 100 });
    await all;
    assert.ok(burst);
    assert.ok(time.elapsed() >= 2000, `the last two waited for IB's 2-second window (${time.elapsed()} ms)`);
    assert.deepEqual(
      burst.map((a) => a.status),
      [200, 200, 200, 200, 200, 200, 200, 200],
    );
    assert.deepEqual(
      b.session.seen.filter((e) => e.code === 162),
      [],
      'no pacing violation reached the gateway',
    );
    assert.ok(b.sim.server.receivedMessageIds().get(20)! >= 8, 'eight history requests were sent');
  });

  it("symbol searches from bridge clients reach the gateway a second apart at least (IB's rule for reqMatchingSymbols)", async () => {
    const time = fakeTime();
    const sent: number[] = [];
    b = await startBridge({}, { log: (line) => void (line.includes('reqMatchingSymbols') && sent.push(time.now())) }, 62, time);
    let answers: Array<{ status: number; json: unknown }> | undefined;
    const all = Promise.all(['AP', 'MS', 'IB', 'AP'].map((q) => request(`${b!.url}/contracts/search?q=${q}`))).then((r) => (answers = r));
    await time.advanceUntil('every answer', () => answers, { stepMs: 100 });
    await all;
    assert.deepEqual(
      answers!.map((a) => a.status),
      [200, 200, 200, 200],
    );
    assert.deepEqual(answers![3].json, answers![0].json, 'the same text, the same answer');
    assert.equal(sent.length, 3, 'a text asked twice is sent once');
    for (let i = 1; i < sent.length; i++) assert.ok(sent[i] - sent[i - 1] >= 1000, `searches ${sent.map((t) => t - sent[0]).join(', ')} ms apart`);
  });

  it('a huge path, a huge header and garbage get a 4xx with a sentence; the bridge lives on', async () => {
    b = await startBridge();
    const huge = await raw(b.port, `GET /quotes/${'A'.repeat(20_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    assert.match(huge, /^HTTP\/1.1 431/);
    assert.match(huge, /"detail":"The request line or headers are too large/);
    const bigHeader = await raw(b.port, `GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`);
    assert.match(bigHeader, /^HTTP\/1.1 431/);
    const garbage = await raw(b.port, 'this is not http\r\n\r\n');
    assert.match(garbage, /^HTTP\/1.1 400/);
    const longSymbol = await request(`${b.url}/quotes/${'A'.repeat(300)}`);
    assert.ok([400, 414].includes(longSymbol.status), `${longSymbol.status} ${longSymbol.text}`);
    assert.ok((longSymbol.json as { detail?: string }).detail);
    // not percent-encoded UTF-8: the bridge's own answer, {"detail"}, as every other error
    for (const path of ['/quotes/%FF%FE', '/candles/%C3%28']) {
      const bad = await request(`${b.url}${path}`);
      assert.equal(bad.status, 400, bad.text);
      assert.deepEqual(Object.keys(bad.json as object), ['detail'], bad.text);
      assert.match((bad.json as { detail: string }).detail, /percent-encoded UTF-8/);
    }
    // HTTP/1.1 without Host (RFC 9112 requires it): a 400 that says so, as JSON; HTTP/1.0 has no Host and is served
    const noHost = await raw(b.port, 'GET /health HTTP/1.1\r\nConnection: close\r\n\r\n');
    assert.match(noHost, /^HTTP\/1.1 400/);
    assert.match(noHost, /"detail":"An HTTP\/1.1 request needs a Host header/);
    assert.match(await raw(b.port, 'GET /health HTTP/1.0\r\n\r\n'), /^HTTP\/1.1 200/);
    assert.equal((await request(`${b.url}/health`)).status, 200);
  });

  it('a client that stops half way through a request gets 408 with a sentence, not 400; the bridge lives on', async () => {
    b = await startBridge({ requestTimeoutMs: 300 });
    const started = Date.now();
    // headers never finished, then a body shorter than its length
    const partialHeaders = await raw(b.port, 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    assert.match(partialHeaders, /^HTTP\/1.1 408 Request Timeout/, partialHeaders);
    assert.match(partialHeaders, /"detail":"The request was not sent in full within 0.3 s; send it again."/);
    const partialBody = await raw(b.port, 'POST /connect HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n{"port":');
    assert.match(partialBody, /^HTTP\/1.1 408 Request Timeout/, partialBody);
    assert.ok(Date.now() - started < 20_000, "each was answered within the set time and node's check interval");
    assert.equal((await request(`${b.url}/health`)).status, 200);
  });

  it('a JSON body says what is wrong with it: where JSON fails, a key refused as prototype poisoning, not an object; empty is left out', async () => {
    b = await startBridge();
    const detailOf = async (path: string, body: string, status: number) => {
      const a = await request(`${b!.url}${path}`, 'POST', body);
      assert.equal(a.status, status, `${body.slice(0, 60)}: ${a.text}`);
      return (a.json as { detail?: string }).detail ?? '';
    };
    assert.match(await detailOf('/connect', '{bad', 400), /^The body is not valid JSON \(.*position 1.*\)\.$/);
    for (const [body, key] of [
      ['{"__proto__": {"admin": true}, "port": 4002}', 'body.__proto__'],
      ['{"constructor": {"prototype": {"admin": true}}}', 'body.constructor.prototype'],
    ]) {
      for (const path of ['/connect', '/candles/AAPL'])
        assert.equal(await detailOf(path, body, 400), `The body has a key that is refused (${key}): send only the fields the route takes.`);
    }
    assert.equal(await detailOf('/connect', '[1, 2]', 400), 'Bad parameter: body must be a JSON object (or left out).');
    // 2,000 and 5,000 levels deep in 12 and 10 KB: refused by their depth, not a stack overflow and a 500
    assert.match(await detailOf('/candles/AAPL', `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`, 400), /^The body nests deeper than 32 levels/);
    assert.match(await detailOf('/connect', `${'['.repeat(5000)}${']'.repeat(5000)}`, 400), /^The body nests deeper than 32 levels/);
    // the connection was not touched by any of them
    assert.equal(b.session.manager.status.port, b.sim.port);
    // an empty body with a JSON Content-Type is a body left out: the defaults
    const empty = await request(`${b.url}/candles/AAPL`, 'POST', '');
    assert.equal(empty.status, 200, empty.text);
    assert.ok((empty.json as { count: number }).count > 0);
  });

  it('a WebSocket client that sends and never reads is ended, its symbols given back: the bridge does not hold its replies without end', async () => {
    b = await startBridge();
    const bridge = b;
    const watchers = async () => Number(/^ib_bridge_subscribers (\d+)$/m.exec((await request(`${bridge.url}/metrics`)).text)?.[1]);
    const c = await wsOpen(`${b.url.replace('http', 'ws')}/ws/quotes`);
    c.ws.send(JSON.stringify({ action: 'subscribe', symbols: ['AAPL'] }));
    await c.next((m) => (m as { event?: string }).event === 'subscribed');
    assert.equal(await watchers(), 1);
    const closed = new Promise<void>((r) => c.ws.once('close', () => r()));
    c.ws.on('error', () => undefined);
    // it stops reading, and sends on: each message a reply of some 200 bytes
    c.ws.pause();
    const junk = JSON.stringify({ action: 'shout', symbols: ['AAPL'] });
    let sent = 0;
    let ended = false;
    void closed.then(() => (ended = true));
    while (!ended && sent < 400_000) {
      for (let i = 0; i < 2000 && c.ws.readyState === c.ws.OPEN; i++, sent++) c.ws.send(junk);
      await new Promise((r) => setTimeout(r, 5));
      if (c.ws.readyState !== c.ws.OPEN) break;
    }
    c.ws.resume();
    await closed;
    await waitUntil('its symbol given back', async () => ((await watchers()) === 0 ? true : undefined));
    const h = await request(`${b.url}/health`);
    assert.equal(h.status, 200, 'the bridge answers on');
  });
});
