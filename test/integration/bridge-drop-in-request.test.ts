/**
 * A 503 made inside a request: the gateway closes the socket while a candles
 * request waits for its answer. The bridge is reconnecting by then, so the
 * answer says when to ask again (Retry-After), as the up-front 503 does.
 */
import { strict as assert } from 'node:assert';
import { request, startBridge, type StartedBridge } from './support/bridge';
import { waitUntil } from '../support/wait';

/** REQ_HISTORICAL_DATA's message id. */
const REQ_HISTORICAL_DATA = 20;

describe('jax bridge: the gateway drops while a request waits', function () {
  this.timeout(30_000);
  let b: StartedBridge;

  before(async () => {
    b = await startBridge({}, { limits: { historicalPacing: false } });
  });
  after(async () => {
    await b?.stop();
  });

  it('the candles request answers 503 with Retry-After (the next attempt and the handshake)', async () => {
    // resolved first: the request that waits is the history itself
    assert.equal((await request(`${b.url}/quotes/AAPL`)).status, 200);
    const asked = () => b.sim.server.receivedMessageIds().get(REQ_HISTORICAL_DATA) ?? 0;
    const before = asked();
    b.sim.server.faults.delayReplies(60_000);
    const waiting = request(`${b.url}/candles/AAPL?timeframe=1d&limit=5`);
    await waitUntil('the history request at the gateway', () => (asked() > before ? true : undefined));
    b.sim.server.faults.dropAll();
    const r = await waiting;
    assert.equal(r.status, 503, r.text);
    assert.match((r.json as { detail: string }).detail, /closed before the answer came/);
    const retry = Number(r.headers['retry-after']);
    assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 35, `Retry-After: ${String(r.headers['retry-after'])}`);
    b.sim.server.faults.delayReplies(0);
    await waitUntil('connected again', () => (b.session.manager.status.phase === 'ready' ? true : undefined));
  });
});
