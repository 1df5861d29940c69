/**
 * The client message-rate limit and every fault of the simulator, seen from
 * @stoqey/ib clients over TCP.
 */
import { strict as assert } from 'node:assert';
import { EventName, IBApi, SecType, type Contract } from '@stoqey/ib';
import { connectApi, connectApiNext, startSim, type ApiClient, type StartedSim } from './support/sim';
import { quietFor, waitUntil } from '../support/wait';

const TUESDAY_11_ET = Date.parse('2026-11-24T16:00:00Z');
const AAPL: Contract = { symbol: 'AAPL', secType: SecType.STK, exchange: 'SMART', currency: 'USD' };
function disconnected(api: IBApi): Promise<void> {
  return new Promise((resolve) => api.once(EventName.disconnected, () => resolve()));
}

/** Round trip of one REQ_CURRENT_TIME, in ms. */
async function currentTimeRoundTrip(api: IBApi): Promise<number> {
  const t0 = Date.now();
  await new Promise<void>((resolve) => {
    api.once(EventName.currentTime, () => resolve());
    api.reqCurrentTime();
  });
  return Date.now() - t0;
}

function countTicks(api: IBApi): { count: number } {
  const box = { count: 0 };
  api.on(EventName.tickPrice, () => box.count++);
  return box;
}

describe('sim: message rate limit', () => {
  let sim: StartedSim;
  afterEach(async () => sim.stop());

  it('answers the 51st message within a second with error 100 and drops the excess', async () => {
    sim = await startSim({ clock: { start: TUESDAY_11_ET } });
    const c = await connectApi(sim.port, 1, { maxReqPerSec: 1000 });
    let answers = 0;
    c.api.on(EventName.currentTime, () => answers++);
    for (let i = 0; i < 60; i++) c.api.reqCurrentTime();
    const info = await c.waitFor(100);
    assert.match(info.message, /^Max rate of messages per second has been exceeded:max=50 rec=51/);
    await quietFor(300);
    assert.ok(answers >= 45 && answers <= 50, `answered ${answers} of 60`);
    assert.equal(c.infos.filter((i) => i.code === 100).length, 1, 'one 100 per second');
    // below the rate again, the session works
    await quietFor(1100);
    await currentTimeRoundTrip(c.api);
    c.assertClean();
    await c.disconnect();
  });

  it('disconnects a client that exceeds the rate in three consecutive seconds', async function () {
    this.timeout(20_000);
    sim = await startSim({ clock: { start: TUESDAY_11_ET } });
    const c = await connectApi(sim.port, 1, { maxReqPerSec: 1000 });
    const gone = disconnected(c.api);
    const timer = setInterval(() => {
      for (let i = 0; i < 30; i++) if (c.api.isConnected) c.api.reqCurrentTime();
    }, 200);
    try {
      await Promise.race([gone, quietFor(8000).then(() => Promise.reject(new Error('still connected')))]);
    } finally {
      clearInterval(timer);
    }
    assert.ok(c.infos.filter((i) => i.code === 100).length >= 2);
    c.assertClean();
    await waitUntil('sim.server.clientCount() === 0', () => sim.server.clientCount() === 0);
  });

  it('can be switched off', async () => {
    sim = await startSim({ clock: { start: TUESDAY_11_ET }, limits: { messagesPerSecond: 0 } });
    const c = await connectApi(sim.port, 1, { maxReqPerSec: 1000 });
    let answers = 0;
    c.api.on(EventName.currentTime, () => answers++);
    for (let i = 0; i < 120; i++) c.api.reqCurrentTime();
    await waitUntil('answers === 120', () => answers === 120);
    assert.equal(c.infos.filter((i) => i.code === 100).length, 0);
    c.assertClean();
    await c.disconnect();
  });
});

