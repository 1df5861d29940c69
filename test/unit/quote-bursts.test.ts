import { strict as assert } from 'node:assert';
import { QuoteState } from '../../src/ib/quotes';
import { QuoteBursts } from '../../src/ib/quotes/quote-bursts';

interface TestLine {
  name: string;
  slot: number;
  state: QuoteState;
}

function setUp() {
  const changed: string[] = [];
  let reads = 0;
  let clock = 1000;
  const bursts = new QuoteBursts<TestLine>(
    () => {
      reads++;
      return clock;
    },
    (line) => changed.push(line.name),
  );
  const line = (name: string): TestLine =>
    bursts.take((slot) => ({ name, slot, state: new QuoteState('live', 'STK', undefined, { columns: bursts.columns, slot }) }));
  return { bursts, changed, line, reads: () => reads, setClock: (t: number) => (clock = t) };
}

/** The end of the I/O turn, where a burst's changed lines are delivered. */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('quote bursts (every line in shared columns, each changed line delivered once per burst)', () => {
  it('applies each tick as it comes (the last of two of one field wins); each changed line is delivered once, at the end of the I/O turn', async () => {
    const { bursts, changed, line } = setUp();
    const a = line('A');
    const b = line('B');
    bursts.tick(a.slot, 1, 10);
    bursts.tick(b.slot, 2, 20.5);
    bursts.tick(a.slot, 1, 10.25);
    bursts.tick(a.slot, 2, 10.5);
    assert.equal(a.state.toQuote('A').bid, 10.25);
    assert.equal(a.state.toQuote('A').ask, 10.5);
    assert.equal(b.state.toQuote('B').ask, 20.5);
    assert.equal(b.state.toQuote('B').bid, undefined, "one line's values never reach another's");
    assert.deepEqual(changed, [], 'delivered when the turn ends');
    await turn();
    assert.deepEqual(changed, ['A', 'B']);
    await turn();
    assert.deepEqual(changed, ['A', 'B'], 'nothing delivered twice');
  });

  it('delivers nothing for a tick that changes nothing', async () => {
    const { bursts, changed, line } = setUp();
    const a = line('A');
    bursts.tick(a.slot, 1, 10);
    await turn();
    bursts.tick(a.slot, 1, 10);
    bursts.tick(a.slot, 2, -1);
    await turn();
    assert.deepEqual(changed, ['A']);
  });

  it("reads the burst's time once, at its first tick, and stamps every change of the burst with it", async () => {
    const { bursts, line, reads, setClock } = setUp();
    const a = line('A');
    bursts.tick(a.slot, 1, 10);
    setClock(5000);
    bursts.tick(a.slot, 2, 11);
    assert.equal(reads(), 1);
    assert.equal(a.state.toQuote('A').time, 1000);
    await turn();
    bursts.tick(a.slot, 1, 10.5);
    assert.equal(reads(), 2);
    assert.equal(a.state.toQuote('A').time, 5000);
  });

  it("with the socket read's number: the clock is read once per read, whatever the I/O turns, and the ticks of one read share its time", async () => {
    const { bursts, changed, line, reads, setClock } = setUp();
    const a = line('A');
    const q = line('Q');
    bursts.setQuiet(q.slot, true);
    bursts.tick(a.slot, 1, 10, 7);
    setClock(5000);
    bursts.tick(q.slot, 1, 20, 7);
    bursts.tick(a.slot, 2, 11, 7);
    assert.equal(reads(), 1);
    assert.equal(a.state.toQuote('A').time, 1000);
    assert.equal(q.state.toQuote('Q').time, 1000, 'one read, one moment: the quiet line too');
    await turn();
    assert.deepEqual(changed, ['A'], 'the line that is not quiet is delivered when the turn ends');
    // the next read, in the same turn as it happens: its own time
    bursts.tick(q.slot, 1, 20.5, 8);
    assert.equal(reads(), 2);
    assert.equal(q.state.toQuote('Q').time, 5000);
    setClock(9000);
    bursts.tick(q.slot, 2, 21, 8);
    assert.equal(q.state.toQuote('Q').time, 5000);
    await turn();
    bursts.tick(q.slot, 1, 20.75, 9);
    assert.equal(reads(), 3);
    assert.equal(q.state.toQuote('Q').time, 9000);
    assert.deepEqual(changed, ['A'], 'a quiet line is not delivered');
    // a tick without a read's number (a snapshot's, a client that does not count reads): once per turn, as before
    setClock(12_000);
    bursts.tick(a.slot, 1, 10.75);
    assert.equal(reads(), 4);
    assert.equal(a.state.toQuote('A').time, 12_000);
    await turn();
    assert.deepEqual(changed, ['A', 'A']);
  });

  it('takes a string tick as the number the model reads from it (the last trade time), and an absent value as none', () => {
    const { bursts, line } = setUp();
    const a = line('A');
    bursts.tick(a.slot, 45, Number('1700000000'));
    bursts.tick(a.slot, 4, undefined);
    bursts.tick(a.slot, 84, Number('Q'));
    bursts.tick(a.slot, 5000, 1);
    const q = a.state.toQuote('A');
    assert.equal(q.time, 1_700_000_000_000);
    assert.equal(q.last, undefined);
  });

  it('gives a released slot to the next line cleared, and delivers nothing for the released line', async () => {
    const { bursts, changed, line } = setUp();
    const a = line('A');
    bursts.tick(a.slot, 1, 99);
    bursts.tick(a.slot, 45, 1_700_000_000);
    bursts.release(a.slot);
    const b = line('B');
    assert.equal(b.slot, a.slot, 'the slot is used again');
    assert.equal(b.state.hasData, false);
    await turn();
    assert.deepEqual(changed, [], 'A was released and B has not changed');
    bursts.tick(b.slot, 1, 7);
    assert.equal(b.state.toQuote('B').bid, 7);
    await turn();
    assert.deepEqual(changed, ['B']);
  });

  it('keeps every line’s values when the columns grow for more lines', async () => {
    const { bursts, changed, line } = setUp();
    const first = Array.from({ length: 10 }, (_, i) => line(`L${i}`));
    first.forEach((l, i) => bursts.tick(l.slot, 4, 100 + i));
    const more = Array.from({ length: 90 }, (_, i) => line(`M${i}`));
    more.forEach((l, i) => bursts.tick(l.slot, 8, 1000 + i));
    first.forEach((l, i) => assert.equal(l.state.toQuote(l.name).last, 100 + i));
    more.forEach((l, i) => {
      assert.equal(l.state.toQuote(l.name).volume, 1000 + i);
      assert.equal(l.state.toQuote(l.name).last, undefined);
    });
    await turn();
    assert.equal(changed.length, 100);
  });

  it('delivers a changed line only while it still holds its slot: a listener may release a line and another take the slot meanwhile', async () => {
    const delivered: string[] = [];
    let swap: (() => void) | undefined;
    const bursts = new QuoteBursts<TestLine>(
      () => 0,
      (line) => {
        delivered.push(line.name);
        swap?.();
        swap = undefined;
      },
    );
    const make = (name: string): TestLine =>
      bursts.take((slot) => ({ name, slot, state: new QuoteState('live', 'STK', undefined, { columns: bursts.columns, slot }) }));
    const a = make('A');
    const b = make('B');
    swap = () => {
      bursts.release(b.slot);
      assert.equal(make('C').slot, b.slot);
    };
    bursts.tick(a.slot, 1, 1);
    bursts.tick(b.slot, 1, 2);
    await turn();
    assert.deepEqual(delivered, ['A'], 'B was released before its turn; C, on its slot, did not change');
  });

  it('a model made again on a slot waiting for delivery (its symbol resolved again) is delivered once', async () => {
    const { bursts, changed, line } = setUp();
    const a = line('A');
    bursts.tick(a.slot, 1, 10);
    a.state = new QuoteState('live', 'STK', undefined, { columns: bursts.columns, slot: a.slot });
    assert.equal(a.state.hasData, false, 'its values are cleared');
    bursts.tick(a.slot, 1, 11);
    await turn();
    assert.deepEqual(changed, ['A']);
  });
  it('a quiet line takes its ticks as any other and is not delivered until woken; one changed in the burst is delivered all the same', async () => {
    const { bursts, changed, line } = setUp();
    const quiet = line('Q');
    const loud = line('L');
    bursts.setQuiet(quiet.slot, true);
    const ticks: Array<[number, number]> = [
      [1, 10],
      [2, 10.5],
      [0, 300],
      [4, 10.25],
      [8, 12_000],
      [1, 10.1],
    ];
    for (const [type, value] of ticks) {
      bursts.tick(quiet.slot, type, value);
      bursts.tick(loud.slot, type, value);
    }
    await turn();
    assert.deepEqual(changed, ['L'], 'only the line that is not quiet');
    const { symbol: _q, ...quietValues } = quiet.state.toQuote('X');
    const { symbol: _l, ...loudValues } = loud.state.toQuote('X');
    assert.deepEqual(quietValues, loudValues, 'the same ticks, the same quote');
    bursts.setQuiet(quiet.slot, false);
    bursts.tick(quiet.slot, 1, 10.2);
    await turn();
    assert.deepEqual(changed, ['L', 'Q'], 'woken, delivered at its next change');
    // quiet asked for while changed in this burst: still delivered at its end
    bursts.tick(quiet.slot, 1, 10.3);
    bursts.setQuiet(quiet.slot, true);
    await turn();
    assert.deepEqual(changed, ['L', 'Q', 'Q']);
  });

  it('releasing a quiet line leaves the lines waiting for delivery as they were, and its slot is taken not quiet', async () => {
    const { bursts, changed, line } = setUp();
    const a = line('A');
    const q = line('Q');
    const b = line('B');
    bursts.setQuiet(q.slot, true);
    bursts.tick(a.slot, 1, 1);
    bursts.tick(b.slot, 1, 2);
    bursts.release(q.slot);
    const c = line('C');
    assert.equal(c.slot, q.slot);
    bursts.tick(c.slot, 1, 3);
    await turn();
    assert.deepEqual(changed, ['A', 'B', 'C']);
  });
});
