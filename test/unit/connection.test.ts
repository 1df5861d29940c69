import { strict as assert } from 'node:assert';
import { ConnectionManager } from '../../src/ib/connection';
import { Emitter } from '../../src/ib/connection-events';
import type { ConnectionStatus } from '../../src/ib/types';

const base = { enabled: true, host: '127.0.0.1', port: 4002, clientId: 3 };

describe('ConnectionManager without a gateway', () => {
  it('starts disconnected with a complete status', () => {
    const m = new ConnectionManager(base);
    assert.deepEqual(m.status, {
      phase: 'disconnected',
      host: '127.0.0.1',
      port: 4002,
      clientId: 3,
      simulated: false,
      mode: 'paper',
      farms: {},
      quoteFarms: [],
      ibLink: 'ok',
    });
    assert.equal(m.api, undefined);
    m.dispose();
  });

  it('stays quiet when disabled, and enabling leaves the choice to connect to the caller', async () => {
    const m = new ConnectionManager({ ...base, enabled: false, port: 4001 });
    const seen: ConnectionStatus[] = [];
    m.onStatus((s) => seen.push(s));
    assert.equal(m.status.phase, 'disabled');
    assert.equal(m.status.mode, 'live', 'port 4001 is a live gateway');
    await assert.rejects(m.connect(), /disabled/);
    await m.updateSettings({ ...base, enabled: true });
    assert.equal(m.status.phase, 'disconnected');
    assert.equal(m.status.port, 4002);
    await m.updateSettings({ ...base, enabled: false });
    assert.equal(m.status.phase, 'disabled');
    assert.deepEqual(
      seen.map((s) => s.phase),
      ['disabled', 'disconnected', 'disabled'],
    );
    m.dispose();
  });

  it('is inert after dispose', async () => {
    const m = new ConnectionManager(base);
    let events = 0;
    m.onStatus(() => events++);
    m.dispose();
    m.dispose();
    await assert.rejects(m.connect(), /disposed/);
    await m.updateSettings({ ...base, port: 4003 });
    assert.equal(events, 0);
  });

  it('unregisters listeners on dispose of their registration', async () => {
    const m = new ConnectionManager({ ...base, enabled: false });
    let a = 0;
    let b = 0;
    const reg = m.onStatus(() => a++);
    m.onStatus(() => b++);
    await m.updateSettings({ ...base, enabled: true });
    reg.dispose();
    await m.updateSettings({ ...base, enabled: false });
    assert.deepEqual([a, b], [1, 2]);
    m.dispose();
  });
});

describe('Emitter', () => {
  it('keeps calling listeners when one throws, and logs it', () => {
    const logged: string[] = [];
    const e = new Emitter<number>('test', { debug() {}, info() {}, warn() {}, error: (m) => logged.push(m) });
    const got: number[] = [];
    e.on(() => {
      throw new Error('boom');
    });
    const reg = e.on((v) => got.push(v));
    e.fire(1);
    reg.dispose();
    e.fire(2);
    assert.deepEqual(got, [1]);
    assert.deepEqual(logged, ['test listener failed: boom', 'test listener failed: boom']);
    assert.equal(e.size, 1);
  });
});
