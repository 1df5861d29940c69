/**
 * IB's own link (the gateway's connection to IB's servers) as the status
 * follows it: 2110 ("Connectivity between Trader Workstation and server is
 * broken. It will be restored automatically."), which TWS may end with a data
 * farm's OK and no 1102, against the simulator over real TCP.
 */
import { strict as assert } from 'node:assert';
import { ConnectionManager } from '../../src/ib/connection';
import type { ConnectionSettings } from '../../src/ib/types';
import { SimServer } from '../../src/sim/server';
import { Recorder } from './support/connection-recorder';
import { waitUntil } from '../support/wait';
import { fakeTime, type FakeTime } from '../support/fake-time';
import { simClockAt } from '../support/market-times';

const FAST: Partial<ConnectionSettings> = {
  reconnectInitialDelayMs: 40,
  reconnectMaxDelayMs: 200,
  heartbeatIntervalMs: 300,
  heartbeatTimeoutMs: 10_000,
  connectTimeoutMs: 30_000,
};

describe("IB's link to its servers: 2110", function () {
  this.timeout(30000);
  let sim: SimServer;
  let m: ConnectionManager;
  let time: FakeTime;

  beforeEach(async () => {
    time = fakeTime();
    sim = new SimServer({ tickIntervalMs: 50, clock: simClockAt('regularSession'), scheduler: time.scheduler });
    await sim.start();
    const address = sim.address!;
    m = new ConnectionManager({ enabled: true, host: address.host, port: address.port, clientId: 7, ...FAST }, undefined, { clock: time.clock });
  });

  afterEach(async () => {
    m.dispose();
    await sim.stop();
  });

  it('2110 shows the link lost with the socket kept; the farm OK that follows ends it, and nothing is sent again', async () => {
    const rec = new Recorder(m);
    await m.connect();
    await waitUntil('farm ok', () => m.status.farms.usfarm === 'ok');
    sim.faults.serverLinkBroken(500);
    await waitUntil('link lost (2110)', () => m.status.ibLink === 'lost');
    assert.equal(m.status.phase, 'ready', 'the gateway keeps the socket');
    const told = rec.errors.find((e) => e.code === 2110);
    assert.equal(told?.category, 'connectivity');
    assert.match(told?.message ?? '', /broken; it is restored automatically/);
    // still lost until IB says something is back
    await time.advance(300, { stepMs: 50 });
    assert.equal(m.status.ibLink, 'lost');
    await time.advanceUntil('link ok with the farm OK (2104)', () => m.status.ibLink === 'ok', { maxMs: 1000 });
    await time.advance(3000, { stepMs: 100 });
    assert.deepEqual(rec.resubscribes, [], 'the farm was never said broken: its lines go on');
    assert.equal(rec.readies, 1, 'never reconnected');
    assert.deepEqual(rec.decodingErrors(), []);
  });

  it('a 2110 after a 1100 does not end with a farm OK: only the 1102 ends it', async () => {
    await m.connect();
    await waitUntil('farm ok', () => m.status.farms.usfarm === 'ok');
    sim.faults.connectivityLost();
    await waitUntil('link lost (1100)', () => m.status.ibLink === 'lost');
    sim.faults.serverLinkBroken(200);
    await time.advance(1500, { stepMs: 100 });
    assert.equal(m.status.ibLink, 'lost', "a farm's OK does not end a 1100");
    sim.faults.connectivityRestored(false);
    await waitUntil('link ok (1102)', () => m.status.ibLink === 'ok');
  });

  it('a 1102 ends a 2110 too', async () => {
    await m.connect();
    sim.faults.serverLinkBroken(60_000);
    await waitUntil('link lost (2110)', () => m.status.ibLink === 'lost');
    sim.faults.connectivityRestored(false);
    await waitUntil('link ok (1102)', () => m.status.ibLink === 'ok');
  });
});
