/**
 * Bad input given to the domain over a live simulator connection: empty,
 * absurd, huge and malicious symbols, bar sizes, durations and request
 * fields. Each gives a clear error naming what was wrong, nothing throws out
 * of turn, nothing reaches the gateway, and the connection stays healthy.
 */
import { strict as assert } from 'node:assert';
import { CandleService } from '../../src/ib/candles';
import { ContractService, SymbolSyntaxError } from '../../src/ib/contracts';
import { IbError, LOCAL_CODES } from '../../src/ib/errors';
import { QuoteService } from '../../src/ib/quotes';
import type { CandleEvent, HistoryRequest, IbErrorInfo, Quote } from '../../src/ib/types';
import { startSim, type StartedSim } from './support/sim';
import { connectSession, MARKET_OPEN, type TestSession } from './support/session';
import { waitUntil } from '../support/wait';

/** Client message ids that carry a request about a symbol (contract details, quotes, history, search). */
const SYMBOL_REQUESTS = [1, 9, 20, 81];
const NUL = '\u0000';

const BAD_SYMBOLS: Array<[string, string, RegExp]> = [
  ['empty', '', /empty/],
  ['blank', ' \t\n ', /empty/],
  ['a NUL inside', `AAPL${NUL}`, /control characters/],
  ['a NUL and a second request', `AAPL${NUL}9${NUL}1${NUL}`, /control characters/],
  ['a newline inside', 'AAPL\nMSFT', /not a security type|control characters/],
  ['10,000 characters', 'A'.repeat(10_000), /longer than 64 characters/],
  ['unicode letters', 'ÄPFEL', /is not a symbol/],
  ['an emoji', '🍎', /is not a symbol/],
  ['right-to-left override', 'AAPL\u202e', /control characters|is not a symbol/],
  ['two exchanges', 'AAPL@NASDAQ@NYSE', /more than one "@"/],
  ['an empty exchange', 'AAPL@', /not an exchange name/],
  ['script', '<script>alert(1)</script>', /is not a symbol|not an exchange|not a security type/],
  ['JSON', '{"symbol":"AAPL"}', /is not a symbol|not a security type/],
  ['a zero conId', '0', /not a valid contract id/],
  ['a conId past 32 bits', '99999999999', /not a valid contract id/],
  ['a negative number', '-5', /is not a symbol/],
  ['a float', '1.5', /is not a symbol/],
  ['a bad month', 'ES 202513 FUT@CME', /not a contract month/],
  ['a future without its month or exchange', 'ES FUT', /needs its exchange, like "ES FUT@CME", or a contract month/],
  ['an unknown word', 'AAPL BANANA', /not a security type/],
];

const BAD_BARS: Array<[string, Partial<HistoryRequest>, RegExp]> = [
  ['an unknown bar size', { barSize: '7 mins' }, /"7 mins" is not an IB bar size/],
  ['an empty bar size', { barSize: '' }, /"" is not an IB bar size/],
  ['a negative bar size', { barSize: '-1 min' }, /is not an IB bar size/],
  ['a float bar size', { barSize: '1.5 mins' }, /is not an IB bar size/],
  ['a zero duration', { duration: '0 D' }, /"0 D" is not an IB duration/],
  ['a huge duration', { duration: '999 Y' }, /"999 Y" is not an IB duration/],
  ['a negative duration', { duration: '-1 D' }, /"-1 D" is not an IB duration/],
  ['an empty duration', { duration: '' }, /is not an IB duration/],
  ['a unit IB does not have', { duration: '3 H' }, /is not an IB duration/],
  ['a too fine bar for the duration', { barSize: '1 secs', duration: '1 Y' }, /too small for a duration of "1 Y"/],
  ['a bar longer than the duration', { barSize: '1 hour', duration: '60 S' }, /longer than the duration/],
];

