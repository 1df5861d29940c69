// Picking what to watch over the bridge: IB's symbol search names a future
// once, so its months are listed apart, and every match carries the text that
// asks /quotes for exactly that contract. After a move to another gateway,
// nothing learned from the old one is served.
import { strict as assert } from 'node:assert';
import { openSse, request, SESSION_OPEN, startBridge, type StartedBridge } from './support/bridge';
import { startSim } from './support/sim';

interface Match {
  symbol_text: string;
  con_id: number;
  symbol: string;
  sec_type: string;
  derivative_sec_types?: string[];
}
interface Month {
  symbol_text: string;
  con_id: number;
  local_symbol?: string;
  contract_month?: string;
  last_trade_date?: string;
  exchange: string;
}

describe('jax bridge: contract search and futures months', function () {
  this.timeout(60_000);
  let b: StartedBridge;

  before(async () => {
    b = await startBridge();
  });
  after(async () => {
    await b?.stop();
  });

  it('GET /contracts/search: matches in snake_case, each with the symbol text /quotes takes', async () => {
    const s = await request(`${b.url}/contracts/search?q=AAP`);
    assert.equal(s.status, 200, s.text);
    const body = s.json as { matches: Match[]; count: number };
    assert.equal(body.count, body.matches.length);
    const aapl = body.matches.find((m) => m.symbol === 'AAPL');
    assert.ok(aapl, s.text);
    assert.equal(aapl.con_id, 265598);
    assert.equal(aapl.sec_type, 'STK');
    assert.equal(aapl.symbol_text, 'AAPL');
    assert.ok(!('conId' in aapl), 'no camelCase field');
    const q = await request(`${b.url}/quotes/${encodeURIComponent(aapl.symbol_text)}`);
    assert.equal(q.status, 200, q.text);

    const fx = (await request(`${b.url}/contracts/search?q=EUR`)).json as { matches: Match[] };
    const eur = fx.matches.find((m) => m.sec_type === 'CASH');
    assert.ok(eur, JSON.stringify(fx));
    assert.match(eur.symbol_text, /^EUR\.[A-Z]{3}$/);
    assert.equal((await request(`${b.url}/quotes/${encodeURIComponent(eur.symbol_text)}`)).status, 200);

    assert.equal((await request(`${b.url}/contracts/search`)).status, 400);
  });

  it("every search match's symbol_text asks /quotes for exactly that contract: a future as its months, a stock listed only abroad with its exchange and currency", async () => {
    for (const q of ['ES', 'CL', 'RY', 'S&P', 'SHOP', 'AAP', 'EUR']) {
      const s = await request(`${b.url}/contracts/search?q=${encodeURIComponent(q)}`);
      assert.equal(s.status, 200, s.text);
      const body = s.json as { matches: Array<Match & Partial<Month>>; count: number };
      assert.ok(body.count > 0, `${q}: ${s.text}`);
      assert.equal(new Set(body.matches.map((m) => m.symbol_text)).size, body.matches.length, `${q}: one text per match: ${s.text}`);
      for (const m of body.matches) {
        for (const k of ['primary_exchange', 'currency', 'description', 'derivative_sec_types']) assert.ok(k in m, `${q}: ${k} in ${JSON.stringify(m)}`);
        const quote = await request(`${b.url}/quotes/${encodeURIComponent(m.symbol_text)}`);
        // 403: a contract the account may not stream (RY on TSE) is still that contract
        assert.ok([200, 403].includes(quote.status), `${q}: ${m.symbol_text} -> ${quote.status} ${quote.text}`);
        if (m.sec_type === 'FUT') {
          assert.match(m.contract_month ?? '', /^\d{6}$/, `${m.symbol_text}: a future's month`);
          assert.ok(m.symbol_text.includes(m.contract_month!), `${m.symbol_text} names its month ${m.contract_month}`);
        }
      }
    }
    const es = (await request(`${b.url}/contracts/search?q=ES`)).json as { matches: Array<Match & Partial<Month>> };
    const months = es.matches.filter((m) => m.sec_type === 'FUT' && m.symbol === 'ES').map((m) => m.contract_month!);
    assert.ok(months.length >= 2, JSON.stringify(es));
    assert.deepEqual([...months].sort(), months, 'front month first');
    const ry = (await request(`${b.url}/contracts/search?q=RY`)).json as { matches: Match[] };
    assert.ok(
      ry.matches.some((m) => m.symbol_text === 'RY@TSE CAD'),
      JSON.stringify(ry),
    );
  });

  it('GET /contracts/futures/ES: every listed month, front first, each quoted as that exact contract', async () => {
    const a = await request(`${b.url}/contracts/futures/es?exchange=CME`);
    assert.equal(a.status, 200, a.text);
    const body = a.json as { symbol: string; exchange: string; months: Month[]; count: number };
    assert.equal(body.symbol, 'ES');
    assert.equal(body.exchange, 'CME');
    assert.equal(((await request(`${b.url}/contracts/futures/CL`)).json as { exchange: string }).exchange, '', 'every exchange: an empty one');
    assert.ok(body.months.length >= 2, `at least two months: ${a.text}`);
    assert.equal(body.count, body.months.length);
    const order = body.months.map((m) => m.contract_month!);
    assert.deepEqual([...order].sort(), order, 'front month first');
    assert.equal(new Set(body.months.map((m) => m.con_id)).size, body.months.length, 'one row per contract');
    for (const m of body.months) {
      assert.match(m.symbol_text, /^ES \d{6} FUT@CME$/, m.symbol_text);
      assert.match(m.contract_month ?? '', /^\d{6}$/);
      assert.match(m.last_trade_date ?? '', /^\d{8}$/);
      assert.equal(m.exchange, 'CME');
    }
    // the second month's text streams the second month's contract, not the front month
    const second = body.months[1];
    const q = await request(`${b.url}/quotes/${encodeURIComponent(second.symbol_text)}`);
    assert.equal(q.status, 200, q.text);
    assert.ok(
      b.sim.server.activeMarketData().some((l) => l.conId === second.con_id),
      `a line for ${second.local_symbol} (${second.con_id}) on the gateway`,
    );
  });

  it('GET /contracts/futures/ES names its continuous future: /candles gives its bars across the rolls, /quotes 422 (9017, history only)', async () => {
    const a = await request(`${b.url}/contracts/futures/ES?exchange=CME`);
    const body = a.json as { continuous: string; months: Month[] };
    assert.equal(body.continuous, 'ES CONTFUT@CME');
    const post = (text: string, body: object) => request(`${b.url}/candles/${encodeURIComponent(text)}`, 'POST', body);
    const c = await post(body.continuous, { duration: '1 Y', bar_size: '1 day' });
    assert.equal(c.status, 200, c.text);
    const bars = (c.json as { candles: Array<{ timestamp: string }> }).candles;
    assert.ok(bars.length > 200, `${bars.length} daily bars`);
    const month = await post(body.months[0].symbol_text, { duration: '1 Y', bar_size: '1 day' });
    assert.equal(month.status, 200, month.text);
    assert.notDeepEqual(bars, (month.json as { candles: unknown[] }).candles, "not the front month's bars");
    const q = await request(`${b.url}/quotes/${encodeURIComponent(body.continuous)}`);
    assert.equal(q.status, 422, q.text);
    assert.equal((q.json as { code: number }).code, 9017);
    const ended = await post(body.continuous, { duration: '1 M', bar_size: '1 day', end: '2026-11-01T00:00:00Z' });
    assert.equal(ended.status, 422, ended.text);
    assert.match(ended.text, /no end date for a continuous future/);
    // GET /candles by timeframe: one request ending now (IB takes no end date for it), as many bars as asked
    for (const [tf, limit] of [
      ['1m', 250],
      ['15m', 1000],
      ['1h', 250],
      ['1d', 300],
    ] as const) {
      const got = await request(`${b.url}/candles/${encodeURIComponent(body.continuous)}?timeframe=${tf}&limit=${limit}`);
      assert.equal(got.status, 200, `${tf}: ${got.text.slice(0, 300)}`);
      assert.equal((got.json as { count: number }).count, limit, tf);
    }
    // it can never stream: refused before a stream starts, pointing at /candles
    const stream = await request(`${b.url}/stream/bars?symbol=${encodeURIComponent(body.continuous)}&bar_size=${encodeURIComponent('1 min')}`);
    assert.equal(stream.status, 422, stream.text);
    assert.equal((stream.json as { code: number }).code, 9017);
    assert.match(stream.text, /POST \/candles/);
  });

  it('GET /contracts/search?q=ES@CME (a future as traders write it, without its month): its months, front first', async () => {
    for (const q of ['ES@CME', 'ES FUT@CME']) {
      const s = await request(`${b.url}/contracts/search?q=${encodeURIComponent(q)}`);
      assert.equal(s.status, 200, s.text);
      const texts = (s.json as { matches: Match[] }).matches.map((m) => m.symbol_text);
      assert.ok(texts.length >= 2, `${q}: ${s.text.slice(0, 300)}`);
      for (const t of texts) assert.match(t, /^ES \d{6} FUT@CME$/, q);
    }
  });

  it('GET /contracts/futures: a root IB does not list is 404, a malformed one 400, an unknown parameter 400', async () => {
    const none = await request(`${b.url}/contracts/futures/ZZQQ`);
    assert.equal(none.status, 404, none.text);
    assert.match((none.json as { detail: string }).detail, /ZZQQ/);
    assert.equal((await request(`${b.url}/contracts/futures/${encodeURIComponent('E S')}`)).status, 400);
    assert.equal((await request(`${b.url}/contracts/futures/ES?exchange=${encodeURIComponent('CME;')}`)).status, 400);
    assert.equal((await request(`${b.url}/contracts/futures/ES?month=1`)).status, 400);
  });
});

