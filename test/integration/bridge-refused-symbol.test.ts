/**
 * A symbol the account may not stream (the simulated gateway refuses RY@TSE
 * with 10168, as TWS does for a symbol with neither a subscription nor delayed
 * data): the gateway ends its line once, and every GET, stream and socket that
 * comes while it stays ended hears why at once, not a time-out.
 */
import { strict as assert } from 'node:assert';
import { openSse, request, startBridge, wsOpen, type StartedBridge } from './support/bridge';

const REFUSED = 'RY@TSE';

describe('jax bridge: a symbol the gateway refuses to stream', function () {
  this.timeout(30_000);
  let b: StartedBridge;

  before(async () => {
    // a quote time limit far past the test's: a GET that waits for it instead of hearing the refusal fails the test
    b = await startBridge({ quoteTimeoutMs: 120_000 });
  });
  after(async () => {
    await b?.stop();
  });

  it('GET /quotes answers 403 with the reason, the first time and every time after (the line stays refused)', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await request(`${b.url}/quotes/${encodeURIComponent(REFUSED)}`);
      assert.equal(r.status, 403, `GET ${i + 1}: ${r.text}`);
      assert.match((r.json as { detail: string }).detail, /not subscribed|not enabled/i);
    }
  });

  it('another spelling of the refused contract hears the refusal at once too (RY CAD, RY@TSE CAD): not a 504 after the time limit', async () => {
    assert.equal((await request(`${b.url}/quotes/${encodeURIComponent(REFUSED)}`)).status, 403);
    for (const other of ['RY CAD', 'RY@TSE CAD']) {
      const r = await request(`${b.url}/quotes/${encodeURIComponent(other)}`);
      assert.equal(r.status, 403, `${other}: ${r.text}`);
    }
    const ws = await wsOpen(`${b.url.replace('http', 'ws')}/ws/quotes/${encodeURIComponent('RY CAD')}`);
    const m = (ws.messages[0] ?? (await ws.next(() => true))) as { event?: string; symbol?: string };
    assert.deepEqual([m.event, m.symbol], ['error', 'RY CAD']);
    ws.ws.close();
  });

  it('a stream or socket opened after the refusal hears it: SSE and /ws/quotes name the symbol, the per-symbol socket sends the error', async () => {
    const sse = await openSse(`${b.url}/stream/quotes?symbols=${encodeURIComponent(REFUSED)},AAPL`);
    const e = await sse.next((x) => x.event === 'error', 10_000, 0);
    assert.equal((e.data as { symbol: string }).symbol, REFUSED);
    await sse.next((x) => x.event === 'quote' && (x.data as { symbol: string }).symbol === 'AAPL');
    sse.close();

    const ws = await wsOpen(`${b.url.replace('http', 'ws')}/ws/quotes/${encodeURIComponent(REFUSED)}`);
    const m = (ws.messages[0] ?? (await ws.next(() => true))) as { event?: string; symbol?: string };
    assert.deepEqual([m.event, m.symbol], ['error', REFUSED]);
    ws.ws.close();

    const many = await wsOpen(`${b.url.replace('http', 'ws')}/ws/quotes`);
    many.ws.send(JSON.stringify({ action: 'subscribe', symbols: [REFUSED] }));
    const err = (await many.next((x) => (x as { event?: string }).event === 'error')) as { symbol?: string };
    assert.equal(err.symbol, REFUSED);
    many.ws.close();
  });

  it('its bars too: POST /candles and /stream/bars answer 403 with the reason (162 "No market data permissions")', async () => {
    const posted = await request(`${b.url}/candles/${encodeURIComponent(REFUSED)}`, 'POST', {});
    assert.equal(posted.status, 403, posted.text);
    assert.match((posted.json as { detail: string }).detail, /permission/i);
    const streamed = await request(`${b.url}/stream/bars?symbol=${encodeURIComponent(REFUSED)}&bar_size=1%20min`);
    assert.equal(streamed.status, 403, streamed.text);
  });
});
