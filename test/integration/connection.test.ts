/**
 * ConnectionManager over @stoqey/ib against the simulator, over real TCP:
 * handshake, failures a person must understand, and the faults it survives.
 */
import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import { SecType } from '@stoqey/ib';
import { ConnectionManager } from '../../src/ib/connection';
import { IbError } from '../../src/ib/errors';
import type { ConnectionSettings } from '../../src/ib/types';
import { SimServer } from '../../src/sim/server';
import { freePort, Recorder } from './support/connection-recorder';
import { quietFor, waitUntil } from '../support/wait';
import { fakeTime, type FakeTime } from '../support/fake-time';
import { simClockAt } from '../support/market-times';

/**
 * Short backoff so faults are recovered quickly; a heartbeat timeout generous
 * enough that a busy machine does not look like a silent gateway (the stall
 * test uses a tighter one). The managers made by `manager()` run on the same
 * fake clock as their simulator, so these are milliseconds the test advances;
 * their handshake limit is long, as the real round trips must fit into it while
 * the test advances (the limit itself is proven on a fake clock in
 * test/unit/connection-driver.test.ts and against a silent server below).
 */
const FAST: Partial<ConnectionSettings> = {
  reconnectInitialDelayMs: 40,
  reconnectMaxDelayMs: 200,
  heartbeatIntervalMs: 300,
  heartbeatTimeoutMs: 10_000,
  connectTimeoutMs: 3000,
};
const ON_FAKE_CLOCK: Partial<ConnectionSettings> = { connectTimeoutMs: 30_000 };
const TIGHT_HEARTBEAT: Partial<ConnectionSettings> = { heartbeatIntervalMs: 150, heartbeatTimeoutMs: 400 };

/** Open TCP sockets in this process (both ends of each simulator connection are here). */
const openSockets = (): number => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;

