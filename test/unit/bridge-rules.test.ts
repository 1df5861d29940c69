import { strict as assert } from 'node:assert';
import { parseBridgeArgs } from '../../src/bridge/cli-args';
import { checkBinding, hasToken } from '../../src/bridge/auth';
import { toHttpError } from '../../src/bridge/http-errors';
import { ibEndDate, LIMIT, maxChunks, parseTimeframe, TIMEFRAME_NAMES, yearsFor } from '../../src/bridge/timeframes';
import { candleJson, cleanPrice, quoteJson, quotePrice } from '../../src/bridge/wire-json';
import { AmbiguousSymbolError, describeIbError, IbError, SymbolSyntaxError } from '../../src/ib';
import { timeoutError } from '../../src/ib/contracts/failures';

const files = (map: Record<string, string>) => (p: string) => {
  if (p in map) return map[p];
  throw Object.assign(new Error('missing'), { code: 'ENOENT' });
};

describe('bridge command line', () => {
  it('defaults: 127.0.0.1:8092, the gateway at 127.0.0.1:7497 as client 1, no token', () => {
    const a = parseBridgeArgs([], {});
    assert.deepEqual(
      { host: a.host, port: a.port, token: a.token, ib: a.ib, simulated: a.simulated },
      { host: '127.0.0.1', port: 8092, token: undefined, ib: { host: '127.0.0.1', port: 7497, clientId: 1 }, simulated: undefined },
    );
  });

  it('--config reads the ib block; host.docker.internal becomes 127.0.0.1 with a note', () => {
    const a = parseBridgeArgs(
      ['--config', 'c.json'],
      {},
      files({ 'c.json': '{"ib": {"enabled": true, "host": "host.docker.internal", "port": 4002, "client_id": 9}}' }),
    );
    assert.deepEqual(a.ib, { host: '127.0.0.1', port: 4002, clientId: 9 });
    assert.ok(a.notes.some((n) => /host\.docker\.internal.*127\.0\.0\.1/.test(n)));
  });

  it('--config problems and bad flags are errors with the usage', () => {
    assert.throws(() => parseBridgeArgs(['--config', 'nope.json'], {}, files({})), /cannot read the jax config nope\.json: ENOENT[\s\S]*usage: bridge/);
    assert.throws(() => parseBridgeArgs(['--config', 'c.json'], {}, files({ 'c.json': '{"ib": {"host": 1}}' })), /cannot be used: .*ib\.enabled is missing/);
    assert.throws(() => parseBridgeArgs(['--port', '99999'], {}), /--port must be a whole number from 0 to 65535/);
    assert.throws(() => parseBridgeArgs(['--nope'], {}), /unknown option '--nope'/i);
    assert.throws(() => parseBridgeArgs(['--sim-start', 'now'], {}), /--sim-start needs --simulated/);
    assert.throws(() => parseBridgeArgs(['--sim-seed', '7'], {}), /--sim-seed needs --simulated/);
    assert.throws(() => parseBridgeArgs(['--simulated', '--sim-start', 'soon'], {}), /ISO date/);
  });

  it('--simulated with a pinned clock; the token from IB_BRIDGE_TOKEN', () => {
    const a = parseBridgeArgs(['--simulated', '--sim-start', '2026-11-17T15:00:00Z'], { IB_BRIDGE_TOKEN: 'x'.repeat(20) });
    assert.deepEqual(a.simulated, { start: '2026-11-17T15:00:00Z', seed: 42 });
    // any seed the editor's jax.ib.simulator.seed takes (-2147483648 to 2147483647), negative ones too
    assert.equal(parseBridgeArgs(['--simulated', '--sim-seed=-2147483648'], {}).simulated?.seed, -(2 ** 31));
    assert.equal(parseBridgeArgs(['--simulated', '--sim-seed', '2147483647'], {}).simulated?.seed, 2 ** 31 - 1);
    assert.throws(() => parseBridgeArgs(['--simulated', '--sim-seed=-2147483649'], {}), /--sim-seed must be a whole number from -2147483648 to 2147483647/);
    assert.throws(() => parseBridgeArgs(['--simulated', '--sim-seed', '4.5'], {}), /--sim-seed must be a whole number/);
    assert.equal(a.token, 'x'.repeat(20));
  });
});

describe('bridge token rule', () => {
  it('loopback needs no token; anything else does', () => {
    assert.equal(checkBinding('127.0.0.1', undefined), undefined);
    assert.equal(checkBinding('localhost', undefined), undefined);
    assert.match(checkBinding('0.0.0.0', undefined)!, /needs a token/);
    assert.equal(checkBinding('0.0.0.0', 't'.repeat(16)), undefined);
    assert.match(checkBinding('127.0.0.1', 'short')!, /16 to 256/);
  });

  it('only "Bearer <token>" matches', () => {
    const t = 'secret-token-1234567';
    assert.equal(hasToken(`Bearer ${t}`, t), true);
    assert.equal(hasToken(`bearer ${t}`, t), true);
    assert.equal(hasToken(t, t), false);
    assert.equal(hasToken(`Bearer ${t}x`, t), false);
    // the whole header, nothing before "Bearer" or after the token
    assert.equal(hasToken(`Bearer ${t} junk`, t), false);
    assert.equal(hasToken(`xBearer ${t}`, t), false);
    assert.equal(hasToken(`Basic x, Bearer ${t}`, t), false);
    assert.equal(hasToken(undefined, t), false);
  });
});

