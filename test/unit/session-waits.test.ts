/**
 * Waiting for a connection instead of failing (session-waits.ts): a wait
 * holds one ready listener until that ready, so repeated reconnects do not
 * pile up listeners, and dispose removes the ones still waiting.
 */
import { strict as assert } from 'node:assert';
import { describeIbError, IbError } from '../../src/ib/errors';
import { ReadyWaits } from '../../src/ib/session-waits';
import type { Disposable, IbSession } from '../../src/ib/types';

function fakeSession() {
  const ready = new Set<() => void>();
  const session = {
    onReady(fn: () => void): Disposable {
      const entry = () => fn();
      ready.add(entry);
      return { dispose: () => void ready.delete(entry) };
    },
  } as unknown as IbSession;
  const fireReady = () => [...ready].forEach((f) => f());
  return { session, ready, fireReady };
}

const tick = () => new Promise((r) => setImmediate(r));
const notConnected = () => new IbError(describeIbError(504));

describe('waiting for a connection (ReadyWaits)', () => {
  it('tries again on each ready while not connected; one listener at a time, none once done', async () => {
    const { session, ready, fireReady } = fakeSession();
    const waits = new ReadyWaits(session);
    let tries = 0;
    const p = waits.retry(
      async () => {
        tries++;
        if (tries < 50) throw notConnected();
        return 'resolved';
      },
      () => false,
    );
    for (let i = 1; i < 50; i++) {
      await tick();
      assert.equal(ready.size, 1, `one ready listener while waiting (round ${i})`);
      assert.equal(waits.size, 1);
      fireReady();
    }
    assert.equal(await p, 'resolved');
    assert.equal(tries, 50);
    assert.equal(ready.size, 0, 'no listener left after 49 reconnects');
    assert.equal(waits.size, 0);
  });

  it('other errors, and a caller that is gone, end the wait at once', async () => {
    const { session, ready } = fakeSession();
    const waits = new ReadyWaits(session);
    await assert.rejects(
      waits.retry(
        async () => {
          throw new IbError(describeIbError(200));
        },
        () => false,
      ),
      /security definition/,
    );
    await assert.rejects(
      waits.retry(
        async () => {
          throw notConnected();
        },
        () => true,
      ),
      (e: unknown) => e instanceof IbError && e.info.code === 504,
    );
    assert.equal(ready.size, 0);
  });

  it('dispose removes the listeners of waits still in progress', async () => {
    const { session, ready } = fakeSession();
    const waits = new ReadyWaits(session);
    for (let i = 0; i < 3; i++)
      void waits.retry(
        async () => {
          throw notConnected();
        },
        () => false,
      );
    await tick();
    assert.equal(ready.size, 3);
    waits.dispose();
    assert.equal(ready.size, 0);
  });
});
