/**
 * The client message-rate limit and every fault of the simulator, seen from
 * @stoqey/ib clients over TCP. The simulator runs on a fake clock the tests
 * advance: rate windows, fault durations and stream intervals cost no wait.
 */
import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import { EventName, IBApi, SecType, type Contract } from '@stoqey/ib';
import { connectApi, connectApiNext, startSim, type ApiClient, type StartedSim } from './support/sim';
import { quietFor, waitUntil } from '../support/wait';
import { fakeTime, type FakeTime } from '../support/fake-time';

const TUESDAY_11_ET = Date.parse('2026-11-24T16:00:00Z');
const AAPL: Contract = { symbol: 'AAPL', secType: SecType.STK, exchange: 'SMART', currency: 'USD' };
function disconnected(api: IBApi): Promise<void> {
  return new Promise((resolve) => api.once(EventName.disconnected, () => resolve()));
}

/** One REQ_CURRENT_TIME answered. */
async function currentTimeRoundTrip(api: IBApi): Promise<void> {
  await new Promise<void>((resolve) => {
    api.once(EventName.currentTime, () => resolve());
    api.reqCurrentTime();
  });
}

/** A REQ_CURRENT_TIME sent now; `answered` turns true when its answer arrives. */
function askTime(api: IBApi): { answered: boolean } {
  const box = { answered: false };
  api.once(EventName.currentTime, () => (box.answered = true));
  api.reqCurrentTime();
  return box;
}

/** Resolves once a TCP connection to the port is accepted again (the simulator listens again asynchronously). */
async function portOpen(port: number, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > until) throw new Error(`port ${port} still closed after ${timeoutMs} ms`);
    await quietFor(5);
  }
}

function countTicks(api: IBApi): { count: number } {
  const box = { count: 0 };
  api.on(EventName.tickPrice, () => box.count++);
  return box;
}

/** Current time is these tests' probe, asked many times a second: TWS's one-a-second rule is tested on its own below. */
const ANY_TIME_RATE = { currentTimeOncePerSecond: false };

