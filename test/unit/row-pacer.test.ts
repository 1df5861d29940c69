import { strict as assert } from 'node:assert';
import { createClock } from '@sinonjs/fake-timers';
import type { Clock } from '../../src/ib/clock';
import { RowPacer } from '../../src/vscode/watchlist/row-pacer';

/** A pacer on a fake clock, recording each render with its time. */
function paced(rowsPerSecond: number, intervalMs = 250, rowIntervalMs?: number) {
  const fake = createClock(1_000_000);
  const clock: Clock = {
    now: () => fake.now,
    setTimeout: (fn, ms) => fake.setTimeout(fn, ms),
    clearTimeout: (h) => fake.clearTimeout(h as number),
  };
  const renders: Array<{ at: number; rows: string[] }> = [];
  const pacer = new RowPacer<string>({
    intervalMs,
    rowsPerSecond,
    rowIntervalMs: rowIntervalMs === undefined ? undefined : () => rowIntervalMs,
    clock,
    render: (rows) => renders.push({ at: fake.now - 1_000_000, rows }),
  });
  return { fake, pacer, renders };
}

const symbols = (n: number) => Array.from({ length: n }, (_, i) => `S${i}`);

describe('watchlist row pacing', () => {
  it('renders nothing while paused (a quick input opens), then what changed meanwhile at once', () => {
    const { fake, pacer, renders } = paced(100);
    pacer.offer(['AAPL']);
    assert.equal(renders.length, 1);
    fake.tick(300);
    pacer.pauseFor(600);
    pacer.offer(['AAPL', 'MSFT']);
    fake.tick(599);
    assert.equal(renders.length, 1, 'nothing rendered during the pause');
    fake.tick(1);
    assert.deepEqual(renders[1], { at: 900, rows: ['AAPL', 'MSFT'] });
    // a pause shorter than what the pace holds anyway changes nothing
    pacer.pauseFor(100);
    pacer.offer(['AAPL']);
    fake.tick(249);
    assert.equal(renders.length, 2);
    fake.tick(1);
    assert.deepEqual(renders[2], { at: 1150, rows: ['AAPL'] });
  });

  it('takes a new pace from the next turn (rows a render, time between renders)', () => {
    const { fake, pacer, renders } = paced(100);
    pacer.offer(symbols(60));
    assert.deepEqual(
      renders.map((r) => r.rows.length),
      [25],
    );
    pacer.setPace({ rowsPerSecond: 20, intervalMs: 500 });
    fake.tick(499);
    assert.equal(renders.length, 1, 'the longer interval holds the next turn');
    fake.tick(1);
    assert.deepEqual(renders[1], { at: 500, rows: symbols(35).slice(25) });
    fake.tick(500);
    assert.deepEqual(renders[2], { at: 1000, rows: symbols(45).slice(35) });
    assert.equal(pacer.pending, 15);
  });

  it('renders a short list at once, and each change again one interval later', () => {
    const { fake, pacer, renders } = paced(100);
    pacer.offer(['AAPL', 'MSFT']);
    assert.deepEqual(renders, [{ at: 0, rows: ['AAPL', 'MSFT'] }]);
    fake.tick(100);
    pacer.offer(['AAPL']);
    assert.equal(renders.length, 1, 'not before the interval is over');
    fake.tick(149);
    assert.equal(renders.length, 1);
    fake.tick(1);
    assert.deepEqual(renders[1], { at: 250, rows: ['AAPL'] });
    assert.equal(pacer.pending, 0);
  });

  it('renders at most rowsPerSecond rows a second, longest waiting first, and every row in turn', () => {
    const { fake, pacer, renders } = paced(100);
    const all = symbols(100);
    // every row changes every 100 ms for 3 s
    for (let t = 0; t < 3000; t += 100) {
      pacer.offer(all);
      fake.tick(100);
    }
    const rendered = renders.flatMap((r) => r.rows);
    // 25 rows per 250 ms: renders at 0, 250, ... 2750 (12 of them) plus the one due at 3000
    assert.ok(
      renders.every((r) => r.rows.length <= 25),
      'no render holds more than 25 rows',
    );
    for (let i = 1; i < renders.length; i++) assert.ok(renders[i].at - renders[i - 1].at >= 250, 'one render per interval at most');
    assert.ok(rendered.length <= 100 * 3 + 25, `${rendered.length} rows in 3 s`);
    // in turn: the first four renders hold all 100 rows, each once
    assert.deepEqual(
      renders
        .slice(0, 4)
        .flatMap((r) => r.rows)
        .sort(),
      [...all].sort(),
    );
    // every row rendered about once a second
    for (const s of all) {
      const times = renders.filter((r) => r.rows.includes(s)).map((r) => r.at);
      assert.ok(times.length >= 3, `${s} rendered ${times.length} times in 3 s`);
      for (let i = 1; i < times.length; i++) assert.ok(times[i] - times[i - 1] <= 1000, `${s} waited ${times[i] - times[i - 1]} ms`);
    }
  });

  it('keeps a waiting row in its place when it changes again, and renders the rest without new changes', () => {
    const { fake, pacer, renders } = paced(8); // 2 rows per 250 ms
    pacer.offer(['A', 'B', 'C', 'D', 'E']);
    assert.deepEqual(renders[0].rows, ['A', 'B']);
    pacer.offer(['E', 'C', 'A']);
    fake.tick(250);
    assert.deepEqual(renders[1].rows, ['C', 'D'], 'C and D waited longer than E; A queued again at the back');
    fake.tick(250);
    assert.deepEqual(renders[2].rows, ['E', 'A']);
    fake.tick(10_000);
    assert.equal(renders.length, 3, 'nothing more once nothing waits');
    assert.equal(fake.countTimers(), 0, 'no timer left running');
  });

  it('renders every waiting row at once when the view shows, and hands them back when it hides', () => {
    const { fake, pacer, renders } = paced(8);
    pacer.offer(['A', 'B', 'C', 'D', 'E']);
    assert.deepEqual(pacer.take(), ['C', 'D', 'E']);
    fake.tick(1000);
    assert.equal(renders.length, 1, 'taken rows are not rendered');
    pacer.offer(['A', 'B', 'C', 'D']);
    assert.deepEqual(renders[1].rows, ['A', 'B']);
    pacer.flushAll();
    assert.deepEqual(renders[2], { at: 1000, rows: ['C', 'D'] });
    pacer.offer(['X']);
    fake.tick(249);
    assert.equal(renders.length, 3, 'the flush counts as a render for the pace');
    fake.tick(1);
    assert.deepEqual(renders[3].rows, ['X']);
  });

  it('forgets waiting rows when cleared or disposed, and keeps no timer', () => {
    const { fake, pacer, renders } = paced(4);
    pacer.offer(['A', 'B', 'C']);
    pacer.clear();
    fake.tick(5000);
    assert.equal(renders.length, 1);
    pacer.offer(['D', 'E']);
    pacer.dispose();
    fake.tick(5000);
    assert.deepEqual(
      renders.map((r) => r.rows),
      [['A'], ['D']],
    );
    assert.equal(fake.countTimers(), 0);
  });

  it('holds a row whose hover is open: its changes render at the first turn after the hold, the other rows keep their pace', () => {
    const { fake, pacer, renders } = paced(100);
    pacer.offer(['AAPL', 'MSFT']);
    pacer.hold('AAPL', 4000);
    fake.tick(250);
    pacer.offer(['AAPL', 'MSFT']);
    assert.deepEqual(renders[1], { at: 250, rows: ['MSFT'] }, 'MSFT at its turn, AAPL held');
    fake.tick(250);
    pacer.offer(['MSFT']);
    assert.deepEqual(renders[2], { at: 500, rows: ['MSFT'] }, 'a held row waiting does not hold the others back');
    fake.tick(100);
    pacer.offer(['MSFT']);
    fake.tick(150);
    assert.deepEqual(renders[3], { at: 750, rows: ['MSFT'] }, 'at the pace');
    assert.ok(!renders.some((r) => r.at > 0 && r.at < 4000 && r.rows.includes('AAPL')), 'AAPL not rendered while held');
    fake.tick(4000 - 750);
    assert.deepEqual(renders.at(-1), { at: 4000, rows: ['AAPL'] }, 'AAPL once the hold ends, with no other change to wake the pacer');
    // the hold is over: AAPL's next change renders at the next turn
    pacer.offer(['AAPL']);
    fake.tick(250);
    assert.deepEqual(renders.at(-1), { at: 4250, rows: ['AAPL'] });
    assert.equal(fake.countTimers(), 0);
  });

  it('renders a released row at the next turn (its hover closed before the hold ended), with what changed while it was held', () => {
    const { fake, pacer, renders } = paced(100);
    pacer.hold('AAPL', 8000);
    pacer.offer(['AAPL']);
    fake.tick(1000);
    assert.equal(renders.length, 0, 'AAPL held');
    // the only waiting row is held: the pacer waits for the hold's end; a release wakes it
    pacer.release('AAPL');
    fake.tick(0);
    assert.deepEqual(renders.at(-1), { at: 1000, rows: ['AAPL'] }, "AAPL once released, not at the hold's end");
    // released: its changes render at the pace again
    pacer.offer(['AAPL']);
    fake.tick(250);
    assert.deepEqual(renders.at(-1), { at: 1250, rows: ['AAPL'] });
    // a row never held is left as it is
    pacer.release('MSFT');
    assert.equal(renders.length, 2);
    assert.equal(fake.countTimers(), 0);
  });

  it('a held row that does not change renders nothing, and a cleared pacer forgets the hold', () => {
    const { fake, pacer, renders } = paced(100);
    pacer.hold('AAPL', 4000);
    fake.tick(10_000);
    assert.equal(renders.length, 0);
    pacer.hold('MSFT', 4000);
    pacer.clear();
    pacer.offer(['MSFT']);
    assert.deepEqual(renders, [{ at: 10_000, rows: ['MSFT'] }]);
  });

  it('lets each row rest between renders (a hover opens only on a row that rests): a busy row renders once a second, the others keep their pace', () => {
    const { fake, pacer, renders } = paced(100, 250, 1_000);
    // AAPL changes every 100 ms for 2.5 s; MSFT changes once, half a second in
    for (let t = 0; t < 2_500; t += 100) {
      if (t === 500) pacer.offer(['MSFT']);
      pacer.offer(['AAPL']);
      fake.tick(100);
    }
    const aapl = renders.filter((r) => r.rows.includes('AAPL')).map((r) => r.at);
    assert.deepEqual(aapl, [0, 1_000, 2_000], 'AAPL: once a second, with its latest values');
    const msft = renders.filter((r) => r.rows.includes('MSFT')).map((r) => r.at);
    assert.deepEqual(msft, [500], 'MSFT at its first turn');
    fake.tick(500);
    assert.deepEqual(
      renders.filter((r) => r.rows.includes('AAPL')).map((r) => r.at),
      [0, 1_000, 2_000, 3_000],
      "AAPL's last change renders when its rest ends",
    );
  });
});
