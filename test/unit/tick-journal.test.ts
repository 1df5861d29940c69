import { strict as assert } from 'node:assert';
import { QuoteState } from '../../src/ib/quotes';
import { TickJournal, type JournalLine } from '../../src/ib/quotes/tick-journal';

interface TestLine extends JournalLine {
  name: string;
}

function setUp() {
  const changed: string[] = [];
  let reads = 0;
  let clock = 1000;
  const journal = new TickJournal<TestLine>(
    () => {
      reads++;
      return clock;
    },
    (line) => changed.push(line.name),
  );
  const line = (name: string): TestLine & { slot: number } => {
    const l = { name, state: new QuoteState('live', 'STK'), dirty: false, slot: -1 };
    l.slot = journal.take(l);
    return l;
  };
  return { journal, changed, line, reads: () => reads, setClock: (t: number) => (clock = t) };
}

/** The end of the I/O turn, where the journal delivers its burst. */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('tick journal (ticks applied to their lines together)', () => {
  it('applies a burst in order: the last of two ticks of one field wins; each changed line is delivered once, at the end of the I/O turn', async () => {
    const { journal, changed, line } = setUp();
    const a = line('A');
    const b = line('B');
    journal.add(a.slot, 1, 10);
    journal.add(b.slot, 2, 20.5);
    journal.add(a.slot, 1, 10.25);
    journal.add(a.slot, 2, 10.5);
    assert.equal(a.state.hasData, false, 'nothing is applied before the burst ends');
    journal.apply();
    assert.equal(a.state.toQuote('A').bid, 10.25);
    assert.equal(a.state.toQuote('A').ask, 10.5);
    assert.equal(b.state.toQuote('B').ask, 20.5);
    assert.deepEqual(changed, [], 'delivered when the turn ends');
    await turn();
    assert.deepEqual(changed, ['A', 'B']);
    journal.apply();
    await turn();
    assert.deepEqual(changed, ['A', 'B'], 'nothing delivered twice');
  });

  it("reads the burst's time once, when its first tick is written down, and stamps every change of the burst with it", async () => {
    const { journal, line, reads, setClock } = setUp();
    const a = line('A');
    journal.add(a.slot, 1, 10);
    setClock(5000);
    journal.add(a.slot, 2, 11);
    journal.apply();
    assert.equal(reads(), 1);
    assert.equal(a.state.toQuote('A').time, 1000);
    await turn();
    journal.add(a.slot, 1, 10.5);
    journal.apply();
    assert.equal(reads(), 2);
    assert.equal(a.state.toQuote('A').time, 5000);
  });

  it('takes a string tick as the number the model reads from it (the last trade time), and an absent value as none', () => {
    const { journal, line } = setUp();
    const a = line('A');
    journal.add(a.slot, 45, Number('1700000000'));
    journal.add(a.slot, 4, undefined);
    journal.add(a.slot, 84, Number('Q'));
    journal.apply();
    const q = a.state.toQuote('A');
    assert.equal(q.time, 1_700_000_000_000);
    assert.equal(q.last, undefined);
  });

  it('applies what it holds when full, without waiting for the burst to end, and loses no tick', async () => {
    const { journal, changed, line } = setUp();
    const a = line('A');
    for (let i = 1; i <= 512; i++) journal.add(a.slot, 8, i);
    assert.equal(a.state.toQuote('A').volume, 512, 'the 512th tick fills it and it is applied');
    journal.add(a.slot, 8, 513);
    journal.apply();
    assert.equal(a.state.toQuote('A').volume, 513);
    await turn();
    assert.deepEqual(changed, ['A'], 'delivered once: the line was still marked when the rest came');
  });

  it("applies a released line's ticks before its slot goes to another line, which never gets them", () => {
    const { journal, line } = setUp();
    const a = line('A');
    journal.add(a.slot, 1, 99);
    journal.release(a.slot);
    assert.equal(a.state.toQuote('A').bid, 99);
    const b = line('B');
    assert.equal(b.slot, a.slot, 'the slot is used again');
    journal.apply();
    assert.equal(b.state.hasData, false);
    journal.add(b.slot, 1, 7);
    journal.apply();
    assert.equal(b.state.toQuote('B').bid, 7);
    assert.equal(a.state.toQuote('A').bid, 99);
  });

  it('applies a tick type outside its table at once, after the ticks before it', () => {
    const { journal, line } = setUp();
    const a = line('A');
    journal.add(a.slot, 1, 5);
    journal.add(a.slot, 5000, 1);
    assert.equal(a.state.toQuote('A').bid, 5, 'the ticks before it were applied first');
  });
});