describe('bad input to the domain, over a live connection', function () {
  this.timeout(30_000);
  let sim: StartedSim;
  let session: TestSession;
  let contracts: ContractService;
  let quotes: QuoteService;
  let candles: CandleService;
  const ids = () => sim.server.receivedMessageIds();
  const symbolRequests = () => SYMBOL_REQUESTS.reduce((n, id) => n + (ids().get(id) ?? 0), 0);
  let unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);

  before(async () => {
    sim = await startSim({ clock: { start: MARKET_OPEN }, tickIntervalMs: 60 });
    session = await connectSession(sim.port, 81);
    contracts = new ContractService(session.manager);
    quotes = new QuoteService(session.manager, contracts);
    candles = new CandleService(session.manager, contracts);
    process.on('unhandledRejection', onUnhandled);
  });

  after(async () => {
    process.off('unhandledRejection', onUnhandled);
    quotes?.dispose();
    candles?.dispose();
    await session?.close();
    await sim?.stop();
  });

  beforeEach(() => {
    unhandled = [];
  });

  afterEach(async () => {
    // the connection is healthy: a real request still works, nothing was dropped
    assert.equal(session.manager.status.phase, 'ready');
    assert.equal(session.manager.status.connectedSince !== undefined, true);
    assert.equal((await contracts.resolve('AAPL')).conId, 265598);
    session.assertNoDecodingErrors();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(unhandled, [], 'no unhandled rejection');
  });

  for (const [what, text, expected] of BAD_SYMBOLS) {
    it(`a symbol with ${what}: refused in words by resolve, snapshot, subscribe, fetch and live, with nothing sent`, async () => {
      const before = symbolRequests();
      const check = (e: unknown): true => {
        assert.ok(e instanceof SymbolSyntaxError, `a SymbolSyntaxError, got ${String(e)}`);
        assert.match(e.message, expected);
        assert.match(e.message, /expected a symbol such as/);
        assert.ok(e.message.length < 400, `a message of bounded size (${e.message.length})`);
        // eslint-disable-next-line no-control-regex
        assert.ok(!/[\u0000-\u0008\u000b-\u001f]/.test(e.message), 'no raw control characters echoed');
        return true;
      };
      await assert.rejects(contracts.resolve(text), check);
      await assert.rejects(quotes.snapshot(text), check);
      await assert.rejects(candles.fetch({ symbol: text, barSize: '1 hour', duration: '1 W' }), check);
      const quoteErrors: IbErrorInfo[] = [];
      const got: Quote[] = [];
      const sub = quotes.subscribe(
        text,
        (q) => got.push(q),
        (e) => quoteErrors.push(e),
      );
      const events: CandleEvent[] = [];
      const live = candles.live({ symbol: text, barSize: '5 secs', duration: '1800 S' }, (e) => events.push(e));
      const qe = await waitUntil('the stream error', () => quoteErrors[0]);
      const le = await waitUntil('the live error', () => events[0]);
      assert.ok(le.type === 'error');
      for (const info of [qe, le.error]) {
        assert.match(`${info.message} ${info.raw ?? ''}`, expected, 'the problem is named');
      }
      sub.dispose();
      live.dispose();
      assert.deepEqual(got, []);
      assert.equal(quotes.activeLines, 0);
      assert.equal(candles.liveSeries, 0);
      assert.equal(symbolRequests(), before, 'nothing about this symbol reached the gateway');
    });
  }

  // A SymbolSyntaxError reaching a stream used to become the generic "A request to IB Gateway/TWS failed."
  it('a bad symbol given to a stream or a live chart is reported with the syntax problem as the message', async () => {
    const quoteErrors: IbErrorInfo[] = [];
    const sub = quotes.subscribe(
      `AAPL${NUL}`,
      () => undefined,
      (e) => quoteErrors.push(e),
    );
    const events: CandleEvent[] = [];
    const live = candles.live({ symbol: 'AAPL@@X', barSize: '5 secs', duration: '1800 S' }, (e) => events.push(e));
    const qe = await waitUntil('the stream error', () => quoteErrors[0]);
    const le = await waitUntil('the live error', () => events[0]);
    sub.dispose();
    live.dispose();
    assert.match(qe.message, /control characters/);
    assert.ok(le.type === 'error');
    assert.match(le.error.message, /more than one "@"/);
    assert.doesNotMatch(`${qe.action} ${le.error.action}`, /reconnect/);
  });

  it('a spec object with a NUL or a huge field is refused before sending (no field injection)', async () => {
    const before = symbolRequests();
    const specs = [
      { text: 'AAPL', symbol: `AAPL${NUL}STK`, secType: 'STK' as const, exchange: 'SMART', currency: 'USD' },
      { text: 'AAPL', symbol: 'AAPL', secType: 'STK' as const, exchange: `SMART${NUL}`, currency: 'USD' },
      { text: 'AAPL', symbol: 'A'.repeat(10_000), secType: 'STK' as const, exchange: 'SMART', currency: 'USD' },
    ];
    for (const spec of specs) {
      await assert.rejects(contracts.resolve(spec), (e: unknown) => {
        assert.ok(e instanceof Error);
        assert.match(e.message, /symbol|exchange|control characters|longer/i);
        assert.ok(e.message.length < 400);
        return true;
      });
    }
    assert.equal(symbolRequests(), before, 'nothing reached the gateway');
  });

  it('symbol search: empty gives nothing, control characters and huge text are refused in words before sending', async () => {
    const before = ids().get(81) ?? 0;
    assert.deepEqual(await contracts.search(''), []);
    assert.deepEqual(await contracts.search('   '), []);
    for (const bad of [`AP${NUL}PL`, 'A'.repeat(10_000), 'AAPL\r\nMSFT']) {
      await assert.rejects(contracts.search(bad), (e: unknown) => {
        assert.ok(e instanceof IbError);
        assert.match(e.info.message, /search text must be 1 to 64 printable characters/);
        return true;
      });
    }
    assert.equal(ids().get(81) ?? 0, before, 'no search reached the gateway');
    // odd but harmless text is asked and simply matches nothing
    assert.deepEqual(await contracts.search('ÄPFEL🍎'), []);
  });

  it('a quote snapshot with an absurd time limit ends with a clear timeout, not a hang', async () => {
    for (const ms of [Number.NaN, -5, 0]) {
      const got = await quotes.snapshot('AAPL', ms).then(
        (q) => `quote ${q.symbol}`,
        (e: unknown) => (e instanceof IbError ? e.info.message : `other: ${String(e)}`),
      );
      assert.match(got, /^quote AAPL$|did not answer the snapshot/, got);
    }
    await waitUntil('no snapshot line left', () => sim.server.activeMarketData().length === 0 || undefined);
  });

  for (const [what, change, expected] of BAD_BARS) {
    it(`history with ${what}: refused in words by fetch and live, with nothing sent`, async () => {
      await contracts.resolve('MSFT');
      const before = ids().get(20) ?? 0;
      const req: HistoryRequest = { symbol: 'MSFT', barSize: '1 hour', duration: '1 W', ...change };
      await assert.rejects(candles.fetch(req), (e: unknown) => {
        assert.ok(e instanceof IbError, String(e));
        assert.equal(e.info.code, LOCAL_CODES.invalidRequest);
        assert.equal(e.info.source, 'local');
        assert.match(e.info.message, expected);
        assert.ok(e.info.action.length > 0);
        return true;
      });
      const events: CandleEvent[] = [];
      const live = candles.live(req, (e) => events.push(e));
      const ev = await waitUntil('the live error', () => events[0]);
      assert.ok(ev.type === 'error');
      assert.ok(/bar size|duration|5 secs/.test(ev.error.message), ev.error.message);
      live.dispose();
      assert.equal(ids().get(20) ?? 0, before, 'no history request reached the gateway');
    });
  }
});