describe('jax bridge: what was learned from one gateway is not served from another', function () {
  this.timeout(60_000);
  let b: StartedBridge | undefined;
  let other: Awaited<ReturnType<typeof startSim>> | undefined;
  afterEach(async () => {
    await b?.stop();
    await other?.stop();
    b = other = undefined;
  });

  it('POST /connect to another gateway: the same POST /candles at once answers with its bars, not the cached ones', async () => {
    b = await startBridge();
    const body = { duration: '2 D', bar_size: '5 mins' };
    const closes = async () =>
      ((await request(`${b!.url}/candles/AAPL`, 'POST', body)).json as { candles: Array<{ close: number }> }).candles.map((c) => c.close);
    const first = await closes();
    assert.ok(first.length > 10);
    // another market (another seed) standing in for another gateway
    other = await startSim({ clock: { start: SESSION_OPEN }, seed: 7 });
    const moved = await request(`${b.url}/connect`, 'POST', { port: other.port, client_id: 66 });
    assert.equal((moved.json as { success: boolean }).success, true, moved.text);
    const second = await closes();
    assert.notDeepEqual(second, first, "the new gateway's bars, not the old one's from the cache");
    assert.ok(
      other.server.receivedMessageIds().get(20),
      `the history request went to the new gateway: ${JSON.stringify([...other.server.receivedMessageIds()])}`,
    );
  });
  it('a future streamed across POST /connect counts once with the same future there, by its contract on that gateway', async () => {
    b = await startBridge();
    const months = ((await request(`${b.url}/contracts/futures/ES?exchange=CME`)).json as { months: Month[] }).months;
    const text = months[0].symbol_text;
    const sse = await openSse(`${b.url}/stream/quotes?symbols=${encodeURIComponent(text)}`);
    try {
      await sse.next((e) => e.event === 'quote');
      // a gateway that numbers its futures months from another base (IB does the simulator's made-up ones otherwise)
      other = await startSim({ clock: { start: SESSION_OPEN }, tickIntervalMs: 40, futuresConIdShift: 1000 });
      const moved = await request(`${b.url}/connect`, 'POST', { port: other.port, client_id: 66 });
      assert.equal((moved.json as { success: boolean }).success, true, moved.text);
      const there = months[0].con_id + 1000;
      await sse.next((e) => e.event === 'quote' && other!.server.activeMarketData().some((l) => l.conId === there));
      // the same future asked by its number there: one symbol held, not two
      assert.equal((await request(`${b.url}/quotes/${there}`)).status, 200);
      const metrics = (await request(`${b.url}/metrics`)).text;
      assert.match(metrics, /^ib_bridge_symbols 1$/m, metrics);
    } finally {
      sse.close();
    }
  });
});
