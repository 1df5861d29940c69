/**
 * `end` on both candle routes: GET /candles/{symbol}?end=E gives the `limit`
 * bars that start before E (oldest first) in place of the most recent ones,
 * POST /candles/{symbol} {"end": E} ends its duration there; E is RFC 3339
 * with a zone or whole Unix seconds, anything else a 400 naming the forms.
 */
import { strict as assert } from 'node:assert';
import { marketTime } from '../support/market-times';
import { request, startBridge, type StartedBridge } from './support/bridge';

/** The simulator's clock: Tuesday 17 November 2026, 10:00 New York (a regular session). */
const NOW = marketTime('regularSession');

/** Monday 16 November 2026, 12:15 New York: inside the session the day before NOW. */
const END = '2026-11-16T12:15:00-05:00';
const END_SECONDS = Date.parse(END) / 1000;
const HOUR = 3600;

interface Candle {
  timestamp: string;
  close: number;
}

const seconds = (c: Candle) => Date.parse(c.timestamp) / 1000;

/** The bars of a 200 answer, checked oldest first, each once, and none after the simulated now. */
function barsOf(b: StartedBridge, a: { status: number; json: unknown; text: string }, what: string): Candle[] {
  assert.equal(a.status, 200, `${what}: ${a.text}`);
  const body = a.json as { count: number; candles: Candle[] };
  assert.equal(body.count, body.candles.length, what);
  const times = body.candles.map(seconds);
  for (let i = 1; i < times.length; i++) assert.ok(times[i] > times[i - 1], `${what}: oldest first, each bar once`);
  assert.ok(
    times.every((t) => t * 1000 <= b.sim.server.clock.now()),
    `${what}: no bar after the simulated now`,
  );
  return body.candles;
}

async function get(b: StartedBridge, query: string): Promise<Candle[]> {
  return barsOf(b, await request(`${b.url}/candles/AAPL?${query}`), `GET ?${query}`);
}

async function post(b: StartedBridge, body: object): Promise<Candle[]> {
  return barsOf(b, await request(`${b.url}/candles/AAPL`, 'POST', body), `POST ${JSON.stringify(body)}`);
}

/** Every bar starts before `end`, the last within one bar (`barSeconds`) of it. */
function assertEndsBefore(list: Candle[], end: number, barSeconds: number, what: string): void {
  assert.ok(list.length > 0, `${what}: bars`);
  for (const c of list) assert.ok(seconds(c) < end, `${what}: ${c.timestamp} starts before the end`);
  const gap = end - seconds(list[list.length - 1]);
  assert.ok(gap > 0 && gap <= barSeconds, `${what}: the last bar ${list[list.length - 1].timestamp} is within one bar of the end (${gap} s)`);
}