describe('sim: message rate limit', () => {
  let sim: StartedSim;
  let time: FakeTime;
  afterEach(async () => sim.stop());
  beforeEach(() => {
    time = fakeTime(TUESDAY_11_ET);
  });

  it('answers the 51st message within a second with error 100 and drops the excess', async () => {
    sim = await startSim({ clock: { start: TUESDAY_11_ET }, scheduler: time.scheduler, limits: ANY_TIME_RATE });
    const c = await connectApi(sim.port, 1, { maxReqPerSec: 1000 });
    let answers = 0;
    c.api.on(EventName.currentTime, () => answers++);
    for (let i = 0; i < 60; i++) c.api.reqCurrentTime();
    const info = await c.waitFor(100);
    assert.match(info.message, /^Max rate of messages per second has been exceeded:max=50 rec=51/);
    // the 60 arrive within one (simulated) second: exactly 50 are answered
    await waitUntil('50 answers', () => answers >= 50 || undefined);
    await quietFor(50);
    assert.equal(answers, 50, `answered ${answers} of 60`);
    assert.equal(c.infos.filter((i) => i.code === 100).length, 1, 'one 100 per second');
    // still within the second: dropped without a second 100
    const late = askTime(c.api);
    await quietFor(50);
    assert.equal(late.answered, false, 'dropped within the same second');
    // a second later, below the rate again, the session works
    await time.advance(1000, { stepMs: 250 });
    await currentTimeRoundTrip(c.api);
    assert.equal(c.infos.filter((i) => i.code === 100).length, 1, 'one 100 per second');
    c.assertClean();
    await c.disconnect();
  });

  it('disconnects a client that exceeds the rate in three consecutive seconds', async () => {
    sim = await startSim({ clock: { start: TUESDAY_11_ET }, scheduler: time.scheduler, limits: ANY_TIME_RATE });
    const c = await connectApi(sim.port, 1, { maxReqPerSec: 1000 });
    const gone = disconnected(c.api);
    let over = false;
    void gone.then(() => (over = true));
    const burst = async (second: number): Promise<void> => {
      const warned = c.infos.filter((i) => i.code === 100).length;
      for (let i = 0; i < 60; i++) if (c.api.isConnected) c.api.reqCurrentTime();
      if (second < 3) await waitUntil(`a 100 in second ${second}`, () => c.infos.filter((i) => i.code === 100).length > warned || undefined);
    };
    await burst(1);
    await time.advance(1000, { stepMs: 250 });
    await burst(2);
    assert.equal(over, false, 'two seconds of excess are forgiven');
    await time.advance(1000, { stepMs: 250 });
    await burst(3);
    await gone;
    assert.equal(c.infos.filter((i) => i.code === 100).length, 2);
    c.assertClean();
    await waitUntil('sim.server.clientCount() === 0', () => sim.server.clientCount() === 0);
  });

  it('can be switched off', async () => {
    sim = await startSim({ clock: { start: TUESDAY_11_ET }, limits: { ...ANY_TIME_RATE, messagesPerSecond: 0 } });
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

describe('sim: current time, one answer a second (TWS 10.16 on, reported: ib_insync #479, #604)', () => {
  let sim: StartedSim;
  afterEach(async () => sim.stop());

  it('answers the first request, never one less than a second after it, and the next one a second on', async () => {
    const time = fakeTime(TUESDAY_11_ET);
    sim = await startSim({ clock: { start: TUESDAY_11_ET }, scheduler: time.scheduler });
    const c = await connectApi(sim.port, 1);
    try {
      const first = askTime(c.api);
      await waitUntil('the first answered', () => first.answered || undefined);
      await time.advance(900);
      const second = askTime(c.api);
      const asked = sim.server.receivedMessageIds().get(49) ?? 0;
      await waitUntil('the second at the gateway', () => (sim.server.receivedMessageIds().get(49) ?? 0) >= 2 || undefined);
      await quietFor(100);
      assert.equal(second.answered, false, `not answered (${asked} asked)`);
      await time.advance(200);
      const third = askTime(c.api);
      await waitUntil('the third answered', () => third.answered || undefined);
      c.assertClean();
    } finally {
      await c.disconnect();
    }
  });
});

describe('sim: faults', () => {
  let sim: StartedSim;
  let time: FakeTime;
  const clients: ApiClient[] = [];

  beforeEach(async () => {
    time = fakeTime(TUESDAY_11_ET);
    sim = await startSim({ clock: { start: TUESDAY_11_ET }, tickIntervalMs: 30, scheduler: time.scheduler, limits: ANY_TIME_RATE });
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
    await time.advance(550);
    await assert.rejects(connectApi(sim.port, 3, { timeoutMs: 2000 }), 'still refused before the time is up');
    await time.advance(50);
    await portOpen(sim.port);
    const c = await client(3);
    await currentTimeRoundTrip(c.api);
    assert.equal(sim.server.clientCount(), 2);
  });

  it('restart(ms) drops everyone and refuses connections while "down"', async () => {
    const a = await client(1);
    const gone = disconnected(a.api);
    sim.server.faults.restart(500);
    await gone;
    await assert.rejects(connectApi(sim.port, 4, { timeoutMs: 2000 }));
    await time.advance(500);
    await portOpen(sim.port);
    const b = await client(4);
    await currentTimeRoundTrip(b.api);
    assert.equal(sim.server.address?.port, sim.port);
  });

  it('connectivityLost sends 1100 and stops data; restored (1102) resumes it with the lines kept', async () => {
    const c = await client(1);
    const ticks = countTicks(c.api);
    c.api.reqMktData(1, AAPL, '', false, false);
    await time.advanceUntil('ticks.count > 3', () => ticks.count > 3);
    sim.server.faults.connectivityLost();
    assert.match((await c.waitFor(1100)).message, /Connectivity between IB and Trader Workstation has been lost/);
    await quietFor(20);
    const frozen = ticks.count;
    await time.advance(500);
    assert.equal(ticks.count, frozen, 'no ticks while IB is unreachable');
    sim.server.faults.connectivityRestored(false);
    assert.match((await c.waitFor(1102)).message, /data maintained/);
    assert.equal(sim.server.activeMarketData().length, 1);
    await time.advanceUntil('ticks resume', () => ticks.count > frozen, { maxMs: 8000 });
    c.assertClean();
  });

  it("serverLinkBroken sends 2110 in TWS's words and stops data; after its time data resumes with a 2104", async () => {
    const c = await client(1);
    const ticks = countTicks(c.api);
    c.api.reqMktData(1, AAPL, '', false, false);
    await time.advanceUntil('ticks.count > 3', () => ticks.count > 3);
    sim.server.faults.serverLinkBroken(1000);
    assert.equal((await c.waitFor(2110)).message, 'Connectivity between Trader Workstation and server is broken. It will be restored automatically.');
    await quietFor(20);
    const frozen = ticks.count;
    await time.advance(500);
    assert.equal(ticks.count, frozen, 'no ticks while the link is broken');
    await time.advance(600);
    assert.match((await c.waitFor(2104)).message, /^Market data farm connection is OK:/);
    await time.advanceUntil('ticks resume', () => ticks.count > frozen, { maxMs: 8000 });
    assert.equal(sim.server.activeMarketData().length, 1, 'the line was kept');
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
    await time.advanceUntil('ticks.count > 3', () => ticks.count > 3);
    sim.server.faults.farmBlip(500);
    assert.match((await c.waitFor(2103)).message, /Market data farm connection is broken:usfarm/);
    await quietFor(20);
    const paused = ticks.count;
    const usfarmOk = () => c.infos.filter((i) => i.code === 2104 && /OK:usfarm$/.test(i.message));
    await time.advance(450);
    assert.equal(ticks.count, paused, 'quotes paused during the blip');
    assert.equal(usfarmOk().length, 1, 'no 2104 before the blip is over');
    await time.advanceUntil('a second 2104 for usfarm after the blip', () => usfarmOk().length === 2, { maxMs: 100 });
    await time.advanceUntil('ticks resume', () => ticks.count > paused, { maxMs: 8000 });
  });

  it('stall(ms) sends nothing for a while, then what was held back', async () => {
    const c = await client(1);
    sim.server.faults.stall(500);
    const held = askTime(c.api);
    await time.advance(450);
    await quietFor(20);
    assert.equal(held.answered, false, 'nothing sent during the stall');
    await time.advanceUntil('the held reply', () => held.answered, { maxMs: 100 });
    await currentTimeRoundTrip(c.api);
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
    const accountsAsked = (): number => sim.server.receivedMessageIds().get(17) ?? 0; // REQ_MANAGED_ACCTS
    const before = accountsAsked();
    c.api.reqCurrentTime();
    c.api.reqManagedAccts();
    await waitUntil('both requests at the gateway', () => accountsAsked() > before || undefined);
    await time.advance(250);
    await quietFor(20);
    assert.deepEqual(order, [], 'not answered before the delay');
    await time.advance(50);
    await both;
    assert.deepEqual(order, ['time', 'accounts']);
    sim.server.faults.delayReplies(0);
    // no delay now: answered with the clock standing still
    await currentTimeRoundTrip(c.api);
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
