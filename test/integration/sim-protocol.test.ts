/**
 * The simulator's handshake, sessions and small requests, driven by
 * @stoqey/ib over real TCP (and a raw socket where the client library cannot
 * misbehave on purpose).
 */
import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import { EventName, IBApi, OrderAction, OrderType, SecType } from '@stoqey/ib';
import { encodeFrame } from '../../src/sim/codec';
import { connectApi, connectApiNext, handshake, startSim, type ApiClient, type StartedSim } from './support/sim';
import { waitUntil } from '../support/wait';
import { collectFrames } from './support/raw-client';

const TUESDAY_11_ET = Date.parse('2026-11-24T16:00:00Z');

function once<T extends unknown[]>(api: IBApi, event: EventName, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    api.once(event, (...args: unknown[]) => {
      clearTimeout(timer);
      resolve(args as T);
    });
  });
}

/** A raw TCP client: sends bytes, collects framed replies, reports close. */
function rawClient(port: number): Promise<{ socket: net.Socket; frames: string[][]; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const frames = collectFrames(socket);
    const closed = new Promise<void>((r) => socket.on('close', () => r()));
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve({ socket, frames, closed }));
    socket.once('error', reject);
  });
}

describe('sim: handshake and sessions', () => {
  let sim: StartedSim;
  const clients: ApiClient[] = [];

  beforeEach(async () => {
    // current time is these tests' round trip, asked more than once a second
    sim = await startSim({ clock: { start: TUESDAY_11_ET }, limits: { currentTimeOncePerSecond: false } });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) {
      c.assertClean();
      await c.disconnect();
    }
    await sim.stop();
  });

  it('answers the handshake with version 193, then the paper account, the next id and the farm notices of a TWS connect burst', async () => {
    const api = new IBApi({ host: '127.0.0.1', port: sim.port });
    const server = once<[number, string]>(api, EventName.server);
    const accounts = once<[string]>(api, EventName.managedAccounts);
    const nextId = once<[number]>(api, EventName.nextValidId);
    const infos: number[] = [];
    const texts: string[] = [];
    api.on(EventName.info, (m: string, code: number) => {
      infos.push(code);
      texts.push(m);
    });
    api.connect(7);
    const [version, time] = await server;
    assert.equal(version, 193);
    // the host zone by its display name, as recorded (rust-handshake-reply-gmt), not an IANA id
    assert.match(time, /^\d{8} \d{2}:\d{2}:\d{2} (Greenwich Mean Time|British Summer Time)$/);
    assert.equal((await accounts)[0], 'DUSIM0001');
    assert.ok((await nextId)[0] >= 1);
    // As recorded from TWS (test/fixtures/tws-captures.json, nautilus-connect-seq-*, rust-err-2107-ushmds): farms up (2104/2106),
    // idle farms "inactive but available upon demand" (2108/2107, a period before the name), the sec-def farm (2158).
    await waitUntil('infos.length >= 7', () => infos.length >= 7);
    assert.deepEqual(infos.slice(0, 7), [2104, 2104, 2108, 2104, 2107, 2106, 2158]);
    assert.ok(texts.includes('HMDS data farm connection is inactive but should be available upon demand.cashhmds'), JSON.stringify(texts));
    assert.ok(texts.includes('Market data farm connection is inactive but should be available upon demand.cashfarm'), JSON.stringify(texts));
    assert.equal(sim.server.clientCount(), 1);
    const closed = once(api, EventName.disconnected);
    api.disconnect();
    await closed;
  });

  it('serves several clients at once and refuses a second connection with a client id in use (326, closed)', async () => {
    clients.push(await connectApi(sim.port, 1), await connectApi(sim.port, 2));
    assert.equal(sim.server.clientCount(), 2);
    const api = new IBApi({ host: '127.0.0.1', port: sim.port });
    const infos: Array<[number, string]> = [];
    api.on(EventName.info, (m: string, code: number) => infos.push([code, m]));
    const closed = once(api, EventName.disconnected);
    api.connect(1);
    await closed;
    assert.ok(
      infos.some(([code, m]) => code === 326 && /client id is already in use/.test(m)),
      JSON.stringify(infos),
    );
    assert.equal(sim.server.clientCount(), 2);
    // the first client 1 still works
    const t = once<[number]>(clients[0].api, EventName.currentTime);
    clients[0].api.reqCurrentTime();
    assert.ok((await t)[0] > 0);
  });

  it('frees a client id when its connection closes', async () => {
    const first = await connectApi(sim.port, 3);
    await first.disconnect();
    await waitUntil('sim.server.clientCount() === 0', () => sim.server.clientCount() === 0);
    clients.push(await connectApi(sim.port, 3));
    assert.equal(sim.server.clientCount(), 1);
  });

  it('closes a client whose newest version is older than the gateway can speak (157), as TWS does', async () => {
    const raw = await rawClient(sim.port);
    raw.socket.write(handshake('v100..150'));
    await raw.closed;
    assert.deepEqual(raw.frames, []);
  });

  it('closes a connection that does not start with API\\0', async () => {
    const raw = await rawClient(sim.port);
    raw.socket.write('GET / HTTP/1.1\r\n\r\n');
    await raw.closed;
  });

  it('closes only the session that sends a malformed frame', async () => {
    const good = await connectApi(sim.port, 1);
    clients.push(good);
    const raw = await rawClient(sim.port);
    raw.socket.write(handshake('v100..193'));
    raw.socket.write(encodeFrame([71, 2, 9, '']));
    await waitUntil('sim.server.clientCount() === 2', () => sim.server.clientCount() === 2);
    const huge = Buffer.alloc(8);
    huge.writeUInt32BE(0x7fffffff, 0);
    raw.socket.write(huge);
    await raw.closed;
    assert.equal(raw.frames[0][0], '193');
    const t = once<[number]>(good.api, EventName.currentTime);
    good.api.reqCurrentTime();
    await t;
    assert.equal(sim.server.clientCount(), 1);
  });

  it('tells the simulated time, new ids and the managed accounts; accepts a server log level', async () => {
    const c = await connectApi(sim.port, 4);
    clients.push(c);
    const t = once<[number]>(c.api, EventName.currentTime);
    c.api.reqCurrentTime();
    const [seconds] = await t;
    assert.ok(Math.abs(seconds - TUESDAY_11_ET / 1000) < 60, `simulated time ${seconds}`);
    const id = once<[number]>(c.api, EventName.nextValidId);
    c.api.reqIds(1);
    assert.ok((await id)[0] >= 1);
    const acc = once<[string]>(c.api, EventName.managedAccounts);
    c.api.reqManagedAccts();
    assert.equal((await acc)[0], 'DUSIM0001');
    c.api.setServerLogLevel(5);
    const t2 = once<[number]>(c.api, EventName.currentTime);
    c.api.reqCurrentTime();
    await t2;
    assert.deepEqual(c.errors, []);
    const ids = sim.server.receivedMessageIds();
    assert.equal(ids.get(49), 2); // REQ_CURRENT_TIME
    assert.equal(ids.get(8), 1); // REQ_IDS
    assert.equal(ids.get(17), 1); // REQ_MANAGED_ACCTS
    assert.equal(ids.get(14), 1); // SET_SERVER_LOGLEVEL
    assert.equal(ids.get(71), 1); // START_API
  });

  it('refuses order messages: the account is read-only (321)', async () => {
    const c = await connectApi(sim.port, 5);
    clients.push(c);
    c.api.placeOrder(
      1001,
      { symbol: 'AAPL', secType: SecType.STK, exchange: 'SMART', currency: 'USD' },
      { action: OrderAction.BUY, orderType: OrderType.MKT, totalQuantity: 1 },
    );
    const refused = await c.waitFor(321, 1001);
    assert.match(refused.message, /Read-Only/);
    c.api.cancelOrder(1001);
    await waitUntil(
      'c.errors.filter((e) => e.code === 321 && e.reqId === 1001).length === 2',
      () => c.errors.filter((e) => e.code === 321 && e.reqId === 1001).length === 2,
    );
    c.api.reqGlobalCancel();
    await c.waitFor(321, -1);
    const ids = sim.server.receivedMessageIds();
    assert.equal(ids.get(3), 1); // PLACE_ORDER received and refused
    assert.equal(ids.get(4), 1);
    assert.equal(ids.get(58), 1);
  });

  it('answers an unsupported request with an error and keeps the session', async () => {
    const c = await connectApi(sim.port, 6);
    clients.push(c);
    c.api.reqNewsBulletins(true);
    const info = await c.waitFor(321);
    assert.match(info.message, /REQ_NEWS_BULLETINS \(message 12\) is not supported/);
    assert.equal(info.reqId, -1, 'news bulletins carry no request id');
    const t = once<[number]>(c.api, EventName.currentTime);
    c.api.reqCurrentTime();
    await t;
  });

  it("answers the account's read requests as an account that holds nothing (what ib_insync asks while it connects)", async () => {
    const c = await connectApi(sim.port, 8);
    clients.push(c);
    const positionEnd = once(c.api, EventName.positionEnd);
    const openOrderEnd = once(c.api, EventName.openOrderEnd);
    const completedEnd = once(c.api, EventName.completedOrdersEnd);
    const execEnd = once<[number]>(c.api, EventName.execDetailsEnd);
    const summaryEnd = once<[number]>(c.api, EventName.accountSummaryEnd);
    const values: Array<[string, string, string, string]> = [];
    c.api.on(EventName.updateAccountValue, (key: string, value: string, currency: string, account: string) => values.push([key, value, currency, account]));
    const downloadEnd = once<[string]>(c.api, EventName.accountDownloadEnd);
    c.api.reqPositions();
    c.api.reqAllOpenOrders();
    c.api.reqCompletedOrders(false);
    c.api.reqExecutions(41, {});
    c.api.reqAccountSummary(42, 'All', 'NetLiquidation');
    c.api.reqAccountUpdates(true, 'DUSIM0001');
    await positionEnd;
    await openOrderEnd;
    await completedEnd;
    assert.deepEqual(await execEnd, [41]);
    assert.deepEqual(await summaryEnd, [42]);
    assert.deepEqual(await downloadEnd, ['DUSIM0001']);
    assert.deepEqual(
      values.find((v) => v[0] === 'NetLiquidation'),
      ['NetLiquidation', '1000000.00', 'USD', 'DUSIM0001'],
    );
    c.api.reqAccountUpdates(false, 'DUSIM0001');
    c.api.reqAccountUpdates(true, 'U999');
    const refused = await c.waitFor(321);
    assert.match(refused.message, /Invalid account code: U999/);
    assert.deepEqual(c.decodingErrors(), []);
  });

  it('gets ready for IBApiNext (current time is answered after NEXT_VALID_ID)', async () => {
    const next = await connectApiNext(sim.port, 11);
    try {
      const t = await next.api.getCurrentTime();
      assert.ok(Math.abs(t - TUESDAY_11_ET / 1000) < 60);
      assert.ok(next.infos.some((i) => i.code === 2104));
      next.assertClean();
    } finally {
      next.disconnect();
    }
  });
});
