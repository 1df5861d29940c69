import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import { BarSizeSetting, EventName, SecType, WhatToShow } from '@stoqey/ib';
import { openSse, request, SESSION_OPEN, startBridge, wsOpen, type StartedBridge } from './support/bridge';
import { waitUntil } from '../support/wait';
import { connectApi } from './support/sim';

type Kind = 'string' | 'number' | 'integer' | 'boolean' | 'rfc3339' | 'array';

/** The exact field set and JSON types, as a Go client with DisallowUnknownFields decodes them. */
function assertShape(value: unknown, shape: Record<string, Kind>, what: string): Record<string, unknown> {
  assert.ok(typeof value === 'object' && value !== null && !Array.isArray(value), `${what} is an object: ${JSON.stringify(value)}`);
  const obj = value as Record<string, unknown>;
  assert.deepEqual(Object.keys(obj).sort(), Object.keys(shape).sort(), `${what} fields`);
  for (const [k, kind] of Object.entries(shape)) {
    const v = obj[k];
    const ok =
      kind === 'integer'
        ? Number.isInteger(v)
        : kind === 'rfc3339'
          ? typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v))
          : kind === 'array'
            ? Array.isArray(v)
            : typeof v === kind && (kind !== 'number' || Number.isFinite(v));
    assert.ok(ok, `${what}.${k} is ${kind}: ${JSON.stringify(v)}`);
  }
  return obj;
}

const QUOTE: Record<string, Kind> = {
  symbol: 'string',
  price: 'number',
  bid: 'number',
  ask: 'number',
  bid_size: 'integer',
  ask_size: 'integer',
  volume: 'integer',
  timestamp: 'rfc3339',
  exchange: 'string',
};
const CANDLE: Record<string, Kind> = {
  timestamp: 'rfc3339',
  open: 'number',
  high: 'number',
  low: 'number',
  close: 'number',
  volume: 'integer',
  vwap: 'number',
};
const CANDLES: Record<string, Kind> = { symbol: 'string', candles: 'array', count: 'integer' };
const HEALTH: Record<string, Kind> = {
  status: 'string',
  connected: 'boolean',
  version: 'string',
  market_data_mode: 'string',
  paper_trading: 'boolean',
  gateway: 'string',
  simulated: 'boolean',
  detail: 'string',
};
const RESULT: Record<string, Kind> = { success: 'boolean', message: 'string' };

