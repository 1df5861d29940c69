// The bridge holds a new line's quotes back until its first picture is whole,
// and no longer than that: a busy symbol (quotes every 50 ms, never a quiet
// 100 ms) is answered as soon as it holds all its instrument has, not at the
// one-second cap; a closed market's picture (never whole) after a quiet spell.
import { strict as assert } from 'node:assert';
import { install } from '@sinonjs/fake-timers';
import { QuoteHub } from '../../src/bridge/quote-hub';
import type { ContractService, QuoteService } from '../../src/ib';
import type { Quote, ResolvedContract, SecType } from '../../src/ib/types';

function contract(symbol: string, secType: SecType): ResolvedContract {
  return { conId: 1, symbol, secType, exchange: 'SMART', currency: 'USD', display: symbol } as ResolvedContract;
}

/** A hub over a quote service whose one line's quotes the test sends. */
function hubFor(c: ResolvedContract) {
  let send: ((q: Quote) => void) | undefined;
  const quotes = {
    subscribe: (_s: string, listener: (q: Quote) => void) => {
      send = listener;
      return { dispose: () => (send = undefined) };
    },
  } as unknown as QuoteService;
  const contracts = { resolve: async () => c, cached: () => c } as unknown as ContractService;
  const hub = new QuoteHub(quotes, contracts);
  const quote = (fields: Partial<Quote>): void => send!({ symbol: c.symbol, secType: c.secType, halted: false, dataType: 'live', ...fields });
  return { hub, quote };
}

describe('jax bridge: a new line is answered once its first picture is whole', () => {
  let clock: ReturnType<typeof install>;
  beforeEach(() => (clock = install({ now: 0, toFake: ['setTimeout', 'clearTimeout', 'Date', 'queueMicrotask'] })));
  afterEach(() => clock.uninstall());

  /** GETs the symbol while `feed` sends quotes; the fake time at which it was answered, and the quote. */
  async function answeredAt(c: ResolvedContract, feed: (quote: (f: Partial<Quote>) => void, step: () => Promise<void>) => Promise<void>) {
    const { hub, quote } = hubFor(c);
    const start = Date.now();
    let at: number | undefined;
    let got: Quote | undefined;
    const answer = hub.latest(c.symbol, 5_000).then(({ quote: q }) => {
      at = Date.now() - start;
      got = q;
    });
    await clock.tickAsync(0);
    await feed(quote, async () => void (await clock.tickAsync(50)));
    for (let i = 0; i < 40 && at === undefined; i++) await clock.tickAsync(50);
    await answer;
    hub.dispose();
    return { at: at!, quote: got! };
  }

  it('a busy stock: at the quote that completes the book, the last trade and the volume, not at the cap', async () => {
    const busy = await answeredAt(contract('AAPL', 'STK'), async (quote, step) => {
      quote({ bid: 231.4 });
      await step();
      quote({ bid: 231.4, bidSize: 300, ask: 231.42, askSize: 500 });
      await step();
      quote({ bid: 231.4, bidSize: 300, ask: 231.42, askSize: 500, last: 231.41 });
      await step();
      quote({ bid: 231.4, bidSize: 300, ask: 231.42, askSize: 500, last: 231.41, volume: 1_200_000 });
      // and it keeps streaming: never 100 ms without a quote
      for (let i = 0; i < 30; i++) {
        await step();
        quote({ bid: 231.4, bidSize: 300 + i, ask: 231.42, askSize: 500, last: 231.41, volume: 1_200_000 + i });
      }
    });
    assert.equal(busy.at, 150, 'answered when the picture was whole');
    assert.equal(busy.quote.volume, 1_200_000);
  });

  it('a forex pair is whole with its book; an index with its last', async () => {
    const fx = await answeredAt(contract('EUR.USD', 'CASH'), async (quote, step) => {
      quote({ bid: 1.1567 });
      await step();
      quote({ bid: 1.1567, bidSize: 2e6, ask: 1.1568, askSize: 1e6 });
      for (let i = 0; i < 30; i++) {
        await step();
        quote({ bid: 1.1567, bidSize: 2e6 + i, ask: 1.1568, askSize: 1e6 });
      }
    });
    assert.equal(fx.at, 50);
    const index = await answeredAt(contract('SPX', 'IND'), async (quote, step) => {
      quote({ last: 6672.41 });
      for (let i = 0; i < 30; i++) {
        await step();
        quote({ last: 6672.41 + i / 100 });
      }
    });
    assert.equal(index.at, 0);
  });

  it('a closed market (the previous close alone, never whole): after 100 ms without a quote', async () => {
    const closed = await answeredAt(contract('AAPL', 'STK'), async (quote) => {
      quote({ close: 229.1 });
    });
    assert.equal(closed.at, 100);
    assert.equal(closed.quote.close, 229.1);
  });

  it('a busy line that never gets whole (no volume yet): at the one-second cap', async () => {
    const capped = await answeredAt(contract('AAPL', 'STK'), async (quote, step) => {
      for (let i = 0; i < 30; i++) {
        quote({ bid: 231.4, bidSize: 300, ask: 231.42, askSize: 500 + i });
        await step();
      }
    });
    assert.equal(capped.at, 1_000);
  });

  it('a line sent again after a reconnect: its mixed quotes (stale) are held back until the picture is whole again', async () => {
    const { hub, quote } = hubFor(contract('MSFT', 'STK'));
    const heard: Quote[] = [];
    const sub = hub.watch('MSFT', (q) => heard.push(q));
    const whole = { bid: 508.4, bidSize: 300, ask: 508.42, askSize: 500, last: 508.41, volume: 8_767_700 };
    quote(whole);
    await clock.tickAsync(0);
    assert.equal(heard.length, 1);
    // the reconnect: new bid and ask first, the old volume and trade time still in the quote
    quote({ ...whole, bid: 508.45, ask: 508.46, stale: true });
    await clock.tickAsync(20);
    assert.equal(heard.length, 1, 'the mixed quote is held back');
    quote({ ...whole, bid: 508.45, ask: 508.46, volume: 8_774_800 });
    await clock.tickAsync(0);
    assert.equal(heard.length, 2);
    assert.equal(heard[1].volume, 8_774_800, 'the next quote heard is the new picture');
    sub.dispose();
    hub.dispose();
  });
});
