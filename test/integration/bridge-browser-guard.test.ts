/**
 * The bridge and web pages: a page in a browser on the same machine reaches
 * 127.0.0.1 too. A cross-site POST without a body needs no CORS answer to
 * take effect, and a page whose name is made to resolve to 127.0.0.1 (DNS
 * rebinding) reads the answers as its own: both are refused, and the
 * programs the bridge is for (which send no Origin) are served as before.
 */
import { strict as assert } from 'node:assert';
import { request, startBridge, wsStatus, type StartedBridge } from './support/bridge';

const TOKEN = 'test-token-0123456789abcdef';

describe('jax bridge: requests from web pages', function () {
  this.timeout(30_000);
  let b: StartedBridge | undefined;

  afterEach(async () => {
    await b?.stop();
    b = undefined;
  });

  it("a page's cross-site POST /disconnect (as fetch with mode no-cors sends it) is refused, 403, and the gateway stays connected", async () => {
    b = await startBridge();
    for (const headers of [
      { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' } as Record<string, string>,
      { origin: 'null' },
      { 'sec-fetch-site': 'same-site' },
    ]) {
      const r = await request(`${b.url}/disconnect`, 'POST', undefined, headers);
      assert.equal(r.status, 403, `${JSON.stringify(headers)}: ${r.text}`);
      assert.match((r.json as { detail: string }).detail, /serves programs, not web pages/);
    }
    const h = await request(`${b.url}/health`);
    assert.equal((h.json as { connected: boolean }).connected, true, 'still connected');
    assert.equal(await wsStatus(`${b.url.replace('http', 'ws')}/ws/quotes/AAPL`, { origin: 'http://evil.example' }), 403, 'a page opens no socket');
    // what programs send: no Origin; Sec-Fetch-Site none is a person typing the address in the browser
    assert.equal((await request(`${b.url}/quotes/AAPL`)).status, 200);
    assert.equal((await request(`${b.url}/health`, 'GET', undefined, { 'sec-fetch-site': 'none' })).status, 200);
    assert.equal(await wsStatus(`${b.url.replace('http', 'ws')}/ws/quotes/AAPL`), 101);
  });

  it('without a token it answers only to loopback names and Docker names for the host (a rebound name is 421); with one, to any', async () => {
    b = await startBridge();
    const rebound = await request(`${b.url}/health`, 'GET', undefined, { host: `attacker.example:${b.port}` });
    assert.equal(rebound.status, 421, rebound.text);
    assert.match((rebound.json as { detail: string }).detail, /only to its loopback address/);
    const repoint = await request(`${b.url}/connect`, 'POST', { host: '192.0.2.1', port: 4002 }, { host: 'attacker.example' });
    assert.equal(repoint.status, 421, 'nor can a rebound page point the bridge elsewhere');
    for (const host of [`127.0.0.1:${b.port}`, `localhost:${b.port}`, `[::1]:${b.port}`, `host.docker.internal:${b.port}`, 'LOCALHOST']) {
      assert.equal((await request(`${b.url}/health`, 'GET', undefined, { host })).status, 200, host);
    }
    await b.stop();
    b = await startBridge({ host: '0.0.0.0', token: TOKEN });
    const named = await request(`http://127.0.0.1:${b.port}/health`, 'GET', undefined, { host: `trading-box.lan:${b.port}`, authorization: `Bearer ${TOKEN}` });
    assert.equal(named.status, 200, 'with a token, clients on other machines use the host by its own name');
  });
});
