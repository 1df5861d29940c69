// The bars a chart shows as the keys move them and as a reload restores them (media/chart/view-range.ts).
import * as assert from 'node:assert/strict';
import { chartKey, MIN_BARS, parseSavedView, rangeOf, rangeShowing, viewToSave, zoomedRange } from '../../media/chart/view-range';

const bars = (n: number) => Array.from({ length: n }, (_, i) => ({ time: 1000 + i * 60 }));

describe('chart view range', () => {
  it('keys: arrows clamp at the ends, Escape leaves the bars, + - 0 zoom and fit, other keys are left alone', () => {
    assert.deepEqual(chartKey('ArrowLeft', 0, 9), { bar: 0 });
    assert.deepEqual(chartKey('ArrowRight', 9, 9), { bar: 9 });
    assert.deepEqual(chartKey('Home', 5, 9), { bar: 0 });
    assert.deepEqual(chartKey('End', 5, 9), { bar: 9 });
    assert.deepEqual(chartKey('Escape', 5, 9), { bar: undefined });
    assert.ok((chartKey('+', 5, 9) as { zoom: number }).zoom < 1);
    assert.ok((chartKey('-', 5, 9) as { zoom: number }).zoom > 1);
    assert.deepEqual(chartKey('0', 5, 9), { fit: true });
    assert.equal(chartKey('a', 5, 9), undefined);
    assert.equal(chartKey('Tab', 5, 9), undefined);
  });

  it('a bar out of view is brought in by the least move, the width kept; a bar in view moves nothing', () => {
    const r = { from: 100, to: 150 };
    assert.equal(rangeShowing(r, 120), undefined);
    const left = rangeShowing(r, 90)!;
    assert.equal(left.to - left.from, 50);
    assert.ok(left.from <= 89.5 && left.from >= 88, JSON.stringify(left));
    const right = rangeShowing(r, 160)!;
    assert.equal(right.to - right.from, 50);
    assert.ok(right.to >= 160.5 && right.to <= 162, JSON.stringify(right));
  });

  it('zoom keeps the anchor bar at its place on the screen, never below MIN_BARS, never wider than every bar and the room', () => {
    const r = { from: 0, to: 100 };
    const z = zoomedRange(r, 0.5, 50, 100, 4);
    assert.deepEqual(z, { from: 25, to: 75 });
    let n = r;
    for (let i = 0; i < 50; i++) n = zoomedRange(n, 0.8, 99, 100, 4);
    assert.equal(n.to - n.from, MIN_BARS);
    let out = { from: 90, to: 100 };
    for (let i = 0; i < 50; i++) out = zoomedRange(out, 1.25, 95, 100, 4);
    assert.equal(out.to - out.from, 104);
    assert.ok(out.from >= -0.5 && out.to <= 103.5 + 1e-9, JSON.stringify(out));
  });

  it('a saved view comes back by its first bar time, or at the newest bar when it reached it', () => {
    const b = bars(100);
    const mid = viewToSave({ from: 20.4, to: 40.4 }, b)!;
    assert.deepEqual(mid, { firstTime: b[21].time, bars: 20 });
    // after the reload the bars start 10 bars later: the same first bar, at its new index
    assert.deepEqual(rangeOf(mid, b.slice(10)), { from: 11, to: 31 });
    assert.equal(rangeOf(mid, b.slice(0, 0)), undefined);
    assert.equal(rangeOf({ firstTime: 1e12, bars: 5 }, b), undefined, 'no bar that late');
    const end = viewToSave({ from: 80, to: 102 }, b)!;
    assert.deepEqual(end, { bars: 22, pastLast: 3 });
    assert.deepEqual(rangeOf(end, bars(110)), { from: 90, to: 112 });
    assert.equal(viewToSave({ from: 0, to: 5 }, []), undefined);
    // the newest bar only half in view does not make a view that follows it
    assert.deepEqual(viewToSave({ from: 90.2, to: 99.2 }, b), { firstTime: b[91].time, bars: 9 });
  });

  it('a saved view read back: malformed ones are dropped', () => {
    assert.deepEqual(parseSavedView({ firstTime: 5, bars: 3 }), { firstTime: 5, bars: 3 });
    assert.deepEqual(parseSavedView({ bars: 3, pastLast: 2 }), { bars: 3, pastLast: 2 });
    for (const bad of [
      undefined,
      null,
      'x',
      {},
      { bars: -1, pastLast: 0 },
      { bars: 0, firstTime: 1 },
      { bars: Infinity, pastLast: 1 },
      { bars: 2 },
      { bars: 2, firstTime: '1' },
    ])
      assert.equal(parseSavedView(bad), undefined, JSON.stringify(bad));
  });
});