describe('ConnectionManager against the simulator', function () {
  this.timeout(30000);
  let sim: SimServer;
  let sims: SimServer[] = [];
  let managers: ConnectionManager[] = [];
  let time: FakeTime;

  /** A simulator on the test's fake clock. */
  async function startSim(): Promise<SimServer> {
    const s = new SimServer({ tickIntervalMs: 50, clock: simClockAt('regularSession'), scheduler: time.scheduler });
    await s.start();
    sims.push(s);
    return s;
  }

  /** A manager of `s` on the same fake clock. */
  function manager(s: SimServer, extra: Partial<ConnectionSettings> = {}): ConnectionManager {
    const address = s.address;
    assert.ok(address, 'simulator is listening');
    const m = new ConnectionManager({ enabled: true, host: address.host, port: address.port, clientId: 7, ...FAST, ...ON_FAKE_CLOCK, ...extra }, undefined, {
      clock: time.clock,
    });
    managers.push(m);
    return m;
  }

  beforeEach(async () => {
    time = fakeTime();
    sim = await startSim();
  });

  afterEach(async () => {
    for (const m of managers) m.dispose();
    for (const s of sims) await s.stop();
    managers = [];
    sims = [];
  });

  it('a simulated gateway this client did not start is known by its account (DUSIM...), not taken for a paper account', async () => {
    const m = manager(sim, { clientId: 8, simulated: false });
    assert.equal(m.status.simulated, false, 'not known before the handshake');
    await m.connect();
    assert.deepEqual([m.status.simulated, m.status.mode], [true, 'paper']);
    // a gateway naming a real-looking paper account is not simulated, whatever answers
    const other = new SimServer({ tickIntervalMs: 50, clock: simClockAt('regularSession'), scheduler: time.scheduler, account: 'DU7654321' });
    await other.start();
    sims.push(other);
    const real = manager(other, { clientId: 9, simulated: false });
    await real.connect();
    assert.deepEqual([real.status.simulated, real.status.accounts], [false, ['DU7654321']]);
  });

  it('becomes ready after NEXT_VALID_ID with accounts, server version, mode and farms', async () => {
    const m = manager(sim, { clientId: 7, simulated: true, heartbeatIntervalMs: 100 });
    const rec = new Recorder(m);
    assert.equal(m.status.phase, 'disconnected');
    assert.equal(m.api, undefined);
    await m.connect();
    const s = m.status;
    assert.equal(s.phase, 'ready');
    assert.deepEqual(s.accounts, ['DUSIM0001']);
    assert.equal(s.serverVersion, 193);
    assert.equal(s.mode, 'paper', 'a DU account is paper whatever the port');
    assert.equal(s.simulated, true);
    assert.equal(s.clientId, 7);
    assert.ok(s.connectedSince && s.connectedSince <= Date.now());
    const api = m.api as ConnectionManager['api'];
    assert.ok(api, 'api is there when ready');
    assert.deepEqual(rec.phases(), ['connecting', 'ready']);
    assert.equal(rec.readies, 1);
    assert.deepEqual(rec.resubscribes, [], 'no resubscribe on the first connect');
    await waitUntil('farm notices', () => m.status.farms.usfarm === 'ok' && m.status.farms.ushmds === 'ok' && m.status.farms.secdefil === 'ok');
    assert.equal(sim.clientCount(), 1);

    // the configured client id is the one the gateway sees
    const ignore = () => undefined;
    const line = api.marketData(
      { tick: ignore, dataType: ignore, snapshotEnd: ignore, error: ignore, end: ignore },
      { symbol: 'AAPL', secType: SecType.STK, exchange: 'SMART', currency: 'USD' },
      false,
    );
    await waitUntil('a market data line', () => sim.activeMarketData().length === 1);
    assert.equal(sim.activeMarketData()[0].clientId, 7);
    line.cancel();
    // heartbeats keep flowing without disturbing the session
    // each beat waits for the answer to the last (through the client's rate-limited send queue): small steps, a wide limit
    await time.advanceUntil('two heartbeats', () => (sim.receivedMessageIds().get(49) ?? 0) >= 2, { stepMs: 20, maxMs: 5000 });
    assert.equal(m.status.phase, 'ready');
    assert.equal(rec.readies, 1);
    assert.ok((sim.receivedMessageIds().get(49) ?? 0) >= 2, 'REQ_CURRENT_TIME heartbeats reached the gateway');
    assert.deepEqual(rec.decodingErrors(), []);
  });

  it('explains an unreachable gateway (502) and stays failed', async () => {
    const port = await freePort();
    const m = new ConnectionManager({ enabled: true, host: '127.0.0.1', port, clientId: 1, ...FAST });
    managers.push(m);
    const rec = new Recorder(m);
    await assert.rejects(m.connect(), (e: unknown) => {
      assert.ok(e instanceof IbError);
      assert.equal(e.info.code, 502);
      assert.equal(e.info.category, 'connectivity');
      assert.equal(e.info.message, `IB Gateway/TWS is not reachable at 127.0.0.1:${port}: is it running, and is 'Enable ActiveX and Socket Clients' on?`);
      assert.match(e.info.action, /Enable ActiveX and Socket Clients/);
      return true;
    });
    assert.equal(m.status.phase, 'failed');
    assert.equal(m.status.error?.code, 502);
    // no retry on its own (proven over time on a fake clock in test/unit/connection-driver.test.ts)
    assert.equal(m.status.phase, 'failed', 'a failed first connect does not retry on its own');
    assert.deepEqual(rec.phases(), ['connecting', 'failed']);
  });

  it('asked to keep trying after a 502, waits for the gateway to start and becomes ready', async () => {
    const port = await freePort();
    const m = new ConnectionManager({ enabled: true, host: '127.0.0.1', port, clientId: 1, ...FAST });
    managers.push(m);
    const rec = new Recorder(m);
    await assert.rejects(m.connect());
    assert.equal(m.keepTrying(), true);
    await waitUntil('a second failed attempt', () => rec.statuses.filter((st) => st.phase === 'reconnecting').length >= 2);
    const waiting = m.status;
    assert.equal(waiting.phase, 'reconnecting');
    assert.equal(waiting.error?.code, 502);
    assert.ok((waiting.attempt ?? 0) >= 2, `attempts counted: ${waiting.attempt}`);
    assert.ok(waiting.nextAttemptAt !== undefined);
    // the gateway starts, on that port
    const late = new SimServer({ port, tickIntervalMs: 50, clock: simClockAt('regularSession') });
    await late.start();
    sims.push(late);
    await waitUntil('ready once the gateway is up', () => m.status.phase === 'ready');
    assert.equal(rec.readies, 1);
    assert.deepEqual(rec.phases().slice(0, 3), ['connecting', 'failed', 'reconnecting']);
    assert.deepEqual(rec.decodingErrors(), []);
  });

  it('keeps trying only after a gateway that did not answer, and stops on disconnect', async () => {
    const m = manager(sim);
    assert.equal(m.keepTrying(), false, 'not failed: nothing to do');
    const port = await freePort();
    const other = new ConnectionManager({ enabled: true, host: '127.0.0.1', port, clientId: 1, ...FAST, autoReconnect: false });
    managers.push(other);
    await assert.rejects(other.connect());
    assert.equal(other.keepTrying(), false, 'automatic reconnection is off');
    assert.equal(other.status.phase, 'failed');
    const third = new ConnectionManager({ enabled: true, host: '127.0.0.1', port, clientId: 1, ...FAST });
    managers.push(third);
    await assert.rejects(third.connect());
    assert.equal(third.keepTrying(), true);
    await third.disconnect();
    assert.equal(third.status.phase, 'disconnected');
    assert.equal(third.state, 'idle', 'no attempt after a disconnect (proven over time on a fake clock in test/unit/connection-driver.test.ts)');
  });

  it('gives up a handshake the gateway never answers and closes its socket', async () => {
    // reads (and ignores) what the client sends, never answers
    const accepted = new Set<net.Socket>();
    const silent = net.createServer((socket) => {
      accepted.add(socket);
      socket.on('close', () => accepted.delete(socket));
      socket.resume();
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (silent.address() as net.AddressInfo).port;
      const baseline = openSockets();
      const m = new ConnectionManager({ enabled: true, host: '127.0.0.1', port, clientId: 1, ...FAST, connectTimeoutMs: 400 }, undefined, {
        clock: time.clock,
      });
      managers.push(m);
      let settled = false;
      const connecting = m.connect().finally(() => (settled = true));
      // its rejection is checked below, after time is advanced: handled from the start, not late
      connecting.catch(() => undefined);
      await waitUntil('the socket accepted', () => accepted.size === 1 || undefined);
      await time.advance(350);
      assert.equal(settled, false, 'still waiting within the time limit');
      await time.advance(50);
      await assert.rejects(connecting, (e: unknown) => {
        assert.ok(e instanceof IbError);
        assert.equal(e.info.category, 'connectivity');
        assert.match(e.info.message, new RegExp(`at 127\\.0\\.0\\.1:${port} did not complete the API handshake within 400 ms`));
        return true;
      });
      assert.equal(m.status.phase, 'failed');
      await waitUntil('the client closed its socket', () => accepted.size === 0 && openSockets() === baseline, 3000);
    } finally {
      for (const socket of accepted) socket.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('says so when the gateway answers the handshake with a server version the client does not speak (506), not just "closed"', async () => {
    // answers the client's version range with 999, as something that is not IB Gateway/TWS (or a far newer one) might
    const odd = net.createServer((socket) => {
      socket.once('data', () => {
        const body = Buffer.from('999\u000020261205 10:00:00 Greenwich Mean Time\u0000', 'latin1');
        const head = Buffer.alloc(4);
        head.writeInt32BE(body.length);
        socket.write(Buffer.concat([head, body]));
      });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((r) => odd.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (odd.address() as net.AddressInfo).port;
      const m = new ConnectionManager({ enabled: true, host: '127.0.0.1', port, clientId: 1, ...FAST, connectTimeoutMs: 30_000 }, undefined, {
        clock: time.clock,
      });
      managers.push(m);
      await assert.rejects(m.connect(), (e: unknown) => {
        assert.ok(e instanceof IbError);
        assert.equal(e.info.code, 506);
        assert.match(
          e.info.message,
          new RegExp(`at 127\\.0\\.0\\.1:${port} answered the handshake with a version this client does not speak \\(Unsupported Version 999\\)`),
        );
        assert.match(e.info.action, /Update IB Gateway\/TWS/);
        return true;
      });
    } finally {
      await new Promise<void>((r) => odd.close(() => r()));
    }
  });

  it('reports a client id clash (326) and finds the next free id', async () => {
    const first = manager(sim, { clientId: 9 });
    await first.connect();
    const second = manager(sim, { clientId: 9 });
    const rec = new Recorder(second);
    await assert.rejects(second.connect(), (e: unknown) => {
      assert.ok(e instanceof IbError);
      assert.equal(e.info.code, 326);
      assert.match(e.info.message, /client id 9 is in use/i);
      return true;
    });
    assert.equal(second.status.phase, 'failed');
    assert.equal(second.status.error?.code, 326);
    assert.equal(second.state, 'failed', 'no retry with the same id (proven over time on a fake clock in test/unit/connection-driver.test.ts)');

    const third = manager(sim, { clientId: 10 });
    await third.connect();
    await second.useNextClientId();
    assert.equal(second.status.phase, 'ready');
    assert.equal(second.status.clientId, 11, '10 is taken too, so 11');
    assert.equal(sim.clientCount(), 3);
    assert.equal(first.status.phase, 'ready', 'the first client is undisturbed');
    assert.deepEqual(rec.decodingErrors(), []);
  });

  it('reconnects with backoff after a gateway restart and asks for one resubscribe', async () => {
    const m = manager(sim);
    const rec = new Recorder(m);
    await m.connect();
    const firstApi = m.api;
    await waitUntil('handshake settled', () => m.status.farms.secdefil === 'ok');
    const socketsBefore = openSockets();
    assert.ok(socketsBefore >= 2, 'client and gateway ends are open');
    const downAt = time.now();
    sim.faults.restart(700);
    await waitUntil('reconnecting', () => m.status.phase === 'reconnecting');
    assert.equal(m.api, undefined);
    assert.ok(m.status.attempt && m.status.attempt >= 1);
    assert.ok(m.status.nextAttemptAt && m.status.nextAttemptAt > time.now(), 'the next attempt is ahead');
    assert.equal(m.status.error?.category, 'connectivity');
    await time.advanceUntil('ready again', () => m.status.phase === 'ready', { stepMs: 20, maxMs: 5000 });
    assert.ok(time.now() - downAt >= 700, `not ready while the port was closed (${time.now() - downAt} ms)`);
    const beatsAfterReady = sim.receivedMessageIds().get(49) ?? 0;
    const attempts = rec.statuses.filter((s) => s.phase === 'reconnecting').map((s) => s.attempt ?? 0);
    assert.ok(Math.max(...attempts) >= 2, `several attempts while the port was closed (${attempts.join(',')})`);
    assert.deepEqual(
      attempts,
      [...attempts].sort((a, b) => a - b),
      'attempt numbers only grow',
    );
    assert.notEqual(m.api, firstApi, 'a fresh client after the reconnect');
    assert.equal(rec.readies, 2);
    assert.deepEqual(rec.resubscribes, ['reconnected']);
    assert.equal(sim.clientCount(), 1, 'one session on the gateway, nothing leaked');
    await waitUntil('no socket left over from the failed attempts', () => openSockets() === socketsBefore);
    assert.equal(m.status.clientId, 7, 'the same client id after a reconnect');
    await time.advance(300);
    await waitUntil('a heartbeat on the new session', () => (sim.receivedMessageIds().get(49) ?? 0) > beatsAfterReady || undefined);
    assert.deepEqual(rec.resubscribes, ['reconnected'], 'still exactly one');
    assert.deepEqual(rec.decodingErrors(), []);
  });

  it('follows IB connectivity 1100 -> 1102 and 1100 -> 1101 without dropping the socket', async () => {
    const m = manager(sim);
    const rec = new Recorder(m);
    await m.connect();
    sim.faults.connectivityLost();
    await waitUntil('ib link lost', () => m.status.ibLink === 'lost');
    assert.equal(m.status.phase, 'ready', 'TWS keeps the socket through 1100');
    assert.ok(rec.errors.some((e) => e.code === 1100 && e.category === 'connectivity'));
    sim.faults.connectivityRestored(false);
    await waitUntil('ib link ok (1102)', () => m.status.ibLink === 'ok');
    await quietFor(50);
    assert.deepEqual(rec.resubscribes, [], '1102: data maintained, nothing to re-send');

    sim.faults.connectivityLost();
    await waitUntil('ib link lost again', () => m.status.ibLink === 'lost');
    sim.faults.connectivityRestored(true);
    await waitUntil('ib link ok (1101)', () => m.status.ibLink === 'ok');
    // sent again once the link has been calm a moment (a gateway may repeat 1101)
    await time.advanceUntil('resubscribe after 1101', () => rec.resubscribes.length === 1, { maxMs: 2000 });
    assert.equal(m.status.ibLink, 'ok');
    assert.match(rec.resubscribes[0], /1101/);
    assert.equal(rec.readies, 1, 'never reconnected');
    assert.equal(sim.clientCount(), 1);
    assert.deepEqual(rec.decodingErrors(), []);
  });

  it('1300, TWS moved its API port: failed, naming the new port, and the old one is not tried again', async () => {
    const m = manager(sim);
    const rec = new Recorder(m);
    await m.connect();
    sim.faults.portMoved(4002);
    await waitUntil('failed', () => m.status.phase === 'failed' || undefined);
    assert.equal(m.status.error?.code, 1300);
    assert.match(m.status.error?.message ?? '', /now takes API connections on port 4002, not \d+, and closed this one\.$/);
    assert.match(m.status.error?.action ?? '', /^Set Port to 4002 /);
    await time.advance(10_000, { stepMs: 500 });
    assert.equal(m.status.phase, 'failed', 'not tried again on the old port');
    assert.equal(rec.readies, 1);
    assert.equal(sim.clientCount(), 0);
    assert.deepEqual(rec.decodingErrors(), []);
  });

  it("a data farm back while IB's own link is down (a nightly reset) sends nothing again: the 1102 after it says the data was kept", async () => {
    const m = manager(sim);
    const rec = new Recorder(m);
    await m.connect();
    await waitUntil('farm ok', () => m.status.farms.usfarm === 'ok');
    // as recorded from TWS during a reset: 2103 usfarm, 1100, 2104 usfarm, 1102
    sim.faults.connectivityLost();
    await waitUntil('link lost', () => m.status.ibLink === 'lost');
    sim.faults.farmBlip(300);
    await waitUntil('farm broken', () => m.status.farms.usfarm === 'broken');
    await time.advanceUntil('farm back', () => m.status.farms.usfarm === 'ok', { maxMs: 400 });
    await time.advance(3000, { stepMs: 100 });
    assert.deepEqual(rec.resubscribes, [], 'nothing sent while the link is down');
    sim.faults.connectivityRestored(false);
    await waitUntil('link ok (1102)', () => m.status.ibLink === 'ok');
    await time.advance(3000, { stepMs: 100 });
    assert.deepEqual(rec.resubscribes, [], '1102: the data was kept');
    // the same with a 1101 (the data lost): everything once
    sim.faults.connectivityLost();
    await waitUntil('link lost again', () => m.status.ibLink === 'lost');
    sim.faults.farmBlip(300);
    await waitUntil('farm broken again', () => m.status.farms.usfarm === 'broken');
    await time.advanceUntil('farm back again', () => m.status.farms.usfarm === 'ok', { maxMs: 400 });
    sim.faults.connectivityRestored(true);
    await time.advanceUntil('sent again after 1101', () => rec.resubscribes.length > 0, { maxMs: 3000 });
    await time.advance(3000, { stepMs: 100 });
    assert.equal(rec.resubscribes.length, 1, rec.resubscribes.join(' | '));
    assert.match(rec.resubscribes[0], /1101/);
  });

  it('tracks a data farm blip (2103 -> 2104) and asks for a resubscribe when it is back', async () => {
    const m = manager(sim);
    const rec = new Recorder(m);
    await m.connect();
    await waitUntil('farm ok', () => m.status.farms.usfarm === 'ok');
    sim.faults.farmBlip(300);
    await waitUntil('farm broken', () => m.status.farms.usfarm === 'broken');
    assert.ok(rec.errors.some((e) => e.code === 2103));
    assert.deepEqual(rec.resubscribes, []);
    await time.advanceUntil('farm back', () => m.status.farms.usfarm === 'ok', { maxMs: 400 });
    // once the farms have stayed calm for a while (a flapping farm is not resubscribed at every blip)
    await time.advanceUntil('resubscribe', () => rec.resubscribes.length > 0 || undefined, { maxMs: 5_000 });
    assert.deepEqual(rec.resubscribes, ['data farm usfarm is back']);
    assert.equal(m.status.phase, 'ready');
    assert.equal(rec.readies, 1);
  });

  it('notices a stalled gateway through the heartbeat and reconnects', async () => {
    const m = manager(sim, TIGHT_HEARTBEAT);
    const rec = new Recorder(m);
    await m.connect();
    const beats = sim.receivedMessageIds().get(49) ?? 0;
    sim.faults.stall(2000);
    await time.advance(150);
    await waitUntil('a heartbeat at the gateway', () => (sim.receivedMessageIds().get(49) ?? 0) > beats || undefined);
    await time.advance(350);
    assert.equal(m.status.phase, 'ready', 'not given up before the heartbeat time limit');
    await time.advanceUntil('heartbeat notices the stall', () => m.status.phase !== 'ready', { maxMs: 100 });
    assert.match(m.status.error?.message ?? '', /stopped answering/);
    await time.advanceUntil('ready after the stall', () => m.status.phase === 'ready', { maxMs: 15_000 });
    assert.ok(time.elapsed() >= 2000, 'not ready while the gateway was silent');
    assert.equal(rec.readies, 2);
    assert.deepEqual(rec.resubscribes, ['reconnected']);
    await waitUntil('old session gone on the gateway', () => sim.clientCount() === 1);
  });

  it('resets on a garbled frame and recovers', async () => {
    const m = manager(sim);
    const rec = new Recorder(m);
    await m.connect();
    sim.faults.garble();
    await waitUntil('garble reported', () => rec.errors.some((e) => e.code === 505));
    const report = rec.errors.find((e) => e.code === 505);
    assert.match(report?.message ?? '', /could not be read; the connection is reset/);
    await time.advanceUntil('ready again', () => m.status.phase === 'ready' && rec.readies === 2, { maxMs: 5000 });
    assert.ok(rec.phases().includes('reconnecting'));
    assert.deepEqual(rec.resubscribes, ['reconnected']);
    await waitUntil('one session on the gateway', () => sim.clientCount() === 1);
  });

  it('makes exactly one new connection when the port changes', async () => {
    const other = await startSim();
    const m = manager(sim);
    const rec = new Recorder(m);
    await m.connect();
    const before = rec.statuses.length;
    const address = other.address;
    assert.ok(address);
    await m.updateSettings({ enabled: true, host: address.host, port: address.port, clientId: 7, ...FAST });
    assert.equal(m.status.phase, 'ready');
    assert.equal(m.status.port, address.port);
    const after = rec.statuses.slice(before).map((s) => s.phase);
    assert.deepEqual(
      after.filter((p, i) => i === 0 || after[i - 1] !== p),
      ['connecting', 'ready'],
    );
    assert.equal(rec.readies, 2);
    assert.deepEqual(rec.resubscribes, ['reconnected']);
    await waitUntil('old gateway released', () => sim.clientCount() === 0);
    assert.equal(other.clientCount(), 1);

    // unchanged endpoint: no reconnect; enabled=false: disabled
    await m.updateSettings({ enabled: true, host: address.host, port: address.port, clientId: 7, ...FAST, simulated: true });
    assert.equal(rec.readies, 2);
    assert.equal(m.status.simulated, true);
    await m.updateSettings({ enabled: false, host: address.host, port: address.port, clientId: 7, ...FAST });
    assert.equal(m.status.phase, 'disabled');
    await waitUntil('released on disable', () => other.clientCount() === 0);
    await assert.rejects(m.connect(), /disabled/);
  });

  it('does not reconnect after a deliberate disconnect', async () => {
    const m = manager(sim);
    const rec = new Recorder(m);
    await m.connect();
    await m.disconnect();
    assert.equal(m.status.phase, 'disconnected');
    assert.equal(m.api, undefined);
    await waitUntil('gateway sees the client leave', () => sim.clientCount() === 0);
    assert.equal(m.state, 'idle', 'no attempt after a disconnect (proven over time on a fake clock in test/unit/connection-driver.test.ts)');
    assert.equal(rec.readies, 1);
    assert.deepEqual(rec.phases(), ['connecting', 'ready', 'disconnected']);
    // and can be connected again
    await m.connect();
    assert.equal(m.status.phase, 'ready');
    assert.equal(sim.clientCount(), 1);
  });

  it('stops reconnecting and closes everything on dispose', async () => {
    const m = manager(sim);
    const rec = new Recorder(m);
    await m.connect();
    sim.faults.restart(300);
    await waitUntil('reconnecting', () => m.status.phase === 'reconnecting');
    m.dispose();
    const count = rec.statuses.length;
    // the gateway is back after 300 ms; no one comes (every timing of this on a fake clock in test/unit/connection-driver.test.ts)
    await time.advance(600);
    await quietFor(50);
    assert.equal(rec.statuses.length, count, 'no status after dispose');
    assert.equal(sim.clientCount(), 0, 'no connection made after dispose');
    assert.equal(m.api, undefined);
  });
});
