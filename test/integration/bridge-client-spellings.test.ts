/**
 * The jax bridge reads what Go clients (and IB's own habits) send: a body
 * field sent as `null` (a Go struct with pointer fields and no `omitempty`)
 * is a field left out, its default applies; a query flag may be `1`/`0` (as
 * IB's API writes useRTH) or `True`/`False`; a list may come as repeated keys
 * (`url.Values.Add` in a loop).
 */
import { strict as assert } from 'node:assert';
import { WebSocket } from 'ws';
import { newYorkMinutes, openSse, request, startBridge, type StartedBridge } from './support/bridge';

const inRegularHours = (m: number) => m >= 9 * 60 + 30 && m < 16 * 60;

function barMinutes(json: unknown): number[] {
  return (json as { candles: Array<{ timestamp: string }> }).candles.map((c) => newYorkMinutes(c.timestamp));
}

describe('jax bridge: what Go clients send', function () {
  this.timeout(30_000);
  let b: StartedBridge;

  before(async () => {
    b = await startBridge();
  });
  after(async () => {
    await b?.stop();
  });

  it('a body field sent as null is left out: its default applies (use_rth null is regular hours, not false)', async () => {
    const nulls = await request(`${b.url}/candles/AAPL`, 'POST', { duration: '2 D', bar_size: '1 hour', what_to_show: null, use_rth: null });
    assert.equal(nulls.status, 200, nulls.text);
    const minutes = barMinutes(nulls.json);
    assert.ok(minutes.length > 0 && minutes.every(inRegularHours), `regular hours only: ${minutes.join(',')}`);
    const allNull = await request(`${b.url}/candles/AAPL`, 'POST', { duration: null, bar_size: null, what_to_show: null, use_rth: null });
    assert.equal(allNull.status, 200, allNull.text);
    const defaults = await request(`${b.url}/candles/AAPL`, 'POST', {});
    assert.deepEqual(allNull.json, defaults.json, 'every field null is the defaults (1 D of 1 min)');
    // still refused when a field is there and wrong
    const wrong = await request(`${b.url}/candles/AAPL`, 'POST', { duration: '2 D', bar_size: '7 mins' });
    assert.equal(wrong.status, 422, wrong.text);
  });

  it('use_rth in a query as 1/0 and True/False, as IB and other languages write it', async () => {
    const regular = await request(`${b.url}/candles/AAPL?timeframe=1h&limit=40&use_rth=1`);
    assert.equal(regular.status, 200, regular.text);
    assert.ok(barMinutes(regular.json).every(inRegularHours), 'use_rth=1: regular hours only');
    for (const off of ['0', 'False', 'FALSE']) {
      const all = await request(`${b.url}/candles/AAPL?timeframe=1h&limit=40&use_rth=${off}`);
      assert.equal(all.status, 200, `${off}: ${all.text}`);
      assert.ok(
        barMinutes(all.json).some((m) => !inRegularHours(m)),
        `use_rth=${off}: bars outside regular hours too`,
      );
    }
    const bad = await request(`${b.url}/candles/AAPL?use_rth=2`);
    assert.equal(bad.status, 400, bad.text);
    assert.match((bad.json as { detail: string }).detail, /use_rth/);
  });

  it('/stream/quotes takes its symbols as repeated keys (symbols=AAPL&symbols=MSFT) as well as comma-separated', async () => {
    const sse = await openSse(`${b.url}/stream/quotes?symbols=AAPL&symbols=MSFT`);
    try {
      const seen = new Set<string>();
      await sse.next((e) => {
        if (e.event === 'quote') seen.add((e.data as { symbol: string }).symbol);
        return seen.has('AAPL') && seen.has('MSFT');
      });
    } finally {
      sse.close();
    }
  });

  it('a query parameter no route takes (a typo) is a 400 naming it and what the route takes, on every data route: never silently ignored', async () => {
    const cases: Array<[string, RegExp]> = [
      ['/quotes/AAPL?use_rth=1', /"use_rth".*takes none/],
      ['/candles/AAPL?timefrmae=1h', /"timefrmae".*limit, timeframe, use_rth/],
      ['/contracts/search?q=AAPL&limit=5', /"limit".*\bq\b/],
      ['/contracts/futures/ES?month=1', /"month".*exchange/],
      ['/stream/quotes?symbols=AAPL&symbol=MSFT', /"symbol".*symbols/],
      ['/stream/bars?symbol=AAPL&barsize=5%20secs', /"barsize".*bar_size/],
      ['/health?verbose=1', /"verbose".*takes none/],
      ['/metrics?format=json', /"format".*takes none/],
    ];
    for (const [path, why] of cases) {
      const r = await request(`${b.url}${path}`);
      assert.equal(r.status, 400, `${path}: ${r.text}`);
      assert.match((r.json as { detail: string }).detail, why, path);
    }
    // what the routes do take still works
    assert.equal((await request(`${b.url}/candles/AAPL?timeframe=1h&limit=2&use_rth=1`)).status, 200);
    assert.equal((await request(`${b.url}/health`)).status, 200);
    // the POST routes take their values in the body: a query parameter (GET /candles' ?limit=) is named, not ignored
    for (const [path, body, why] of [
      ['/candles/AAPL?limit=3', {}, /"limit".*takes none/],
      ['/candles/AAPL?timeframe=1h', { bar_size: '1 hour' }, /"timeframe".*takes none/],
      ['/connect?port=4002', {}, /"port".*takes none/],
    ] as const) {
      const r = await request(`${b.url}${path}`, 'POST', body);
      assert.equal(r.status, 400, `POST ${path}: ${r.text}`);
      assert.match((r.json as { detail: string }).detail, why, path);
    }
    // POST /disconnect takes no body field either (and is not sent here: a field is refused before it acts)
    const field = await request(`${b.url}/disconnect`, 'POST', { now: true });
    assert.equal(field.status, 400, field.text);
    assert.match((field.json as { detail: string }).detail, /"now"/);
    assert.equal(((await request(`${b.url}/health`)).json as { connected?: boolean }).connected, true, 'still connected');
    // the many-symbol WebSocket takes its symbols in messages, none in its address: the upgrade is refused, naming it
    const refused = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const ws = new WebSocket(`${b.url.replace('http', 'ws')}/ws/quotes?symbols=AAPL`);
      ws.once('open', () => reject(new Error('upgraded')));
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      ws.once('error', () => undefined);
    });
    assert.equal(refused.status, 400, refused.body);
    assert.match((JSON.parse(refused.body) as { detail: string }).detail, /"symbols".*takes none/);
  });
});