describe('sim: faults', () => {
  let sim: StartedSim;
  const clients: ApiClient[] = [];

  beforeEach(async () => {
    sim = await startSim({ clock: { start: TUESDAY_11_ET }, tickIntervalMs: 30 });
  });
  /** Clients that are sent a garbled frame on purpose. */
  const garbled = new Set<ApiClient>();

  afterEach(async () => {
    for (const c of clients.splice(0)) {
      if (!garbled.has(c)) c.assertClean();
      await c.disconnect();
    }
    garbled.clear();
    await sim.stop();
  });

  async function client(id: number): Promise<ApiClient> {
    const c = await connectApi(sim.port, id);
    clients.push(c);
    return c;
  }

  it('dropAll cuts every connection; IBApiNext reconnects on its own', async () => {
    const a = await client(1);
    const next = await connectApiNext(sim.port, 2, { reconnectInterval: 200 });
    try {
      assert.equal(sim.server.clientCount(), 2);
      const gone = disconnected(a.api);
      sim.server.faults.dropAll();
      await gone;
      await waitUntil('IBApiNext back', () => sim.server.clientCount() === 1, 5000);
      const t = await next.api.getCurrentTime();
      assert.ok(t > 0);
      next.assertClean();
    } finally {
      next.disconnect();
    }
  });

  it('refuseConnections(ms) refuses new clients for a while, then accepts them; connected clients stay', async () => {
    const stays = await client(1);
    sim.server.faults.refuseConnections(600);
    await assert.rejects(connectApi(sim.port, 3, { timeoutMs: 2000 }));
    await currentTimeRoundTrip(stays.api);
    await quietFor(700);
    const c = await client(3);
    assert.ok((await currentTimeRoundTrip(c.api)) >= 0);
    assert.equal(sim.server.clientCount(), 2);
  });

  it('restart(ms) drops everyone and refuses connections while "down"', async () => {
    const a = await client(1);
    const gone = disconnected(a.api);
    sim.server.faults.restart(500);
    await gone;
    await assert.rejects(connectApi(sim.port, 4, { timeoutMs: 2000 }));
    await quietFor(600);
    const b = await client(4);
    await currentTimeRoundTrip(b.api);
    assert.equal(sim.server.address?.port, sim.port);
  });

  it('connectivityLost sends 1100 and stops data; restored (1102) resumes it with the lines kept', async () => {
    const c = await client(1);
    const ticks = countTicks(c.api);
    c.api.reqMktData(1, AAPL, '', false, false);
    await waitUntil('ticks.count > 3', () => ticks.count > 3);
    sim.server.faults.connectivityLost();
    assert.match((await c.waitFor(1100)).message, /Connectivity between IB and Trader Workstation has been lost/);
    await quietFor(100);
    const frozen = ticks.count;
    await quietFor(400);
    assert.equal(ticks.count, frozen, 'no ticks while IB is unreachable');
    sim.server.faults.connectivityRestored(false);
    assert.match((await c.waitFor(1102)).message, /data maintained/);
    assert.equal(sim.server.activeMarketData().length, 1);
    await waitUntil('ticks resume', () => ticks.count > frozen, 8000);
    c.assertClean();
  });

  it('connectivityRestored(dataLost) sends 1101 and ends every subscription', async () => {
    const c = await client(1);
    c.api.reqMktData(1, AAPL, '', false, false);
    c.api.reqHistoricalData(2, AAPL, '', '1800 S', '5 secs' as never, 'TRADES', 1, 2, true);
    await waitUntil(
      'sim.server.activeMarketData().length === 1 && sim.server.activeHistorical().length === 1',
      () => sim.server.activeMarketData().length === 1 && sim.server.activeHistorical().length === 1,
    );
    sim.server.faults.connectivityLost();
    await c.waitFor(1100);
    sim.server.faults.connectivityRestored(true);
    assert.match((await c.waitFor(1101)).message, /data lost/);
    assert.deepEqual(sim.server.activeMarketData(), []);
    assert.deepEqual(sim.server.activeHistorical(), []);
    c.assertClean();
  });

  it('farmBlip sends 2103 then 2104, with quotes paused in between', async () => {
    const c = await client(1);
    const ticks = countTicks(c.api);
    c.api.reqMktData(1, AAPL, '', false, false);
    await waitUntil('ticks.count > 3', () => ticks.count > 3);
    sim.server.faults.farmBlip(500);
    assert.match((await c.waitFor(2103)).message, /Market data farm connection is broken:usfarm/);
    await quietFor(80);
    const paused = ticks.count;
    await quietFor(250);
    assert.equal(ticks.count, paused);
    const usfarmOk = () => c.infos.filter((i) => i.code === 2104 && /OK:usfarm$/.test(i.message));
    await waitUntil('a second 2104 for usfarm after the blip', () => usfarmOk().length === 2, 5000);
    await waitUntil('ticks resume', () => ticks.count > paused, 8000);
  });

  it('stall(ms) sends nothing for a while, then what was held back', async () => {
    const c = await client(1);
    sim.server.faults.stall(500);
    const rtt = await currentTimeRoundTrip(c.api);
    assert.ok(rtt >= 400, `reply after ${rtt} ms`);
    assert.ok((await currentTimeRoundTrip(c.api)) < 400);
  });

  it('delayReplies(ms) answers every request late, in order, until set back to 0', async () => {
    const c = await client(1);
    sim.server.faults.delayReplies(300);
    const order: string[] = [];
    const both = new Promise<void>((resolve) => {
      c.api.once(EventName.currentTime, () => order.push('time'));
      c.api.once(EventName.managedAccounts, () => {
        order.push('accounts');
        resolve();
      });
    });
    const t0 = Date.now();
    c.api.reqCurrentTime();
    c.api.reqManagedAccts();
    await both;
    assert.ok(Date.now() - t0 >= 280);
    assert.deepEqual(order, ['time', 'accounts']);
    sim.server.faults.delayReplies(0);
    assert.ok((await currentTimeRoundTrip(c.api)) < 280);
  });

  it('garble() sends a frame the client cannot decode (its 505), and the session goes on', async () => {
    const c = await client(1);
    garbled.add(c);
    sim.server.faults.garble();
    const e = await c.waitFor(505);
    assert.match(e.message, /TICK_PRICE/);
    await currentTimeRoundTrip(c.api);
    assert.equal(sim.server.clientCount(), 1);
  });
});