describe('bridge timeframes and errors', () => {
  it('every jax timeframe spelling maps to an IB bar size', () => {
    const sizes = Object.fromEntries(TIMEFRAME_NAMES.map((n) => [n, parseTimeframe(n)?.barSize]));
    assert.deepEqual(sizes, {
      '1': '1 min',
      '5': '5 mins',
      '15': '15 mins',
      '60': '1 hour',
      '1D': '1 day',
      '1W': '1 week',
      '1m': '1 min',
      '5m': '5 mins',
      '15m': '15 mins',
      '1h': '1 hour',
      '1d': '1 day',
      '1w': '1 week',
    });
    assert.equal(parseTimeframe('2h'), undefined);
    assert.equal(parseTimeframe('1M'), undefined);
    assert.equal(yearsFor(parseTimeframe('1d')!, 250), '2 Y');
    assert.equal(yearsFor(parseTimeframe('1w')!, 1000), '20 Y');
    assert.equal(ibEndDate(Date.parse('2026-11-17T15:04:05Z') / 1000), '20261117-15:04:05');
  });

  it('domain errors become the statuses the Go client expects', () => {
    assert.equal(toHttpError(new IbError(describeIbError(504))).status, 503);
    assert.equal(toHttpError(new IbError(describeIbError(502))).status, 503);
    assert.equal(toHttpError(new IbError(describeIbError(200))).status, 404);
    assert.equal(toHttpError(new SymbolSyntaxError('bad')).status, 400);
    assert.equal(toHttpError(new AmbiguousSymbolError('X', [])).status, 422);
    assert.equal(toHttpError(new IbError(describeIbError(321))).status, 422);
    assert.equal(toHttpError(new IbError(describeIbError(162))).status, 429);
    assert.equal(toHttpError(new IbError(describeIbError(354))).status, 403);
    assert.equal(toHttpError(timeoutError('snapshot', 1000)).status, 504);
    assert.equal(toHttpError(new Error('boom')).status, 500);
  });

  it('a quote: the last trade, else the midpoint; 0 for no data; whole sizes; RFC 3339', () => {
    const base = { symbol: 'X', halted: false, dataType: 'live' as const };
    assert.equal(quotePrice({ ...base, last: 10, bid: 9, ask: 11 }), 10);
    assert.equal(quotePrice({ ...base, bid: 9, ask: 11 }), 10);
    assert.equal(quotePrice({ ...base }), 0);
    const q = quoteJson('X', { ...base, bid: 1, bidSize: 2.4, askSize: 3.6, volume: 1e6 + 0.5, time: Date.parse('2026-11-17T15:00:00Z') }, undefined, 0);
    assert.deepEqual(q, {
      symbol: 'X',
      price: 1,
      bid: 1,
      ask: 0,
      bid_size: 2,
      ask_size: 4,
      volume: 1000001,
      timestamp: '2026-11-17T15:00:00.000Z',
      exchange: '',
    });
  });

  it("a candle's vwap without binary noise: the typical price and IB's WAP at 12 significant digits, real digits kept", () => {
    const bar = { time: Date.parse('2026-11-17T15:00:00Z') / 1000, volume: 0 };
    // (h + l + c) / 3 of MIDPOINT bars: 6187.100000000001 and 1.0905000000000002 as plain doubles
    const es = candleJson({ ...bar, open: 6187, high: 6188, low: 6185.5, close: 6187.8 });
    assert.equal((6188 + 6185.5 + 6187.8) / 3 === 6187.1, false, 'the double is noisy');
    assert.equal(es.vwap, 6187.1);
    assert.equal(JSON.stringify(es.vwap), '6187.1');
    const fx = candleJson({ ...bar, open: 1.0904, high: 1.0906, low: 1.0903, close: 1.0906 });
    assert.equal(fx.vwap, 1.0905);
    // a third that does not end: cut, not lost (1e-12 relative)
    const third = candleJson({ ...bar, open: 1, high: 1.2598, low: 1.2597, close: 1.25985 });
    assert.equal(JSON.stringify(third.vwap), '1.25978333333');
    // IB's WAP: its noise goes, its digits stay
    assert.equal(candleJson({ ...bar, open: 1, high: 2, low: 1, close: 2, wap: 1.2599500000000001 }).vwap, 1.25995);
    assert.equal(candleJson({ ...bar, open: 187, high: 188, low: 186, close: 187, wap: 187.12345678 }).vwap, 187.12345678);
    for (const v of [0.00001234, 0.1 + 0.2, 123456.78, 98765.4321, 0, -1.5]) {
      const clean = cleanPrice(v);
      assert.ok(Math.abs(clean - v) <= Math.abs(v) * 1e-12, `${v} -> ${clean}`);
      assert.ok(JSON.stringify(clean).replace(/^-?0\.0*|\.|-/g, '').length <= 12, `${v} -> ${JSON.stringify(clean)}`);
    }
    assert.equal(cleanPrice(0.1 + 0.2), 0.3);
    assert.equal(cleanPrice(NaN), NaN);
  });

  it('GET /candles may ask as many requests as the limit needs of an instrument trading regular hours only, holidays among them', () => {
    const reach = (tf: string, limit: number) => {
      const t = parseTimeframe(tf)!;
      // the requests, each of its fewest bars (minBars), cover the limit, one of them the unfinished stretch
      return (maxChunks(t, limit) - 1) * t.chunk!.minBars;
    };
    for (const tf of ['1m', '5m', '15m', '1h']) for (const limit of [1, 30, 250, 999, LIMIT.max]) assert.ok(reach(tf, limit) >= limit, `${tf} ${limit}`);
    // 15-minute bars: a week brings 130 regular-hours bars; a week with a holiday and a half day 91
    assert.ok(parseTimeframe('15m')!.chunk!.minBars <= 91);
    assert.ok(maxChunks(parseTimeframe('15m')!, LIMIT.max) > 8, 'more than the 8 requests 1000 bars of 15 minutes could not fit in');
    assert.equal(maxChunks(parseTimeframe('1d')!, LIMIT.max), 1);
  });
});
