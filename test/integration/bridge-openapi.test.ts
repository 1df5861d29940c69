/**
 * GET /openapi.json is generated from the routes' own schemas: it lists every
 * route a jax service may call, and what the bridge really answers validates
 * against what the document says (checked with a JSON Schema validator, not
 * by reading our own code). Also `use_rth`: regular hours by default for
 * fetched candles, every session when asked.
 */
import { strict as assert } from 'node:assert';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { symbolParam } from '../../src/bridge/symbols';
import { LIMIT } from '../../src/bridge/timeframes';
import { newYorkMinutes, request, startBridge, type StartedBridge } from './support/bridge';

interface Operation {
  parameters?: Array<{ name: string; in: string; required?: boolean; schema: { default?: unknown } }>;
  requestBody?: { required?: boolean; content: Record<string, { schema: object }> };
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
}
type Doc = { openapi: string; info: { version: string }; paths: Record<string, Record<string, Operation>> };

describe('jax bridge: the API description and regular hours', function () {
  this.timeout(30_000);
  let b: StartedBridge;
  let doc: Doc;
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));

  /** The answer validates against the schema the document gives for its status. */
  function conforms(path: string, method: string, answer: { status: number; json: unknown; text: string }): void {
    const op = doc.paths[path]?.[method];
    assert.ok(op, `${method.toUpperCase()} ${path} is documented`);
    const schema = op.responses[String(answer.status)]?.content?.['application/json']?.schema;
    assert.ok(schema, `${method.toUpperCase()} ${path} documents its ${answer.status} answer (${answer.text.slice(0, 200)})`);
    const validate = ajv.compile(schema);
    assert.ok(validate(answer.json), `${method.toUpperCase()} ${path} ${answer.status}: ${ajv.errorsText(validate.errors)} in ${answer.text.slice(0, 300)}`);
  }

  before(async () => {
    b = await startBridge();
    const o = await request(`${b.url}/openapi.json`);
    assert.equal(o.status, 200);
    doc = o.json as Doc;
  });
  after(async () => {
    await b?.stop();
  });

  it('lists every route with its parameters, the streams and the refusals', () => {
    assert.equal(doc.openapi, '3.0.3');
    assert.equal(doc.info.version, '9.9.9-test');
    const expected: Record<string, string[]> = {
      '/health': ['get'],
      '/quotes/{symbol}': ['get'],
      '/candles/{symbol}': ['get', 'post'],
      '/connect': ['post'],
      '/disconnect': ['post'],
      '/contracts/search': ['get'],
      '/contracts/futures/{symbol}': ['get'],
      '/stream/quotes': ['get'],
      '/stream/bars': ['get'],
      '/ws/quotes/{symbol}': ['get'],
      '/ws/quotes': ['get'],
      '/metrics': ['get'],
      '/orders': ['get', 'post', 'delete', 'put', 'patch'],
      '/positions': ['get'],
      '/account': ['get'],
    };
    for (const [path, methods] of Object.entries(expected)) {
      for (const m of methods) assert.ok(doc.paths[path]?.[m], `${m.toUpperCase()} ${path} in ${Object.keys(doc.paths).join(', ')}`);
    }
    assert.equal(doc.paths['/openapi.json'], undefined, 'the description does not describe itself');
    // every operation named once, for the code a generator writes (client.GetQuote)
    const ids = Object.values(doc.paths).flatMap((item) => Object.values(item as Record<string, { operationId?: string }>).map((op) => op.operationId));
    assert.ok(
      ids.every((id) => typeof id === 'string' && /^[a-z][a-zA-Z]+$/.test(id)),
      `operationIds: ${ids.join(', ')}`,
    );
    assert.equal(new Set(ids).size, ids.length, `unique operationIds: ${ids.join(', ')}`);
    assert.equal((doc.paths['/quotes/{symbol}'].get as unknown as { operationId: string }).operationId, 'getQuote');
    assert.ok(
      (doc.paths['/quotes/{symbol}'].get as { responses: Record<string, { headers?: object }> }).responses['503'].headers,
      'a 503 declares Retry-After',
    );
    const params = (path: string) => Object.fromEntries((doc.paths[path].get.parameters ?? []).map((p) => [p.name, p]));
    assert.deepEqual(Object.keys(params('/candles/{symbol}')).sort(), ['end', 'limit', 'symbol', 'timeframe', 'use_rth']);
    assert.equal(params('/candles/{symbol}').use_rth.schema.default, true);
    assert.deepEqual(Object.keys(params('/stream/bars')).sort(), ['bar_size', 'duration', 'symbol', 'use_rth', 'what_to_show']);
    assert.equal(params('/stream/bars').use_rth.schema.default, false);
    assert.equal(params('/stream/bars').symbol.required, true);
    const post = doc.paths['/candles/{symbol}'].post.requestBody?.content['application/json'].schema as { properties: object };
    assert.deepEqual(Object.keys(post.properties).sort(), ['bar_size', 'duration', 'end', 'use_rth', 'what_to_show']);
    for (const refused of ['/orders', '/positions', '/account']) assert.ok(doc.paths[refused].get.responses['501'], `${refused} is documented as refused`);
  });

  it('is a valid OpenAPI 3.0 contract: only its methods, bodies that may be left out, every error answer, limit bounds, accepted examples', () => {
    const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
    const schemas: object[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        assert.ok(methods.includes(method), `${method} ${path} is not an OpenAPI 3.0 operation`);
        for (const [status, answer] of Object.entries(op.responses)) {
          assert.match(status, /^[1-5]\d\d$/, `${method} ${path} ${status}`);
          const schema = answer.content?.['application/json']?.schema as { required?: string[] } | undefined;
          if (Number(status) >= 400) assert.deepEqual(schema?.required, ['detail'], `${method} ${path} ${status} is {"detail"}`);
          if (schema) schemas.push(schema);
        }
      }
    }
    // OpenAPI 3.0 has no type lists (3.1 has): null is "nullable"
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) return v.forEach(walk);
      if (typeof v !== 'object' || v === null) return;
      const type = (v as { type?: unknown }).type;
      assert.ok(type === undefined || typeof type === 'string' || typeof (v as { in?: unknown }).in === 'string', `type ${JSON.stringify(type)}`);
      Object.values(v).forEach(walk);
    };
    walk(doc.paths);
    for (const s of schemas) ajv.compile(s);
    for (const [path, method] of [
      ['/candles/{symbol}', 'post'],
      ['/connect', 'post'],
    ]) {
      assert.equal(doc.paths[path][method].requestBody?.required, false, `${method.toUpperCase()} ${path} takes no body too`);
    }
    const errors = (path: string, method = 'get') => Object.keys(doc.paths[path][method].responses).filter((s) => Number(s) >= 400);
    for (const [path, method, codes] of [
      ['/health', 'get', ['400', '403', '408', '421', '429', '431']],
      ['/connect', 'post', ['400', '413', '415', '422', '429']],
      ['/disconnect', 'post', ['400', '403', '413', '415', '421', '429']],
      ['/metrics', 'get', ['400', '408', '429', '431']],
      ['/candles/{symbol}', 'post', ['400', '408', '413', '415', '422', '431']],
      ['/quotes/{symbol}', 'get', ['400', '403', '404', '421', '422', '429', '502', '503']],
      ['/stream/quotes', 'get', ['400', '404', '429', '503']],
      ['/stream/bars', 'get', ['400', '403', '404', '422', '502', '503']],
      ['/ws/quotes/{symbol}', 'get', ['400', '404', '426', '429', '503']],
      ['/ws/quotes', 'get', ['426']],
    ] as const) {
      for (const code of codes)
        assert.ok(errors(path, method).includes(code), `${method.toUpperCase()} ${path} documents ${code}: ${errors(path, method).join(', ')}`);
    }
    assert.ok(doc.paths['/metrics'].get.responses['200'], 'GET /metrics documents its 200');
    const header = (doc.paths['/quotes/{symbol}'].get.responses['200'] as { headers?: Record<string, { schema: { enum: string[] } }> }).headers?.[
      'X-IB-Market-Data-Type'
    ];
    assert.deepEqual(header?.schema.enum, ['live', 'frozen', 'delayed', 'delayed-frozen'], 'GET /quotes declares the header it answers with');
    assert.ok(
      (doc.paths['/quotes/{symbol}'].get.responses['200'] as { headers?: Record<string, unknown> }).headers?.['X-IB-Price-Currency'],
      'and the unit of its prices',
    );
    const limit = doc.paths['/candles/{symbol}'].get.parameters!.find((p) => p.name === 'limit')!.schema as { minimum?: number; maximum?: number };
    assert.deepEqual([limit.minimum, limit.maximum], [LIMIT.min, LIMIT.max]);
    const symbol = doc.paths['/quotes/{symbol}'].get.parameters!.find((p) => p.name === 'symbol') as { description?: string };
    const examples = [...(symbol.description ?? '').matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    assert.ok(examples.length > 0, symbol.description);
    for (const example of examples) assert.doesNotThrow(() => symbolParam(example), `the example ${example} is one the bridge accepts`);
  });

  it('what the bridge answers is what the document says, successes and errors', async () => {
    conforms('/health', 'get', await request(`${b.url}/health`));
    conforms('/quotes/{symbol}', 'get', await request(`${b.url}/quotes/AAPL`));
    conforms('/quotes/{symbol}', 'get', await request(`${b.url}/quotes/EUR.USD`));
    conforms('/quotes/{symbol}', 'get', await request(`${b.url}/quotes/NOSUCHSYMBOL`));
    conforms('/candles/{symbol}', 'get', await request(`${b.url}/candles/AAPL?timeframe=1h&limit=20`));
    conforms('/candles/{symbol}', 'get', await request(`${b.url}/candles/AAPL?timeframe=7x`));
    conforms('/candles/{symbol}', 'post', await request(`${b.url}/candles/MSFT`, 'POST', { duration: '1 D', bar_size: '5 mins' }));
    conforms('/candles/{symbol}', 'post', await request(`${b.url}/candles/MSFT`, 'POST', { duration: '1 Y', bar_size: '1 secs' }));
    conforms('/contracts/search', 'get', await request(`${b.url}/contracts/search?q=AAP`));
    conforms('/contracts/futures/{symbol}', 'get', await request(`${b.url}/contracts/futures/ES?exchange=CME`));
    conforms('/contracts/futures/{symbol}', 'get', await request(`${b.url}/contracts/futures/ZZQQ`));
    conforms('/orders', 'post', await request(`${b.url}/orders`, 'POST', { symbol: 'AAPL' }));
    conforms('/connect', 'post', await request(`${b.url}/connect`, 'POST', 'port=1', { 'content-type': 'text/plain' }));
    conforms('/ws/quotes/{symbol}', 'get', await request(`${b.url}/ws/quotes/AAPL`));
    conforms('/stream/quotes', 'get', await request(`${b.url}/stream/quotes?symbols=${encodeURIComponent('A B C D')}`));
    // the refusals made before a route runs are in the document too
    conforms('/health', 'get', await request(`${b.url}/health?verbose=1`));
    conforms('/disconnect', 'post', await request(`${b.url}/disconnect`, 'POST', 'now', { 'content-type': 'text/plain' }));
    conforms('/candles/{symbol}', 'post', await request(`${b.url}/candles/MSFT`, 'POST', JSON.stringify({ duration: 'x'.repeat(20_000) })));
  });

  it('use_rth: candles are regular hours by default and every session when use_rth=false', async () => {
    const regular = await request(`${b.url}/candles/AAPL?timeframe=5m&limit=300`);
    const all = await request(`${b.url}/candles/AAPL?timeframe=5m&limit=300&use_rth=false`);
    assert.equal(regular.status, 200, regular.text);
    assert.equal(all.status, 200, all.text);
    const minutes = (a: typeof regular) => (a.json as { candles: Array<{ timestamp: string }> }).candles.map((c) => newYorkMinutes(c.timestamp));
    const inside = (m: number) => m >= 9 * 60 + 30 && m < 16 * 60;
    assert.ok(minutes(regular).length > 0 && minutes(regular).every(inside), 'by default every bar starts within 09:30-16:00 New York');
    assert.ok(
      minutes(all).some((m) => !inside(m)),
      'with use_rth=false there are pre-market or after-hours bars',
    );
    const posted = await request(`${b.url}/candles/AAPL`, 'POST', { duration: '2 D', bar_size: '1 hour', use_rth: false });
    assert.ok(
      minutes(posted).some((m) => !inside(m)),
      'POST with use_rth false: bars outside regular hours too',
    );
    const bad = await request(`${b.url}/candles/AAPL?use_rth=maybe`);
    assert.equal(bad.status, 400, bad.text);
    assert.match((bad.json as { detail: string }).detail, /use_rth/);
  });
});
