/**
 * The connection's client (transport/client.ts) over a fake library client:
 * every event goes by request id to its owner only, connection-level notices
 * to the connection, one-shot answers settle once (time limits on a fake
 * clock), and a connection that ends fails every request with 504.
 */
import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import { createClock } from '@sinonjs/fake-timers';
import type { Clock } from '../../src/ib/clock';
import type { ClassifiedMessage } from '../../src/ib/errors';
import { IbError, LOCAL_CODES } from '../../src/ib/errors';
import { wireClient, type ClientEvents, type LibClient } from '../../src/ib/transport/client';
import type { MarketDataOwner } from '../../src/ib/transport/wire';
import type { IbErrorInfo } from '../../src/ib/types';

/** The library's client as far as the wire uses it: an emitter that records what is sent. */
class FakeLib extends EventEmitter {
  sent: Array<[string, ...unknown[]]> = [];
  isConnected = true;
  serverVersion = 193;
  disconnected = false;
  private record(name: string, args: unknown[]) {
    this.sent.push([name, ...args]);
    return this;
  }
  connect = (...a: unknown[]) => this.record('connect', a);
  disconnect = () => {
    this.disconnected = true;
    return this.record('disconnect', []);
  };
  reqMktData = (...a: unknown[]) => this.record('reqMktData', a);
  cancelMktData = (...a: unknown[]) => this.record('cancelMktData', a);
  reqMarketDataType = (...a: unknown[]) => this.record('reqMarketDataType', a);
  reqHistoricalData = (...a: unknown[]) => this.record('reqHistoricalData', a);
  cancelHistoricalData = (...a: unknown[]) => this.record('cancelHistoricalData', a);
  reqContractDetails = (...a: unknown[]) => this.record('reqContractDetails', a);
  reqMatchingSymbols = (...a: unknown[]) => this.record('reqMatchingSymbols', a);
  reqCurrentTime = () => this.record('reqCurrentTime', []);
  reqManagedAccts = () => this.record('reqManagedAccts', []);
}

class Line implements MarketDataOwner {
  ticks: Array<[number, number | undefined, string | undefined]> = [];
  errors: ClassifiedMessage[] = [];
  ended: IbErrorInfo[] = [];
  types: number[] = [];
  tick(t: number, v: number | undefined, s: string | undefined) {
    this.ticks.push([t, v, s]);
  }
  dataType(t: number) {
    this.types.push(t);
  }
  snapshotEnd() {}
  error(m: ClassifiedMessage) {
    this.errors.push(m);
  }
  end(info: IbErrorInfo) {
    this.ended.push(info);
  }
}

function setup() {
  const fake = createClock(0);
  const clock: Clock = { now: () => fake.now, setTimeout: (fn, ms) => fake.setTimeout(fn, ms), clearTimeout: (h) => fake.clearTimeout(h as number) };
  const lib = new FakeLib();
  const heard: Array<[string, ...unknown[]]> = [];
  const events: ClientEvents = {
    server: (...a) => heard.push(['server', ...a]),
    managedAccounts: (...a) => heard.push(['managedAccounts', ...a]),
    nextValidId: () => heard.push(['nextValidId']),
    info: (...a) => heard.push(['info', ...a]),
    error: (...a) => heard.push(['error', ...a]),
    disconnected: () => heard.push(['disconnected']),
  };
  const silent = { debug() {}, info() {}, warn() {}, error() {} };
  const client = wireClient(lib as unknown as LibClient, events, silent, clock);
  return { fake, lib, heard, client, wire: client.wire };
}

const AAPL = { conId: 265598, exchange: 'SMART' };
const settle = () => new Promise((r) => setImmediate(r));

