/**
 * Time limits and the library's send queue: the request table starts a
 * request's time limit when its message has left the queue (on a fake clock
 * and a fake queue), and the transport knows which messages have left the
 * queue of a real IBApi (its rate limiter, on fake timers).
 */
import { strict as assert } from 'node:assert';
import { install } from '@sinonjs/fake-timers';
import { EventName, IBApi } from '@stoqey/ib';
import { describeIbError, LOCAL_CODES } from '../../src/ib/errors';
import { trackSending } from '../../src/ib/transport/lib-socket';
import { RequestTable, type SendLine } from '../../src/ib/transport/request-table';
import { fakeClock } from '../support/fake-time';
import { noAnswer, Owner } from './request-owner';

/** A send queue the test drives: `hand()` queues a message, `leave(n)` lets the first n go. */
function fakeLine() {
  const waits: Array<{ n: number; fn?: () => void }> = [];
  const line = {
    queued: 0,
    sent: 0,
    whenSent(n: number, fn: () => void): () => void {
      const wait: { n: number; fn?: () => void } = { n, fn };
      waits.push(wait);
      return () => void (wait.fn = undefined);
    },
    hand(count = 1): void {
      line.queued += count;
    },
    leave(n: number): void {
      line.sent = n;
      for (const w of waits.filter((x) => x.n <= n)) {
        waits.splice(waits.indexOf(w), 1);
        w.fn?.();
      }
    },
    /** Waits not stopped. */
    waiting: () => waits.filter((w) => w.fn).length,
  };
  return line;
}

describe('transport: time limits count from when the request leaves the send queue', () => {
  it('a request queued behind others starts its time limit when its own message leaves', () => {
    const { fake, clock } = fakeClock();
    const line = fakeLine();
    const t = new RequestTable<Owner>(clock, line);
    const owner = new Owner();
    line.hand(80); // a watchlist's lines
    const id = t.add(owner);
    line.hand(); // the request's own message
    t.limit(id, { ms: 1000, info: noAnswer });
    fake.tick(3000);
    line.leave(80);
    assert.equal(owner.ended.length, 0, 'still in the queue after three times its limit: no time limit yet');
    assert.equal(fake.countTimers(), 0);
    line.leave(81);
    fake.tick(999);
    assert.equal(owner.ended.length, 0);
    fake.tick(1);
    assert.deepEqual(
      owner.ended.map((e) => [e.code, e.message]),
      [[LOCAL_CODES.noAnswer, `no answer to #${id}`]],
      'the limit after its message left',
    );
    assert.equal(t.get(id), undefined);
  });

  it('starts at once when every message has left, or when there is no queue', () => {
    const { fake, clock } = fakeClock();
    const line = fakeLine();
    const queued = new RequestTable<Owner>(clock, line);
    const plain = new RequestTable<Owner>(clock);
    const a = new Owner();
    const b = new Owner();
    const idA = queued.add(a);
    line.hand();
    line.leave(1);
    queued.limit(idA, { ms: 500, info: noAnswer });
    plain.add(b, { ms: 500, info: noAnswer });
    fake.tick(500);
    assert.equal(a.ended.length, 1);
    assert.equal(b.ended.length, 1);
  });

  it('an answer, a cancel or the end of the connection while the request is queued ends its wait', () => {
    const { fake, clock } = fakeClock();
    const line = fakeLine();
    const t = new RequestTable<Owner>(clock, line);
    const [answered, cancelled, dropped] = [new Owner(), new Owner(), new Owner()];
    const ids = [answered, cancelled, dropped].map((o) => {
      const id = t.add(o);
      line.hand();
      t.limit(id, { ms: 1000, info: noAnswer });
      return id;
    });
    assert.equal(line.waiting(), 3);
    t.answered(ids[0]);
    assert.equal(t.remove(ids[1]), true);
    assert.equal(line.waiting(), 1);
    t.failAll(describeIbError(504));
    assert.equal(line.waiting(), 0, 'no wait left behind');
    line.leave(3);
    fake.tick(5000);
    // the answered one (a stream) and the one still waiting end with the connection, once; the cancelled one hears nothing
    assert.deepEqual(
      [answered, cancelled, dropped].map((o) => o.ended.map((e) => e.code)),
      [[504], [], [504]],
    );
    assert.equal(fake.countTimers(), 0);
    assert.equal(t.get(ids[0]), undefined);
  });

  it('a time limit for an entry already gone starts nothing', () => {
    const { fake, clock } = fakeClock();
    const line = fakeLine();
    const t = new RequestTable<Owner>(clock, line);
    const owner = new Owner();
    const id = t.add(owner);
    line.hand();
    // refused while it was being sent: the owner removed it
    t.remove(id);
    t.limit(id, { ms: 1000, info: noAnswer });
    assert.equal(line.waiting(), 0);
    line.leave(1);
    fake.tick(2000);
    assert.deepEqual(owner.ended, []);
  });
});

describe("transport: the messages that have left @stoqey/ib's send queue", () => {
  let timers: ReturnType<typeof install> | undefined;
  afterEach(() => {
    timers?.uninstall();
    timers = undefined;
  });

  interface Internals {
    controller: { sendMsg(...tokens: unknown[]): void; socket: { send(tokens: unknown[]): void } };
  }

  it('counts each request as sent when the rate limiter hands it to the socket, 4 every 100 ms, in order', () => {
    // the library's limiter runs on the global timers
    timers = install({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const api = new IBApi({ host: '127.0.0.1', port: 1, clientId: 1, maxReqPerSec: 40 });
    const line: SendLine = trackSending(api);
    const written: string[] = [];
    api.on(EventName.sent, (tokens: string[]) => written.push(tokens.join(',')));
    const { controller } = api as unknown as Internals;
    // REQ_CURRENT_TIME (49, version 1), with a number to tell them apart
    for (let i = 1; i <= 10; i++) controller.sendMsg(49, 1, i);
    assert.equal(line.queued, 10);
    assert.equal(line.sent, 4, 'the first four at once');
    const left: Array<[number, number]> = [];
    line.whenSent(10, () => left.push([10, Date.now()]));
    line.whenSent(5, () => left.push([5, Date.now()]));
    timers.tick(100);
    assert.equal(line.sent, 8);
    assert.deepEqual(left, [[5, 100]]);
    timers.tick(100);
    assert.equal(line.sent, 10);
    assert.deepEqual(left, [
      [5, 100],
      [10, 200],
    ]);
    assert.deepEqual(
      written,
      Array.from({ length: 10 }, (_, i) => `49,1,${i + 1}`),
      'in the order queued',
    );

    // a message written directly (the handshake's) is not one of the queue's
    controller.socket.send([71, 2, 1, '']);
    assert.deepEqual([line.queued, line.sent], [10, 10]);
    let now = false;
    line.whenSent(10, () => (now = true));
    assert.ok(now, 'a wait for messages already sent ends at once');
  });

  it('a stopped wait is not called', () => {
    timers = install({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const api = new IBApi({ host: '127.0.0.1', port: 1, clientId: 1, maxReqPerSec: 40 });
    const line = trackSending(api);
    const { controller } = api as unknown as Internals;
    for (let i = 1; i <= 6; i++) controller.sendMsg(49, 1, i);
    let called = 0;
    const stop = line.whenSent(6, () => called++);
    stop();
    timers.tick(200);
    assert.equal(line.sent, 6);
    assert.equal(called, 0);
  });
});
