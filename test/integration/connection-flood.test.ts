/**
 * A flood of data-farm notices over real TCP: 10,000 farms announced and a
 * farm blipping 5,000 times, written into a live session between the
 * simulator and @stoqey/ib by a relay. The work the manager does for them is
 * bounded: farms tracked up to a limit, one status and one resubscribe per
 * socket read instead of one per notice.
 */
import { strict as assert } from 'node:assert';
import { ConnectionManager } from '../../src/ib/connection';
import { MAX_FARMS } from '../../src/ib/connection/notices';
import { encodeFrame } from '../../src/sim/codec';
import { SimServer } from '../../src/sim/server';
import type { ConnectionStatus, IbErrorInfo } from '../../src/ib/types';
import { marketTime } from '../support/market-times';
import { waitUntil } from '../support/wait';
import { relay } from './support/relay';

const SESSION = marketTime('regularSession');
const NOTICES = 10_000;

describe('ConnectionManager under a flood of farm notices', function () {
  this.timeout(30_000);

  it(`takes ${NOTICES} farm notices and ${NOTICES} blips with bounded work, and the session carries on`, async () => {
    const sim = new SimServer({ clock: { start: SESSION }, tickIntervalMs: 200 });
    await sim.start();
    const p = await relay(sim.address!.port);
    const m = new ConnectionManager({ enabled: true, host: '127.0.0.1', port: p.port, clientId: 5, heartbeatIntervalMs: 200, heartbeatTimeoutMs: 10_000 });
    try {
      await m.connect();
      await waitUntil('the first farms', () => m.status.farms.usfarm === 'ok');
      const statuses: ConnectionStatus[] = [];
      const errors: IbErrorInfo[] = [];
      const resubscribes: string[] = [];
      m.onStatus((s) => statuses.push(s));
      m.onIbError((e) => errors.push(e));
      m.onResubscribe((r) => resubscribes.push(r));

      const frames: Buffer[] = [];
      for (let i = 0; i < NOTICES; i++) {
        frames.push(encodeFrame([4, 2, -1, 2104, `Market data farm connection is OK:farm${i}`, '']));
        frames.push(encodeFrame([4, 2, -1, i % 2 ? 2104 : 2103, `Market data farm connection is ${i % 2 ? 'OK' : 'broken'}:usfarm`, '']));
      }
      frames.push(encodeFrame([4, 2, -1, 2104, 'Market data farm connection is OK:last', '']));
      const bytes = Buffer.concat(frames);
      p.inject(bytes);
      // the last notice read: usfarm ends OK (the blip's last word), 'last' is past the limit
      await waitUntil(
        'the flood read',
        () => errors.some((e) => e.code === 2104 && /usfarm/.test(e.raw ?? '')) && statuses.length > 0 && m.status.farms.usfarm === 'ok',
      );
      const beats = sim.receivedMessageIds().get(49) ?? 0;
      await waitUntil('a heartbeat after the flood', () => (sim.receivedMessageIds().get(49) ?? 0) > beats);
      // the lines are sent again once the farms have stayed calm (FARM_CALM_MS after the flood)
      await waitUntil('the resubscribe once calm', () => (resubscribes.length > 0 ? true : undefined));

      assert.equal(m.status.phase, 'ready');
      assert.equal(Object.keys(m.status.farms).length, MAX_FARMS, 'farms tracked up to the limit');
      assert.equal(m.status.farms.last, undefined);
      // bounded by socket reads (one turn each), not by notices: at most 1 in 100
      const bound = (2 * NOTICES) / 100;
      assert.ok(statuses.length <= bound, `${statuses.length} statuses for ${2 * NOTICES} notices`);
      assert.equal(resubscribes.length, 1, `${resubscribes.length} resubscribes for ${NOTICES / 2} blips: one, once calm`);
      assert.ok(errors.length <= 2 * bound + MAX_FARMS, `${errors.length} reports for ${2 * NOTICES} notices`);
      assert.equal(errors.filter((e) => e.code === 505).length, 0);
    } finally {
      m.dispose();
      await p.close();
      await sim.stop();
    }
  });
});