describe('wire: one listener per event, routed by request id', () => {
  it('holds one listener per library event', () => {
    const { lib } = setup();
    for (const name of lib.eventNames()) assert.equal(lib.listenerCount(name), 1, String(name));
  });

  it('each tick carries the number of the socket read it came in, when the client counts them', () => {
    const { lib } = setup();
    const reads = { count: 41 };
    const wire = wireClient(
      lib as unknown as LibClient,
      { server() {}, managedAccounts() {}, nextValidId() {}, info() {}, error() {}, disconnected() {} },
      { debug() {}, info() {}, warn() {}, error() {} },
      { now: () => 0, setTimeout: () => 0, clearTimeout() {} },
      undefined,
      reads,
    ).wire;
    const heard: unknown[][] = [];
    const owner = Object.assign(new Line(), { tick: (...a: unknown[]) => void heard.push(a) });
    const r = wire.marketData(owner, AAPL, false);
    lib.emit('tickPrice', r.id, 4, 190.5, true);
    reads.count++;
    lib.emit('tickSize', r.id, 5, 100);
    lib.emit('tickString', r.id, 45, '1794927600');
    assert.deepEqual(heard, [
      [4, 190.5, undefined, 41],
      [5, 100, undefined, 42],
      [45, undefined, '1794927600', 42],
    ]);
  });

  it("a line's ticks and errors go to that line's owner only", () => {
    const { lib, heard, wire } = setup();
    const a = new Line();
    const b = new Line();
    const ra = wire.marketData(a, AAPL, false);
    const rb = wire.marketData(b, { conId: 272093, exchange: 'SMART' }, false);
    assert.notEqual(ra.id, rb.id);
    lib.emit('tickPrice', ra.id, 4, 190.5, {});
    lib.emit('tickString', rb.id, 45, '1794927600');
    lib.emit('marketDataType', ra.id, 3);
    lib.emit('error', new Error('Requested market data is not subscribed.'), 354, ra.id);
    assert.deepEqual(a.ticks, [[4, 190.5, undefined]]);
    assert.deepEqual(b.ticks, [[45, undefined, '1794927600']]);
    assert.deepEqual(a.types, [3]);
    assert.equal(a.errors.length, 1);
    assert.equal(a.errors[0].role, 'error');
    assert.equal(a.errors[0].info.code, 354);
    assert.equal(a.errors[0].info.category, 'permission');
    assert.equal(a.errors[0].info.reqId, ra.id);
    assert.deepEqual(b.errors, [], 'the other line hears nothing');
    assert.deepEqual(heard, [], 'nor does the connection');
  });

  it('a notice with a request id reaches its owner as a notice; a delayed-data warning as an error the owner may read as advisory', () => {
    const { lib, wire } = setup();
    const a = new Line();
    const r = wire.marketData(a, AAPL, false);
    lib.emit('error', new Error('Market data farm connection is OK:usfarm'), 2104, r.id);
    lib.emit('error', new Error('Displaying delayed market data...'), 10167, r.id);
    lib.emit('error', new Error('Historical Market Data Service query message:HMDS server disconnect occurred. Attempting reconnection...'), 165, r.id);
    assert.deepEqual(
      a.errors.map((e) => [e.role, e.info.code]),
      [
        ['notice', 2104],
        ['error', 10167],
        ['notice', 165],
      ],
    );
  });

  it('connection-level messages (id -1, a broken stream, an id nobody owns) go to the connection', () => {
    const { lib, heard, wire } = setup();
    const a = new Line();
    const r = wire.marketData(a, AAPL, false);
    lib.emit('info', 'Market data farm connection is broken:usfarm', 2103);
    lib.emit('error', new Error('Connectivity between IB and TWS has been lost.'), 1100, -1);
    lib.emit('error', new Error('garbled'), 505, r.id);
    lib.emit('error', new Error('Historical Market Data Service error message'), 162, 999_999);
    lib.emit('tickPrice', 999_999, 4, 1, {}); // an id nobody owns: ignored
    assert.deepEqual(heard, [
      ['info', 'Market data farm connection is broken:usfarm', 2103],
      ['error', 'Connectivity between IB and TWS has been lost.', 1100, -1],
      ['error', 'garbled', 505, r.id],
      ['error', 'Historical Market Data Service error message', 162, 999_999],
    ]);
    assert.deepEqual(a.errors, []);
    assert.deepEqual(a.ticks, []);
  });

  it('a cancelled line hears nothing more and the gateway gets one cancel', () => {
    const { lib, wire } = setup();
    const a = new Line();
    const r = wire.marketData(a, AAPL, false);
    r.cancel();
    r.cancel();
    lib.emit('tickPrice', r.id, 4, 1, {});
    assert.deepEqual(a.ticks, []);
    assert.equal(lib.sent.filter(([n]) => n === 'cancelMktData').length, 1);
  });

  it('contract details: rows until the end; an error rejects with the classified IbError; a late answer is ignored', async () => {
    const { lib, fake, wire } = setup();
    const p = wire.contractDetails(AAPL, { ms: 1000, what: 'contract lookup for "AAPL"' });
    const id = lib.sent.find(([n]) => n === 'reqContractDetails')![1] as number;
    lib.emit('contractDetails', id, { contract: { conId: 265598 } });
    lib.emit('contractDetailsEnd', id);
    assert.equal((await p).length, 1);

    const bad = wire.contractDetails({ symbol: 'ZZZZQ' }, { ms: 1000, what: 'contract lookup for "ZZZZQ"' });
    const badId = lib.sent.filter(([n]) => n === 'reqContractDetails')[1][1] as number;
    lib.emit('error', new Error('No security definition has been found for the request'), 200, badId);
    await assert.rejects(bad, (e: unknown) => e instanceof IbError && e.info.code === 200 && e.info.reqId === badId);

    const slow = wire.contractDetails(AAPL, { ms: 1000, what: 'contract lookup for "AAPL"' });
    const slowId = lib.sent.filter(([n]) => n === 'reqContractDetails')[2][1] as number;
    fake.tick(1000);
    await assert.rejects(slow, (e: unknown) => e instanceof IbError && e.info.code === LOCAL_CODES.noAnswer && /contract lookup for "AAPL"/.test(e.message));
    lib.emit('contractDetails', slowId, { contract: { conId: 265598 } });
    lib.emit('contractDetailsEnd', slowId);
    assert.equal(wire.counts().requests, 0);
  });

  it('current time: one request at a time, shared; an answer under a second old is the answer (TWS answers one a second)', async () => {
    const { lib, fake, wire } = setup();
    const asked = () => lib.sent.filter(([n]) => n === 'reqCurrentTime').length;
    const [a, b] = [wire.currentTime(1000), wire.currentTime(1000)];
    assert.equal(asked(), 1);
    lib.emit('currentTime', 111);
    assert.deepEqual(await Promise.all([a, b]), [111, 111]);
    fake.tick(999);
    assert.equal(await wire.currentTime(1000), 111);
    assert.equal(asked(), 1);
    fake.tick(1);
    const c = wire.currentTime(1000);
    assert.equal(asked(), 2);
    lib.emit('currentTime', 112);
    assert.equal(await c, 112);
  });

  it("current time: a request never answered leaves the line at its time limit, so it cannot take the next one's answer", async () => {
    const { lib, fake, wire } = setup();
    const first = wire.currentTime(1000);
    fake.tick(1000);
    await assert.rejects(first, (e: unknown) => e instanceof IbError && e.info.code === LOCAL_CODES.noAnswer);
    const second = wire.currentTime(1000);
    lib.emit('currentTime', 222);
    assert.equal(await second, 222);
    // (a late answer to the first would be taken for the second: a time older by the limit, where keeping the
    // place would lose every answer after one TWS never sends, and with it the heartbeat)
  });

  it('the connection ending fails every request with 504 and tells the connection; later requests fail at once', async () => {
    const { lib, heard, wire } = setup();
    const a = new Line();
    wire.marketData(a, AAPL, false);
    const details = wire.contractDetails(AAPL, { ms: 10_000, what: 'x' });
    const time = wire.currentTime(10_000);
    lib.isConnected = false;
    lib.emit('disconnected');
    assert.deepEqual(
      a.ended.map((e) => e.code),
      [504],
    );
    await assert.rejects(details, (e: unknown) => e instanceof IbError && e.info.code === 504);
    await assert.rejects(time, (e: unknown) => e instanceof IbError && e.info.code === 504);
    assert.deepEqual(heard, [['disconnected']]);
    await assert.rejects(wire.matchingSymbols('AA', { ms: 1000, what: 'x' }), (e: unknown) => e instanceof IbError && e.info.code === 504);
    const late = new Line();
    wire.marketData(late, AAPL, false);
    await settle();
    assert.deepEqual(
      late.ended.map((e) => e.code),
      [504],
    );
    assert.equal(lib.sent.filter(([n]) => n === 'reqMktData').length, 1, 'nothing sent on a dead connection');
  });

  it('close removes every listener, closes the socket and fails what was pending', async () => {
    const { lib, client, wire } = setup();
    const p = wire.currentTime(10_000);
    client.close();
    client.close();
    await assert.rejects(p, (e: unknown) => e instanceof IbError && e.info.code === 504);
    assert.equal(lib.eventNames().length, 0);
    assert.equal(lib.sent.filter(([n]) => n === 'disconnect').length, 1);
    assert.equal(wire.isConnected, false);
  });

  it('every message reaches the taps (logs and tests), routed or not', () => {
    const { lib, wire } = setup();
    const seen: unknown[] = [];
    const tap = wire.onMessage((code, reqId) => seen.push([code, reqId]));
    const r = wire.marketData(new Line(), AAPL, false);
    lib.emit('error', new Error('x'), 354, r.id);
    lib.emit('info', 'y', 2104);
    tap.dispose();
    lib.emit('info', 'z', 2106);
    assert.deepEqual(seen, [
      [354, r.id],
      [2104, -1],
    ]);
  });
});
