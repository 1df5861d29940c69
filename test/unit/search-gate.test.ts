import { strict as assert } from 'node:assert';
import { MAX_WAITING_SEARCHES, SEARCH_INTERVAL_MS, SearchBusyError, SearchDroppedError, SearchGate } from '../../src/ib/contracts/search-gate';
import { fakeClock } from '../support/fake-time';

/** A send that records when it was called and answers at once. */
function sender(now: () => number) {
  const sent: Array<{ text: string; at: number }> = [];
  const send = (text: string) => () => {
    sent.push({ text, at: now() });
    return Promise.resolve([`${text}!`]);
  };
  return { sent, send };
}

describe('symbol search gate (IB: at least 1 s between two reqMatchingSymbols)', () => {
  it('sends the first search at once and each next one a second (and a margin) after the one before', async () => {
    const { fake, clock } = fakeClock(0);
    const gate = new SearchGate<string[]>(clock);
    const s = sender(() => fake.now);
    const answers = ['A', 'AP', 'APP'].map((t) => gate.run(t, s.send(t)));
    await fake.tickAsync(0);
    assert.deepEqual(s.sent, [{ text: 'A', at: 0 }]);
    await fake.tickAsync(SEARCH_INTERVAL_MS - 1);
    assert.equal(s.sent.length, 1, 'not before the interval');
    await fake.tickAsync(1);
    await fake.tickAsync(SEARCH_INTERVAL_MS);
    assert.deepEqual(
      s.sent.map((x) => [x.text, x.at]),
      [
        ['A', 0],
        ['AP', SEARCH_INTERVAL_MS],
        ['APP', 2 * SEARCH_INTERVAL_MS],
      ],
    );
    assert.deepEqual(await Promise.all(answers), [['A!'], ['AP!'], ['APP!']]);
    assert.ok(SEARCH_INTERVAL_MS >= 1000);
  });

  it('answers a text asked again from memory, and shares one request between askers of the same text', async () => {
    const { fake, clock } = fakeClock(0);
    const gate = new SearchGate<string[]>(clock);
    const s = sender(() => fake.now);
    const first = gate.run('AAPL', s.send('AAPL'));
    const again = gate.run('AAPL', s.send('AAPL'));
    await fake.tickAsync(0);
    assert.deepEqual(await Promise.all([first, again]), [['AAPL!'], ['AAPL!']]);
    await fake.tickAsync(30_000);
    assert.deepEqual(await gate.run('AAPL', s.send('AAPL')), ['AAPL!']);
    assert.equal(s.sent.length, 1, 'one request for the three');
    // after a gateway change nothing is answered from memory
    gate.clear();
    void gate.run('AAPL', s.send('AAPL'));
    await fake.tickAsync(0);
    assert.equal(s.sent.length, 2);
  });

  it('drops a waiting search its asker no longer wants (a newer text typed): it is never sent', async () => {
    const { fake, clock } = fakeClock(0);
    const gate = new SearchGate<string[]>(clock);
    const s = sender(() => fake.now);
    void gate.run('M', s.send('M'));
    const older = new AbortController();
    const dropped = gate.run('MS', s.send('MS'), older.signal);
    older.abort();
    await assert.rejects(dropped, SearchDroppedError);
    const latest = gate.run('MSF', s.send('MSF'));
    await fake.tickAsync(SEARCH_INTERVAL_MS);
    assert.deepEqual(await latest, ['MSF!']);
    assert.deepEqual(
      s.sent.map((x) => x.text),
      ['M', 'MSF'],
    );
  });

  it('refuses a search past the ones waiting, with a reason, and takes searches again once they have gone', async () => {
    const { fake, clock } = fakeClock(0);
    const gate = new SearchGate<string[]>(clock);
    const s = sender(() => fake.now);
    void gate.run('first', s.send('first'));
    const waiting = Array.from({ length: MAX_WAITING_SEARCHES }, (_, i) => gate.run(`w${i}`, s.send(`w${i}`)));
    await assert.rejects(gate.run('one too many', s.send('x')), (e: Error) => e instanceof SearchBusyError && /one a second/.test(e.message));
    await fake.tickAsync(MAX_WAITING_SEARCHES * SEARCH_INTERVAL_MS);
    assert.equal((await Promise.all(waiting)).length, MAX_WAITING_SEARCHES);
    const later = gate.run('later', s.send('later'));
    await fake.tickAsync(SEARCH_INTERVAL_MS);
    assert.deepEqual(await later, ['later!']);
  });

  it('a failed search is not kept: the same text asked again is sent again', async () => {
    const { fake, clock } = fakeClock(0);
    const gate = new SearchGate<string[]>(clock);
    let calls = 0;
    const failing = () => {
      calls++;
      return Promise.reject(new Error('no answer'));
    };
    await assert.rejects(gate.run('Q', failing), /no answer/);
    const again = assert.rejects(gate.run('Q', failing), /no answer/);
    await fake.tickAsync(SEARCH_INTERVAL_MS);
    await again;
    assert.equal(calls, 2);
  });
});