function assertDetail(a: { status: number; json: unknown; headers: Record<string, unknown> }, status: number | number[], pattern?: RegExp): string {
  const statuses = Array.isArray(status) ? status : [status];
  assert.ok(statuses.includes(a.status), `status ${a.status}, want ${statuses.join('/')}: ${JSON.stringify(a.json)}`);
  assert.match(String(a.headers['content-type']), /^application\/json/);
  // a sentence, and where IB (or the extension, from 9001) gave the failure a code: that code and its kind
  const classified = a.json !== null && typeof a.json === 'object' && 'code' in a.json;
  const { detail, code, category } = assertShape(
    a.json,
    classified ? { detail: 'string', code: 'number', category: 'string' } : { detail: 'string' },
    'error',
  ) as { detail: string; code?: number; category?: string };
  assert.match(detail, /^[A-Z"].{10,}[.!?]$/s, `a sentence: ${detail}`);
  if (classified) {
    assert.ok(Number.isInteger(code) && code! > 0, `code ${code}`);
    assert.ok(['connectivity', 'permission', 'contract', 'pacing', 'request', 'information'].includes(category!), `category ${category}`);
  }
  if (pattern) assert.match(detail, pattern);
  return detail;
}

function assertCandles(json: unknown, symbol: string, n?: number): Array<Record<string, unknown>> {
  const body = assertShape(json, CANDLES, 'candles answer');
  assert.equal(body.symbol, symbol);
  const list = body.candles as unknown[];
  assert.equal(body.count, list.length);
  if (n !== undefined) assert.equal(list.length, n);
  list.forEach((c, i) => assertShape(c, CANDLE, `candle ${i}`));
  const times = list.map((c) => Date.parse((c as { timestamp: string }).timestamp));
  for (let i = 1; i < times.length; i++) assert.ok(times[i] > times[i - 1], 'oldest first');
  assert.ok(times[times.length - 1] <= SESSION_OPEN + 60_000, 'no bar after the simulated now');
  return list as Array<Record<string, unknown>>;
}

describe('jax bridge: the API the jax Go provider calls', function () {
  this.timeout(60_000);
  let b: StartedBridge;

  before(async () => {
    b = await startBridge();
  });
  after(async () => {
    await b?.stop();
  });

  it('GET /health: healthy and connected, paper, field names and types exact', async () => {
    const a = await request(`${b.url}/health`);
    assert.equal(a.status, 200);
    const h = assertShape(a.json, HEALTH, 'health');
    const gateway = `127.0.0.1:${b.sim.port}`;
    assert.deepEqual(h, {
      status: 'healthy',
      connected: true,
      version: '9.9.9-test',
      market_data_mode: 'auto',
      paper_trading: true,
      gateway,
      simulated: true,
      detail: `Connected to IB Gateway/TWS at ${gateway} as client 61.`,
    });
  });

  it("keeps an idle keep-alive connection longer than Go's http.Transport keeps it (90 s): the client closes first, so a POST is never sent on a connection the bridge is closing", async () => {
    const agent = new http.Agent({ keepAlive: true });
    try {
      const header = await new Promise<string | undefined>((resolve, reject) => {
        http
          .get(`${b.url}/health`, { agent }, (res) => {
            res.resume();
            res.on('end', () => resolve(String(res.headers['keep-alive'] ?? '')));
          })
          .on('error', reject);
      });
      const seconds = Number(/timeout=(\d+)/.exec(header ?? '')?.[1]);
      assert.ok(seconds > 90, `Keep-Alive: ${header}`);
    } finally {
      agent.destroy();
    }
  });

  it('GET /quotes/{symbol}: a stock quote with prices, whole sizes and an RFC 3339 time of the simulated clock', async () => {
    for (const symbol of ['AAPL', 'MSFT', 'SPY']) {
      const a = await request(`${b.url}/quotes/${symbol}`);
      assert.equal(a.status, 200, a.text);
      const q = assertShape(a.json, QUOTE, `quote ${symbol}`) as Record<string, number | string>;
      assert.equal(q.symbol, symbol);
      assert.ok((q.bid as number) > 0 && (q.ask as number) >= (q.bid as number), `bid/ask ${a.text}`);
      assert.ok((q.price as number) > 0);
      assert.ok((q.volume as number) > 0 && (q.bid_size as number) > 0);
      assert.ok(Math.abs(Date.parse(q.timestamp as string) - SESSION_OPEN) < 3_600_000, `time near the simulated clock: ${q.timestamp}`);
      assert.ok((q.exchange as string).length > 0);
    }
  });

  it('GET /quotes says in a header whether the quote is live or delayed (the JSON keeps its exact fields)', async () => {
    const live = await request(`${b.url}/quotes/AAPL`);
    assert.equal(live.status, 200, live.text);
    assert.equal(live.headers['x-ib-market-data-type'], 'live');
    // the unit of its prices: the contract's currency (a London share's would be GBp)
    assert.equal(live.headers['x-ib-price-currency'], 'USD');
    // SHOP in Toronto: no live subscription in the simulated account, so delayed data (market data type auto)
    const delayed = await request(`${b.url}/quotes/${encodeURIComponent('SHOP@TSE')}`);
    assert.equal(delayed.status, 200, delayed.text);
    assert.equal(delayed.headers['x-ib-market-data-type'], 'delayed');
    assert.equal(delayed.headers['x-ib-price-currency'], 'CAD');
    assertShape(delayed.json, QUOTE, 'delayed quote');
  });

  it('GET /quotes shares one gateway line per symbol however many clients poll it', async () => {
    await Promise.all([1, 2, 3, 4].map(() => request(`${b.url}/quotes/IBM`)));
    const lines = b.sim.server.activeMarketData().filter((l) => l.conId === 8314);
    assert.equal(lines.length, 1);
    assert.equal(b.bridge.clients >= 0, true);
  });

  it('GET /quotes a forex pair and a lower-case symbol', async () => {
    const fx = await request(`${b.url}/quotes/EUR.USD`);
    assert.equal(fx.status, 200, fx.text);
    assertShape(fx.json, QUOTE, 'EUR.USD');
    const lower = await request(`${b.url}/quotes/aapl`);
    assert.equal((lower.json as { symbol: string }).symbol, 'AAPL');
  });

  for (const tf of ['1', '5', '15', '60', '1D', '1W', '1m', '5m', '15m', '1h', '1d', '1w']) {
    it(`GET /candles/{symbol}?timeframe=${tf}: the limit most recent bars, oldest first`, async () => {
      const a = await request(`${b.url}/candles/AAPL?limit=30&timeframe=${tf}`);
      assert.equal(a.status, 200, a.text);
      assertCandles(a.json, 'AAPL', 30);
    });
  }

  it('GET /candles: default limit 250 and timeframe 1d; a limit beyond one request is filled from several', async () => {
    const d = await request(`${b.url}/candles/MSFT`);
    assertCandles(d.json, 'MSFT', 250);
    const many = await request(`${b.url}/candles/MSFT?limit=500&timeframe=1m`);
    const list = assertCandles(many.json, 'MSFT', 500);
    const gaps = new Set(list.slice(1).map((c, i) => Date.parse(c.timestamp as string) - Date.parse(list[i].timestamp as string)));
    assert.ok(gaps.has(60_000), 'one-minute steps');
  });

  it('POST /candles/{symbol} in IB words, with the defaults 1 D of 1 min TRADES (MIDPOINT for forex)', async () => {
    const a = await request(`${b.url}/candles/AAPL`, 'POST', { duration: '2 D', bar_size: '5 mins', what_to_show: 'MIDPOINT' });
    assert.equal(a.status, 200, a.text);
    const list = assertCandles(a.json, 'AAPL');
    assert.ok(list.length > 78, `two sessions of 5-minute bars: ${list.length}`);
    const d = await request(`${b.url}/candles/AAPL`, 'POST', {});
    const one = assertCandles(d.json, 'AAPL');
    // "1 D" at 10:00 New York is today's session so far: 9:30 to 10:00
    assert.ok(one.length >= 30 && one.length <= 32, `today's minutes: ${one.length}`);
    const none = await request(`${b.url}/candles/AAPL`, 'POST');
    assert.equal(none.status, 200);
    // a forex pair has no trades: left out, what_to_show is its midpoint
    const fx = await request(`${b.url}/candles/EUR.USD`, 'POST', {});
    assert.equal(fx.status, 200, fx.text);
    assert.ok(assertCandles(fx.json, 'EUR.USD').length > 0);
  });

  it('errors: 404 unknown symbol, 400 malformed symbol, limit and timeframe, 422 what IB would refuse, all as {"detail"}', async () => {
    const unknown = await request(`${b.url}/quotes/NOSUCHSYM`);
    assertDetail(unknown, 404, /No security definition/);
    assert.deepEqual([(unknown.json as { code: number }).code, (unknown.json as { category: string }).category], [200, 'contract']);
    assertDetail(await request(`${b.url}/candles/NOSUCHSYM?timeframe=1d&limit=5`), 404);
    assertDetail(await request(`${b.url}/quotes/${encodeURIComponent('A\u0000B')}`), 400, /symbol/);
    assertDetail(await request(`${b.url}/quotes/${'A'.repeat(70)}`), 400);
    assertDetail(await request(`${b.url}/quotes/${encodeURIComponent('AAPL FOO BAR')}`), 400);
    assertDetail(await request(`${b.url}/candles/AAPL?limit=0`), 400, /limit/);
    assertDetail(await request(`${b.url}/candles/AAPL?limit=1001`), 400, /1000/);
    assertDetail(await request(`${b.url}/candles/AAPL?limit=abc`), 400);
    assertDetail(await request(`${b.url}/candles/AAPL?limit=2.5`), 400);
    assertDetail(await request(`${b.url}/candles/AAPL?timeframe=2h`), 400, /1m, 5m/);
    assertDetail(await request(`${b.url}/candles/AAPL`, 'POST', { bar_size: '7 mins' }), 422, /bar size/);
    assertDetail(await request(`${b.url}/candles/AAPL`, 'POST', { duration: '1 Y', bar_size: '1 min' }), 422);
    assertDetail(await request(`${b.url}/candles/AAPL`, 'POST', { what_to_show: 'GOSSIP' }), 422);
    assertDetail(await request(`${b.url}/candles/AAPL`, 'POST', { bar_sizes: '1 min' }), 400);
    // a body is JSON: a value of another type is named, not coerced as a query string's text must be
    assertDetail(await request(`${b.url}/candles/AAPL`, 'POST', { use_rth: 1 }), 400, /"use_rth" must be a JSON boolean \(true or false\), not 1/);
    assertDetail(await request(`${b.url}/candles/AAPL`, 'POST', { use_rth: 'true' }), 400, /"use_rth" must be a JSON boolean/);
    assertDetail(await request(`${b.url}/candles/AAPL`, 'POST', { duration: 5 }), 400, /"duration" must be a JSON string, not 5/);
    assertDetail(await request(`${b.url}/connect`, 'POST', { port: '4002' }), 400, /"port" must be a JSON integer, not "4002"/);
    assertDetail(await request(`${b.url}/candles/AAPL`, 'POST', '{"duration": '), 400, /JSON/);
    assertDetail(await request(`${b.url}/candles/AAPL`, 'POST', 'duration=1D', { 'content-type': 'text/plain' }), 415);
    assertDetail(await request(`${b.url}/candles/AAPL`, 'POST', JSON.stringify({ duration: 'x'.repeat(20_000) })), 413, /16 KB/);
    assertDetail(await request(`${b.url}/nothing/here`), 404, /GET \/nothing\/here/);
  });

  it('a route asked with another method is 405 with Allow; a WebSocket without an upgrade 426; a body not JSON 415 saying what to send', async () => {
    for (const [method, path, allow] of [
      ['DELETE', '/quotes/AAPL', 'GET, HEAD'],
      ['GET', '/connect', 'POST'],
      ['POST', '/health', 'GET, HEAD'],
      ['PUT', '/candles/AAPL?limit=5', 'GET, HEAD, POST'],
    ]) {
      const a = await request(`${b.url}${path}`, method);
      assertDetail(a, 405, new RegExp(`${method} is not allowed.*${allow}`));
      assert.equal(a.headers.allow, allow, `${method} ${path}`);
    }
    assertDetail(await request(`${b.url}/no/such/path`, 'DELETE'), 404, /There is no DELETE/);
    for (const path of ['/ws/quotes/AAPL', '/ws/quotes']) {
      const a = await request(`${b.url}${path}`);
      assertDetail(a, 426, /WebSocket/);
      assert.equal(a.headers.upgrade, 'websocket');
    }
    assertDetail(await request(`${b.url}/connect`, 'POST', 'port=4002', { 'content-type': 'text/plain' }), 415, /application\/json/);
  });

  it('limit is plain decimal digits: 0x10, 1e2, " 1", "+5", "" and a repeated limit are 400', async () => {
    for (const text of ['0x10', '1e2', ' 1', '1 ', '+5', '', '0b11']) {
      assertDetail(await request(`${b.url}/candles/AAPL?limit=${encodeURIComponent(text)}`), 400, /limit/);
    }
    assertDetail(await request(`${b.url}/candles/AAPL?limit=5&limit=6`), 400, /limit/);
    assertCandles((await request(`${b.url}/candles/AAPL?limit=005`)).json, 'AAPL', 5);
  });

  it('refuses /orders, /positions and /account with a sentence, and sends nothing to the gateway', async () => {
    for (const [method, path] of [
      ['GET', '/orders'],
      ['POST', '/orders'],
      ['DELETE', '/orders/1'],
      ['PUT', '/orders/1'],
      ['GET', '/positions'],
      ['GET', '/account'],
      ['GET', '/account/summary'],
    ]) {
      assertDetail(await request(`${b.url}${path}`, method, method === 'POST' ? { symbol: 'AAPL', qty: 1 } : undefined), [405, 501], /read-only/);
    }
    const ids = b.sim.server.receivedMessageIds();
    for (const orderMsg of [3, 4]) assert.equal(ids.get(orderMsg), undefined, `message ${orderMsg} (place/cancel order) never sent`);
  });

  it('GET /metrics and /openapi.json', async () => {
    const count = (text: string, labels: string) => Number(new RegExp(`^ib_bridge_responses_total\\{${labels}\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
    const before = (await request(`${b.url}/metrics`)).text;
    assert.equal((await request(`${b.url}/quotes/AAPL`)).status, 200);
    assert.equal((await request(`${b.url}/quotes/${encodeURIComponent('A B C D')}`)).status, 400);
    assert.equal((await request(`${b.url}/no/such/path/${Date.now()}`)).status, 404);
    const m = await request(`${b.url}/metrics`);
    // answers by route (its pattern: a bounded set) and status, as Prometheus counts HTTP servers
    const quotes = 'method="GET",route="/quotes/:symbol"';
    assert.equal(count(m.text, `${quotes},status="200"`), count(before, `${quotes},status="200"`) + 1, m.text);
    assert.equal(count(m.text, `${quotes},status="400"`), count(before, `${quotes},status="400"`) + 1);
    assert.equal(count(m.text, 'method="GET",route="unmatched",status="404"'), count(before, 'method="GET",route="unmatched",status="404"') + 1);
    assert.doesNotMatch(m.text, /route="\/no\/such/, 'a path no route matched is not a label of its own');
    // a stream's answer counts once, when it starts (SSE 200, a WebSocket's 101), as the other answers do
    const sse = await openSse(`${b.url}/stream/quotes?symbols=AAPL`);
    await sse.next((e) => e.event === 'quote', 10_000, 0);
    sse.close();
    const ws = await wsOpen(`${b.url.replace('http', 'ws')}/ws/quotes`);
    ws.ws.close();
    const streams = (await request(`${b.url}/metrics`)).text;
    for (const labels of ['method="GET",route="/stream/quotes",status="200"', 'method="GET",route="/ws/quotes",status="101"'])
      assert.equal(count(streams, labels), count(m.text, labels) + 1, `${labels}: ${streams}`);
    assert.match(String(m.headers['content-type']), /^text\/plain/);
    for (const name of [
      'ib_market_data_lines',
      'ib_bridge_subscribers',
      'ib_bridge_requests_total',
      'ib_history_queue_pending',
      'ib_gateway_state{phase="ready"} 1',
    ])
      assert.ok(m.text.includes(name), name);
    const o = await request(`${b.url}/openapi.json`);
    assert.equal((o.json as { openapi: string }).openapi, '3.0.3');
    assert.ok(Object.keys((o.json as { paths: object }).paths).includes('/candles/{symbol}'));
  });

  it('sends no CORS headers', async () => {
    const a = await request(`${b.url}/health`, 'GET', undefined, { origin: 'http://evil.example' });
    assert.equal(a.headers['access-control-allow-origin'], undefined);
    const pre = await request(`${b.url}/quotes/AAPL`, 'OPTIONS', undefined, { origin: 'http://evil.example', 'access-control-request-method': 'GET' });
    assert.equal(pre.headers['access-control-allow-origin'], undefined);
  });

  it('POST /disconnect then GET /quotes is 503, /health degraded with HTTP 200; POST /connect comes back', async () => {
    const d = await request(`${b.url}/disconnect`, 'POST');
    assert.deepEqual(assertShape(d.json, RESULT, 'disconnect').success, true);
    const h = await request(`${b.url}/health`);
    assert.equal(h.status, 200);
    assert.deepEqual(
      { ...(h.json as object) },
      {
        status: 'degraded',
        connected: false,
        version: '9.9.9-test',
        market_data_mode: 'auto',
        paper_trading: true,
        gateway: `127.0.0.1:${b.sim.port}`,
        simulated: true,
        detail: 'Not connected to IB Gateway/TWS (disconnected). Start the gateway (or the simulator), or POST /connect.',
      },
    );
    const away = await request(`${b.url}/quotes/AAPL`);
    assertDetail(away, 503, /Not connected/);
    // a client that asks again later on "connectivity" does so whichever route it asked (IB's 504 "Not connected")
    assert.deepEqual([(away.json as { code?: number }).code, (away.json as { category?: string }).category], [504, 'connectivity']);
    assert.equal(away.headers['retry-after'], undefined, 'disconnected on purpose: no time to ask again');
    assertDetail(await request(`${b.url}/candles/AAPL?timeframe=1d&limit=5`), 503);
    // what IB would refuse anyway is said as such: a client must not retry it when the gateway is back
    assertDetail(await request(`${b.url}/candles/AAPL`, 'POST', { duration: '1 D', bar_size: '7 mins' }), 422, /bar size/);
    assertDetail(await request(`${b.url}/candles/AAPL`, 'POST', { duration: '1 Y', bar_size: '1 secs' }), 422);
    assertDetail(await request(`${b.url}/candles/AAPL`, 'POST', { duration: '1 D', bar_size: '5 mins' }), 503);
    const c = await request(`${b.url}/connect`, 'POST', { host: '127.0.0.1', port: b.sim.port, client_id: 62 });
    const r = assertShape(c.json, RESULT, 'connect');
    assert.equal(r.success, true, String(r.message));
    await waitUntil('ready', () => (b.session.manager.status.phase === 'ready' ? true : undefined));
    assert.equal(b.session.manager.status.clientId, 62);
    assert.equal((await request(`${b.url}/quotes/AAPL`)).status, 200);
    assertDetail(await request(`${b.url}/connect`, 'POST', { port: 70000 }), 422, /port/);
    assertDetail(await request(`${b.url}/connect`, 'POST', { port: 'x' }), 400);
  });

  it('POST /connect to a port where no gateway answers: success false with the reason, HTTP 200, and the bridge goes back to the gateway it had', async () => {
    const c = await request(`${b.url}/connect`, 'POST', { port: 1 });
    const r = assertShape(c.json, RESULT, 'connect') as { success: boolean; message: string };
    assert.equal(r.success, false);
    assert.match(r.message, /not reachable|refused|Not connected/i);
    assert.match(r.message, new RegExp(`stays on 127\\.0\\.0\\.1:${b.sim.port}`));
    let h: { connected: boolean; gateway: string } | undefined;
    for (let i = 0; i < 100 && !h?.connected; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 50));
      h = (await request(`${b.url}/health`)).json as { connected: boolean; gateway: string };
    }
    assert.equal(h?.connected, true, 'connected again');
    assert.equal(h?.gateway, `127.0.0.1:${b.sim.port}`, 'the other clients keep the gateway that served them');
  });
});

// its own simulator: the gateway's pacing counts the raw client's request too
describe("jax bridge: a candle's vwap is IB's bar WAP", function () {
  this.timeout(60_000);
  let v: StartedBridge;

  before(async () => {
    v = await startBridge();
  });
  after(async () => {
    await v?.stop();
  });

  it("POST /candles TRADES: vwap is the simulator's bar WAP as IB's client reads it off the wire; MIDPOINT (no WAP) the typical price", async () => {
    // a longer request (an identical one would wait out IB's 15-second pacing rule) straight through IBApi: each bar's WAP by its start time
    const raw = await connectApi(v.sim.port, 68);
    const wapAt = new Map<number, number>();
    try {
      await new Promise<void>((resolve, reject) => {
        raw.api.on(EventName.error, (err: Error, code: number, id: number) => {
          if (id === 1) reject(new Error(`the history request was refused: ${code} ${err.message}`));
        });
        raw.api.on(
          EventName.historicalData,
          (id: number, time: string, _o: number, _h: number, _l: number, _c: number, _v: number, _n: number | undefined, wap: number) => {
            if (id !== 1) return;
            if (time.startsWith('finished')) resolve();
            else wapAt.set(Number(time) * 1000, wap);
          },
        );
        raw.api.reqHistoricalData(
          1,
          { symbol: 'AAPL', secType: SecType.STK, exchange: 'SMART', currency: 'USD' },
          '',
          '3 D',
          BarSizeSetting.MINUTES_FIVE,
          WhatToShow.TRADES,
          1,
          2,
          false,
        );
      });
    } finally {
      await raw.disconnect();
    }
    const a = await request(`${v.url}/candles/AAPL`, 'POST', { duration: '2 D', bar_size: '5 mins', what_to_show: 'TRADES' });
    const list = assertCandles(a.json, 'AAPL') as Array<{ timestamp: string; high: number; low: number; close: number; vwap: number }>;
    // the last bar is still forming on the simulated clock: compare the finished ones
    const done = list.slice(0, -1);
    assert.ok(done.length > 78, `two sessions of bars: ${done.length}`);
    for (const c of done) {
      const wap = wapAt.get(Date.parse(c.timestamp));
      assert.ok(wap !== undefined && wap > 0, `a WAP on the wire for ${c.timestamp}`);
      assert.equal(c.vwap, wap, `vwap of ${c.timestamp}`);
    }
    assert.ok(
      done.some((c) => Math.abs(c.vwap - (c.high + c.low + c.close) / 3) > 1e-9),
      'vwap is not the typical price',
    );
    const mid = assertCandles(
      (await request(`${v.url}/candles/AAPL`, 'POST', { duration: '1 D', bar_size: '5 mins', what_to_show: 'MIDPOINT' })).json,
      'AAPL',
    ) as typeof list;
    // the typical price at 12 significant digits (without a double's noise)
    for (const c of mid) assert.equal(c.vwap, Number(((c.high + c.low + c.close) / 3).toPrecision(12)), `MIDPOINT bars have no WAP: ${c.timestamp}`);
  });
});

// a young listing: IB answers 162 "no data" for a range before its first trade
describe('jax bridge: GET /candles in the first days of a listing', function () {
  this.timeout(60_000);
  let y: StartedBridge;

  before(async () => {
    // Friday 2 July 2010, 11:00 New York: TSLA first traded on Tuesday 29 June 2010
    y = await startBridge({}, { clock: { start: Date.parse('2010-07-02T15:00:00Z') } });
  });
  after(async () => {
    await y?.stop();
  });

  for (const tf of ['5m', '15m', '1h']) {
    it(`timeframe ${tf}: the bars there are, back to the first day, when the limit reaches before it (not an error that loses them)`, async () => {
      const a = await request(`${y.url}/candles/TSLA?limit=1000&timeframe=${tf}`);
      assert.equal(a.status, 200, a.text);
      const list = assertCandles(a.json, 'TSLA');
      assert.ok(list.length > 0 && list.length < 1000, `fewer bars than asked: ${list.length}`);
      // 09:30 New York (EDT) on the first day
      assert.equal(list[0].timestamp, '2010-06-29T13:30:00.000Z');
      const days = new Set(list.map((c) => String(c.timestamp).slice(0, 10)));
      assert.deepEqual([...days], ['2010-06-29', '2010-06-30', '2010-07-01', '2010-07-02']);
    });
  }
});