describe('jax bridge: GET and POST /candles with an end', function () {
  this.timeout(120_000);
  let b: StartedBridge;

  before(async () => {
    b = await startBridge({}, { clock: { start: NOW } });
  });
  after(async () => {
    await b?.stop();
  });

  it('GET ?end= (RFC 3339, 1h): the limit bars that start before it, the last within an hour of it, not the most recent', async () => {
    const ended = await get(b, `timeframe=1h&limit=20&end=${encodeURIComponent(END)}`);
    assert.equal(ended.length, 20);
    assertEndsBefore(ended, END_SECONDS, HOUR, '1h limit=20');
    // the session's 12:00 bar (17:00Z), the one that holds 12:15
    assert.equal(ended[ended.length - 1].timestamp, '2026-11-16T17:00:00.000Z');
    const recent = await get(b, 'timeframe=1h&limit=20');
    assert.equal(recent.length, 20);
    assert.notDeepEqual(
      ended.map((c) => c.timestamp),
      recent.map((c) => c.timestamp),
    );
    assert.ok(seconds(recent[recent.length - 1]) > END_SECONDS, 'without an end, the most recent bars (the end is a day before the simulated now)');
    // more than one request's worth (a month of hourly bars is fewer): each request ends where the previous began
    const many = await get(b, `timeframe=1h&limit=300&end=${encodeURIComponent(END)}`);
    assert.equal(many.length, 300);
    assertEndsBefore(many, END_SECONDS, HOUR, '1h limit=300');
    assert.deepEqual(
      many.slice(-20).map((c) => c.timestamp),
      ended.map((c) => c.timestamp),
      'limit=20 is the last 20 of limit=300',
    );
  });

  it('the same end as Unix seconds, as UTC, with %2B-encoded "+00:00" or a fraction gives the same bars', async () => {
    const byText = await get(b, `timeframe=1h&limit=20&end=${encodeURIComponent(END)}`);
    const utc = new Date(END_SECONDS * 1000).toISOString().replace('.000Z', 'Z');
    for (const end of [String(END_SECONDS), utc, encodeURIComponent(utc.replace('Z', '+00:00'))]) {
      assert.deepEqual(
        (await get(b, `timeframe=1h&limit=20&end=${end}`)).map((c) => c.timestamp),
        byText.map((c) => c.timestamp),
        `end=${end}`,
      );
    }
    // 5-minute bars, an end inside a bar: 12:17:30 and 12:17:30.250 both end after the 12:15 bar's start
    const fiveEnd = END_SECONDS + 150;
    const five = await get(b, `timeframe=5m&limit=30&end=${fiveEnd}`);
    assert.equal(five.length, 30);
    assertEndsBefore(five, fiveEnd, 300, '5m limit=30');
    assert.deepEqual(
      (await get(b, `timeframe=5m&limit=30&end=${encodeURIComponent('2026-11-16T12:17:30.250-05:00')}`)).map((c) => c.timestamp),
      five.map((c) => c.timestamp),
    );
  });

  it("an end a fraction of a second after a bar's start: that bar starts before it, so it is the last", async () => {
    // 12:15:00.250 New York: the 12:15 bar (17:15Z) started 250 ms before the end
    const fraction = await get(b, `timeframe=5m&limit=30&end=${encodeURIComponent('2026-11-16T12:15:00.250-05:00')}`);
    assert.equal(fraction.length, 30);
    assert.equal(fraction[fraction.length - 1].timestamp, '2026-11-16T17:15:00.000Z');
    // the same bars as the next whole second, 12:15:01; not those of 12:15:00, which end with the 12:10 bar
    assert.deepEqual(
      (await get(b, `timeframe=5m&limit=30&end=${END_SECONDS + 1}`)).map((c) => c.timestamp),
      fraction.map((c) => c.timestamp),
    );
    const whole = await get(b, `timeframe=5m&limit=30&end=${END_SECONDS}`);
    assert.equal(whole[whole.length - 1].timestamp, '2026-11-16T17:10:00.000Z');
  });

  it('an end at the weekend: the bars of the Friday before it; daily and weekly bars that start before it', async () => {
    // Sunday 15 November 2026, 12:00 New York: the first request brings nothing, the next ones Friday's session
    const sunday = Date.parse('2026-11-15T17:00:00Z') / 1000;
    const minutes = await get(b, `timeframe=1m&limit=500&end=${sunday}`);
    assert.equal(minutes.length, 500);
    assert.equal(minutes[minutes.length - 1].timestamp, '2026-11-13T20:59:00.000Z', "Friday's last regular minute, 15:59 New York");
    for (const [tf, barSeconds] of [
      ['1d', 86_400],
      ['1w', 7 * 86_400],
    ] as const) {
      const list = await get(b, `timeframe=${tf}&limit=30&end=${encodeURIComponent(END)}`);
      assert.equal(list.length, 30, tf);
      assertEndsBefore(list, END_SECONDS, barSeconds, `${tf} limit=30`);
      const recent = await get(b, `timeframe=${tf}&limit=30`);
      assert.ok(seconds(recent[recent.length - 1]) >= seconds(list[list.length - 1]), tf);
    }
    const days = await get(b, `timeframe=1d&limit=3&end=${encodeURIComponent('2026-11-13T00:00:00Z')}`);
    assert.deepEqual(
      days.map((c) => c.timestamp),
      ['2026-11-10T00:00:00.000Z', '2026-11-11T00:00:00.000Z', '2026-11-12T00:00:00.000Z'],
    );
  });

  it('paging weekly bars back by the oldest timestamp gives each week once: the pages join as one request of them all', async () => {
    // IB dates a week's bar by its last trading day; the week of `end` is the newer page's, never a cut-short copy
    const all = await get(b, 'timeframe=1w&limit=36');
    const pages: Candle[][] = [await get(b, 'timeframe=1w&limit=12')];
    for (let i = 0; i < 2; i++) pages.unshift(await get(b, `timeframe=1w&limit=12&end=${seconds(pages[0][0])}`));
    const paged = pages.flat();
    assert.deepEqual(
      paged.map((c) => c.timestamp),
      all.map((c) => c.timestamp),
    );
    assert.deepEqual(
      paged.map((c) => c.close),
      all.map((c) => c.close),
    );
  });

  it('POST {"end"}: the duration ends there, every bar starts before it (RFC 3339 or Unix seconds, a string or a JSON integer)', async () => {
    const asked = { duration: '2 D', bar_size: '1 hour' };
    const ended = await post(b, { ...asked, end: END });
    assertEndsBefore(ended, END_SECONDS, HOUR, 'POST 1 hour');
    assert.equal(ended[ended.length - 1].timestamp, '2026-11-16T17:00:00.000Z');
    const recent = await post(b, asked);
    assert.ok(seconds(recent[recent.length - 1]) > END_SECONDS, 'without an end, up to now');
    for (const end of [String(END_SECONDS), END_SECONDS, '2026-11-16T17:15:00Z']) {
      assert.deepEqual(
        (await post(b, { ...asked, end })).map((c) => c.timestamp),
        ended.map((c) => c.timestamp),
        `end ${JSON.stringify(end)}`,
      );
    }
  });

  it('a bad end is a 400 naming the accepted forms (RFC 3339 with a zone or Unix seconds), on both routes', async () => {
    const bad = [
      '2026-11-20T16:00:00',
      'yesterday',
      '12.5',
      '',
      '2026-11-20',
      '-1795190400',
      '1989-12-31T23:59:59Z',
      '600000000',
      '2026-02-30T10:00:00Z',
      '2026-11-20T24:00:00Z',
      '2026-11-20 16:00:00Z ',
      `2026-11-20T16:00:00.${'0'.repeat(80)}Z`,
    ];
    const refused = (a: { status: number; json: unknown; text: string }, what: string) => {
      assert.equal(a.status, 400, `${what}: ${a.text}`);
      const detail = (a.json as { detail?: unknown }).detail;
      assert.equal(typeof detail, 'string', `${what}: ${a.text}`);
      assert.match(detail as string, /RFC 3339/, what);
      assert.match(detail as string, /Unix seconds/, what);
    };
    for (const end of bad) {
      refused(await request(`${b.url}/candles/AAPL?timeframe=1h&limit=5&end=${encodeURIComponent(end)}`), `GET end=${JSON.stringify(end)}`);
      refused(await request(`${b.url}/candles/AAPL`, 'POST', { duration: '1 D', bar_size: '1 hour', end }), `POST end ${JSON.stringify(end)}`);
    }
    for (const end of [12.5, true, [END_SECONDS], { at: END_SECONDS }]) {
      refused(await request(`${b.url}/candles/AAPL`, 'POST', { end }), `POST end ${JSON.stringify(end)}`);
    }
    refused(await request(`${b.url}/candles/AAPL?end=${END_SECONDS}&end=${END_SECONDS}`), 'GET with two ends');
    // a "+" left unencoded arrives as a space: the detail says how to send it
    const plus = await request(`${b.url}/candles/AAPL?end=2026-11-20T21:00:00+05:00`);
    refused(plus, 'GET with an unencoded +');
    assert.match((plus.json as { detail: string }).detail, /%2B/);
  });

  it('GET /openapi.json documents end on both routes', async () => {
    type Described = { description?: string };
    interface Operation {
      parameters?: Array<Described & { name: string; schema: Described }>;
      requestBody?: { content: Record<string, { schema: { properties: Record<string, Described> } }> };
    }
    const doc = (await request(`${b.url}/openapi.json`)).json as { paths: Record<string, Record<string, Operation>> };
    const op = doc.paths['/candles/{symbol}'];
    const param = op.get.parameters?.find((p) => p.name === 'end');
    assert.ok(param, 'GET takes end');
    assert.match(param.description ?? param.schema.description ?? '', /RFC 3339/);
    assert.match(op.post.requestBody?.content['application/json'].schema.properties.end?.description ?? '', /RFC 3339/, 'POST takes end');
  });
});
