// Whether a symbol's quotes on a stream are live or delayed (15 minutes old):
// GET /quotes says it in a header; the streams say it in an event of their own
// before the symbol's first quote and whenever it changes, so a delayed quote
// never passes for a live one and the quote objects keep their exact fields.
import { strict as assert } from 'node:assert';
import { openSse, request, startBridge, wsOpen, type SseEvent, type StartedBridge } from './support/bridge';
import { waitUntil } from '../support/wait';
import { marketTime } from '../support/market-times';

type Kind = { symbol: string; market_data_type: string };
const SHOP_TSE = 'SHOP@TSE';

describe('jax bridge: streams say whether quotes are live or delayed', function () {
  this.timeout(60_000);
  let b: StartedBridge | undefined;
  afterEach(async () => {
    await b?.stop();
    b = undefined;
  });

  it('SSE /stream/quotes: a "market_data_type" event for each symbol before its first quote, once while it holds', async () => {
    b = await startBridge();
    const sse = await openSse(`${b.url}/stream/quotes?symbols=AAPL,${encodeURIComponent(SHOP_TSE)}`);
    const quoteOf = (symbol: string) => (e: SseEvent) => e.event === 'quote' && (e.data as { symbol: string }).symbol === symbol;
    await sse.next(quoteOf('AAPL'));
    await sse.next(quoteOf(SHOP_TSE));
    // let a few more quotes come
    await waitUntil('more AAPL quotes', () => (sse.events.filter(quoteOf('AAPL')).length >= 3 ? true : undefined));
    const kinds = sse.events.filter((e) => e.event === 'market_data_type').map((e) => e.data as Kind);
    assert.deepEqual(
      kinds.sort((x, y) => x.symbol.localeCompare(y.symbol)),
      [
        { symbol: 'AAPL', market_data_type: 'live' },
        { symbol: SHOP_TSE, market_data_type: 'delayed' },
      ],
    );
    for (const symbol of ['AAPL', SHOP_TSE]) {
      const kindAt = sse.events.findIndex((e) => e.event === 'market_data_type' && (e.data as Kind).symbol === symbol);
      assert.ok(kindAt >= 0 && kindAt < sse.events.findIndex(quoteOf(symbol)), `${symbol}'s kind comes before its first quote`);
    }
    sse.close();
  });

  it("GET /quotes at the weekend: a forex pair is priced at Friday's last mid, marked frozen (not at the close of the session before, marked live)", async () => {
    b = await startBridge({}, { clock: { start: marketTime('saturday') } }, 69);
    const q = await request(`${b.url}/quotes/EUR.USD`);
    assert.equal(q.status, 200, q.text);
    assert.equal(q.headers['x-ib-market-data-type'], 'frozen');
    const quote = q.json as { price: number; bid: number; ask: number };
    assert.ok(quote.bid > 0 && quote.ask > quote.bid, `the last book: ${q.text}`);
    assert.equal(quote.price, Number(((quote.bid + quote.ask) / 2).toFixed(6)));
    // the last minute of the week, as its MIDPOINT bars have it
    const bars = (await request(`${b.url}/candles/EUR.USD?timeframe=1m&limit=1`)).json as { candles: Array<{ close: number }> };
    assert.equal(quote.price, bars.candles[0].close, "the week's last mid");
  });

  it('SSE: when the kind changes (a closed market, the market data type set to live, then auto) the stream says so', async () => {
    // Saturday: under auto IB is asked for frozen data, and says frozen: the last values, the book included
    b = await startBridge({}, { clock: { start: marketTime('saturday') } }, 68);
    const sse = await openSse(`${b.url}/stream/quotes?symbols=AAPL`);
    const first = await sse.next((e) => e.event === 'quote');
    const kinds = () => sse.events.filter((e) => e.event === 'market_data_type').map((e) => (e.data as Kind).market_data_type);
    assert.deepEqual(kinds(), ['frozen']);
    const book = first.data as { bid: number; ask: number };
    assert.ok(book.bid > 0 && book.ask >= book.bid, `the last book: ${JSON.stringify(book)}`);
    // live data of a closed market is IB's "live" with no book (bid and ask -1: 0 here)
    b.quotes.setMarketDataType('live');
    const empty = await sse.next((e) => e.event === 'quote' && (e.data as { bid: number }).bid === 0);
    assert.equal((empty.data as { ask: number }).ask, 0);
    b.quotes.setMarketDataType('auto');
    await waitUntil('the kind said again', () => (kinds().length > 2 ? true : undefined));
    assert.deepEqual(kinds(), ['frozen', 'live', 'frozen']);
    sse.close();
  });

  it('WS /ws/quotes: {"event": "market_data_type"} before a symbol\'s first quote; subscribed again, the kind and the quote come again though unchanged', async () => {
    // a closed market: the quotes do not move, so only forgetting what was sent brings them again
    b = await startBridge({}, { clock: { start: marketTime('saturday') } }, 67);
    // frozen: the last of a closed market (as auto asks)
    const c = await wsOpen(`${b.url.replace('http', 'ws')}/ws/quotes`);
    const event = (name: string) => (m: unknown) => (m as { event: string }).event === name;
    // the messages from `from` on that match, once there are `n`
    const seen = (from: number, name: string, n = 1) =>
      waitUntil(`${name} message`, () => {
        const found = c.messages.slice(from).filter(event(name));
        return found.length >= n ? found : undefined;
      });
    c.ws.send(JSON.stringify({ action: 'subscribe', symbols: ['AAPL'] }));
    const [first] = (await seen(0, 'quote')) as Array<{ data: Record<string, unknown> }>;
    const kinds = (await seen(0, 'market_data_type')) as Array<Kind & { event: string }>;
    assert.deepEqual(kinds, [{ event: 'market_data_type', symbol: 'AAPL', market_data_type: 'frozen' }]);
    assert.ok(c.messages.indexOf(kinds[0]) < c.messages.indexOf(first), 'the kind comes first');
    c.ws.send(JSON.stringify({ action: 'unsubscribe', symbols: ['AAPL'] }));
    await seen(0, 'unsubscribed');
    const from = c.messages.length;
    c.ws.send(JSON.stringify({ action: 'subscribe', symbols: ['AAPL'] }));
    const [again] = (await seen(from, 'quote')) as Array<{ data: Record<string, unknown> }>;
    assert.deepEqual(again.data, first.data, 'the same quote, sent again to a client that subscribed again');
    assert.deepEqual(c.messages.slice(from).filter(event('market_data_type')), kinds, 'and its kind before it');
    c.ws.close();
  });
  it('WS /ws/quotes/{symbol}: quote objects only by default; with ?market_data_type=true the kind comes first, so a delayed quote never passes for a live one', async () => {
    b = await startBridge();
    const base = `${b.url.replace('http', 'ws')}/ws/quotes/${encodeURIComponent(SHOP_TSE)}`;
    const plain = await wsOpen(base);
    const marked = await wsOpen(`${base}?market_data_type=1`);
    try {
      const quotes = (c: typeof plain) => c.messages.filter((m) => (m as { event?: string }).event === undefined);
      await waitUntil('quotes on both sockets', () => (quotes(plain).length >= 2 && quotes(marked).length >= 2 ? true : undefined));
      assert.deepEqual(
        plain.messages.filter((m) => (m as { event?: string }).event !== undefined),
        [],
        'the default socket carries quote objects only',
      );
      assert.deepEqual(marked.messages[0], { event: 'market_data_type', symbol: SHOP_TSE, market_data_type: 'delayed' }, 'first, what the quotes are');
      assert.equal(marked.messages.filter((m) => (m as { event?: string }).event === 'market_data_type').length, 1, 'once while it holds');
      assert.deepEqual(Object.keys(quotes(marked)[0] as object), Object.keys(quotes(plain)[0] as object), 'the quote objects keep their fields');
    } finally {
      plain.ws.close();
      marked.ws.close();
    }
    // a value it does not take is named before the upgrade
    const bad = await request(`${b.url}/ws/quotes/AAPL?market_data_type=yes`, 'GET', undefined, {
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-version': '13',
      'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
    });
    assert.equal(bad.status, 400, bad.text);
  });
});
