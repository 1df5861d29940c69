/**
 * The one request table, on a fake clock: ids never reused, time limits,
 * fail-on-disconnect, late answers and unknown ids ignored.
 */
import { strict as assert } from 'node:assert';
import { describeIbError, LOCAL_CODES } from '../../src/ib/errors';
import { newRequestId, RequestTable } from '../../src/ib/transport/request-table';
import { fakeClock } from '../support/fake-time';
import { noAnswer, Owner } from './request-owner';

describe('request table', () => {
  it('hands out ids from one counter: never reused, across tables (connections)', () => {
    const { clock } = fakeClock();
    const a = new RequestTable<Owner>(clock);
    const b = new RequestTable<Owner>(clock);
    const ids = new Set<number>();
    for (let i = 0; i < 100; i++) {
      const id = a.add(new Owner());
      a.remove(id);
      ids.add(id);
      ids.add(b.add(new Owner()));
      ids.add(newRequestId());
    }
    assert.equal(ids.size, 300, 'every id is new, even after its entry was removed');
    assert.ok([...ids].every((id) => id > 0));
  });

  it('ends an entry whose time limit passes, once, and forgets it (a late answer finds no owner)', () => {
    const { fake, clock } = fakeClock();
    const t = new RequestTable<Owner>(clock);
    const owner = new Owner();
    const expired: number[] = [];
    const id = t.add(owner, { ms: 1000, info: noAnswer, onExpire: (x) => expired.push(x) });
    fake.tick(999);
    assert.equal(owner.ended.length, 0);
    assert.equal(t.get(id), owner);
    fake.tick(1);
    assert.equal(owner.ended.length, 1);
    assert.equal(owner.ended[0].code, LOCAL_CODES.noAnswer);
    assert.equal(owner.ended[0].reqId, id);
    assert.deepEqual(expired, [id], 'the request is undone on the gateway');
    assert.equal(t.get(id), undefined, 'a late answer is ignored');
    assert.equal(t.take(id), undefined);
    fake.tick(10_000);
    assert.equal(owner.ended.length, 1, 'told once');
    assert.equal(t.size, 0);
  });

  it('an answered entry keeps its owner without a time limit (a stream after its backfill)', () => {
    const { fake, clock } = fakeClock();
    const t = new RequestTable<Owner>(clock);
    const owner = new Owner();
    const id = t.add(owner, { ms: 1000, info: noAnswer });
    fake.tick(500);
    t.answered(id);
    fake.tick(5000);
    assert.deepEqual(owner.ended, []);
    assert.equal(t.get(id), owner);
  });

  it('a removed entry hears nothing more, not even its time limit', () => {
    const { fake, clock } = fakeClock();
    const t = new RequestTable<Owner>(clock);
    const owner = new Owner();
    const id = t.add(owner, { ms: 1000, info: noAnswer });
    assert.equal(t.take(id), owner);
    assert.equal(t.remove(id), false);
    fake.tick(2000);
    assert.deepEqual(owner.ended, []);
    assert.equal(fake.countTimers(), 0, 'no timer left behind');
  });

  it('fails every entry with the not-connected error when the connection ends, and clears its timers', () => {
    const { fake, clock } = fakeClock();
    const t = new RequestTable<Owner>(clock);
    const owners = [new Owner(), new Owner(), new Owner()];
    const ids = owners.map((o, i) => t.add(o, i === 0 ? undefined : { ms: 1000, info: noAnswer }));
    t.failAll(describeIbError(504));
    for (const o of owners)
      assert.deepEqual(
        o.ended.map((e) => e.code),
        [504],
      );
    assert.equal(t.size, 0);
    for (const id of ids) assert.equal(t.get(id), undefined);
    assert.equal(fake.countTimers(), 0);
    fake.tick(5000);
    for (const o of owners) assert.equal(o.ended.length, 1);
  });

  it('an id it never handed out has no owner', () => {
    const { clock } = fakeClock();
    const t = new RequestTable<Owner>(clock);
    t.add(new Owner());
    assert.equal(t.get(-1), undefined);
    assert.equal(t.get(0), undefined);
    assert.equal(t.get(2 ** 31 - 1), undefined);
  });
});
