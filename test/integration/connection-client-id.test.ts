/**
 * The client id the manager chose after a clash (326) against settings that
 * change around it, over real TCP to the simulator: unrelated settings keep
 * the chosen id and the session; a new host, port or client id is one new
 * connection with what was configured.
 */
import { strict as assert } from 'node:assert';
import { ConnectionManager } from '../../src/ib/connection';
import type { ConnectionSettings, ConnectionStatus } from '../../src/ib/types';
import { SimServer } from '../../src/sim/server';
import { marketTime } from '../support/market-times';

const SESSION = marketTime('regularSession');
const FAST: Partial<ConnectionSettings> = {
  reconnectInitialDelayMs: 40,
  reconnectMaxDelayMs: 200,
  heartbeatIntervalMs: 60_000,
  heartbeatTimeoutMs: 5000,
  connectTimeoutMs: 5000,
};

describe('ConnectionManager: a chosen client id and new settings', function () {
  this.timeout(20000);
  let sims: SimServer[] = [];
  let managers: ConnectionManager[] = [];

  async function startSim(): Promise<SimServer> {
    const s = new SimServer({ clock: { start: SESSION }, tickIntervalMs: 200 });
    await s.start();
    sims.push(s);
    return s;
  }

  function manager(s: SimServer, clientId: number, extra: Partial<ConnectionSettings> = {}): ConnectionManager {
    const m = new ConnectionManager({ enabled: true, host: '127.0.0.1', port: s.address!.port, clientId, ...FAST, ...extra });
    managers.push(m);
    return m;
  }

  afterEach(async () => {
    for (const m of managers) m.dispose();
    for (const s of sims) await s.stop();
    managers = [];
    sims = [];
  });

  it('keeps the chosen id through unrelated settings, a disconnect and a reconnect, until the client id setting changes', async () => {
    const sim = await startSim();
    await manager(sim, 9).connect();
    const m = manager(sim, 9);
    const settings: ConnectionSettings = { enabled: true, host: '127.0.0.1', port: sim.address!.port, clientId: 9, ...FAST };
    await assert.rejects(m.connect(), /in use/);
    await m.useNextClientId();
    assert.equal(m.status.clientId, 10);
    const seen: ConnectionStatus[] = [];
    m.onStatus((s) => seen.push(s));

    // what SettingsSync hands over on any jax.ib.* change: the configured block, client id 9
    await m.updateSettings({ ...settings });
    await m.updateSettings({ ...settings, heartbeatIntervalMs: 30_000, autoReconnect: true });
    assert.equal(m.status.phase, 'ready');
    assert.equal(m.status.clientId, 10);
    assert.deepEqual(
      seen.filter((s) => s.phase !== 'ready'),
      [],
      'no new connection',
    );
    assert.equal(sim.clientCount(), 2);

    // Disconnect, then Connect: still the chosen id (9 is still taken)
    await m.disconnect();
    await m.connect();
    assert.equal(m.status.clientId, 10, 'a new connection keeps the chosen id');

    // a client id typed into the settings wins, in one new connection
    seen.length = 0;
    await m.updateSettings({ ...settings, clientId: 12 });
    assert.equal(m.status.phase, 'ready');
    assert.equal(m.status.clientId, 12);
    assert.deepEqual(
      seen.map((s) => s.phase).filter((p) => p === 'connecting'),
      ['connecting'],
    );
    assert.equal(sim.clientCount(), 2, 'the old session left the gateway');
  });

  it('a new host, port and client id at once is one new connection', async () => {
    const a = await startSim();
    const b = await startSim();
    const m = manager(a, 3);
    await m.connect();
    const seen: ConnectionStatus[] = [];
    m.onStatus((s) => seen.push(s));
    await m.updateSettings({ enabled: true, host: 'localhost', port: b.address!.port, clientId: 21, ...FAST });
    assert.equal(m.status.phase, 'ready');
    assert.deepEqual([m.status.host, m.status.port, m.status.clientId], ['localhost', b.address!.port, 21]);
    assert.deepEqual(
      seen.map((s) => `${s.phase}:${s.clientId}`).filter((p) => p.startsWith('connecting')),
      ['connecting:21'],
    );
    assert.equal(b.clientCount(), 1);
  });
});
