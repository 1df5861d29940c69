/**
 * An expired futures month through the bridge (the simulator on Tuesday 17
 * November 2026: ES Sep 2026, ESU6, expired on 18 September): /quotes says
 * it expired, when, and which month to use (the extension's 9016, not IB's
 * 200); /candles serves its bars up to the expiry.
 */
import { strict as assert } from 'node:assert';
import { request, startBridge, type StartedBridge } from './support/bridge';
import { simClockAt } from '../support/market-times';

describe('jax bridge: an expired futures month', function () {
  this.timeout(30_000);
  let b: StartedBridge;

  before(async () => {
    b = await startBridge({}, { clock: simClockAt('regularSession') });
  });
  after(async () => {
    await b?.stop();
  });

  it('GET /quotes answers with 9016: the month expired on its last trade day, and the front month to use instead', async () => {
    for (const text of ['ESU6@CME', 'ES 202609 FUT@CME']) {
      const r = await request(`${b.url}/quotes/${encodeURIComponent(text)}`);
      const body = r.json as { detail: string; code: number; category: string };
      assert.equal(body.code, 9016, `${text}: ${r.text}`);
      assert.equal(r.status, 422);
      assert.match(body.detail, /^ES Sep 2026 \(ESU6\) expired on 2026-09-18/);
      assert.match(body.detail, /Use the front month instead: ES Dec 2026 \(ESZ6\), "ES 202612 FUT@CME"/);
    }
    assert.equal(b.sim.server.receivedMessageIds().get(1) ?? 0, 0, 'no market-data request sent for it');
  });

  it('GET /candles serves its daily bars up to its expiry', async () => {
    const r = await request(`${b.url}/candles/${encodeURIComponent('ESU6@CME')}?timeframe=1d&limit=5`);
    assert.equal(r.status, 200, r.text);
    const candles = (r.json as { candles: Array<{ timestamp: string }> }).candles;
    assert.equal(candles.length, 5);
    assert.equal(candles[4].timestamp, '2026-09-17T00:00:00.000Z', 'the last session with regular hours before the expiry (08:30 on the 18th)');
  });
});
