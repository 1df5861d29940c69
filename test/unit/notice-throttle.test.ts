// A flood of one notice code in the log: its first lines, then a count (fake clock).
import { strict as assert } from 'node:assert';
import { createClock } from '@sinonjs/fake-timers';
import { NOTICE_LOG_LIMIT, NOTICE_LOG_WINDOW_MS, NoticeThrottle } from '../../src/ib/notice-throttle';

function setup() {
  const fake = createClock(0);
  const lines: string[] = [];
  const t = new NoticeThrottle((line) => lines.push(line), {
    now: () => fake.now,
    setTimeout: (fn, ms) => fake.setTimeout(fn, ms),
    clearTimeout: (h) => fake.clearTimeout(h as number),
  });
  return { fake, lines, t };
}

describe('notices in the log: a flood cut to its first lines and a count', () => {
  it('10,000 notices of one code in a second: the first 20, then one line with the count once the window ends', () => {
    const { fake, lines, t } = setup();
    for (let i = 0; i < 10_000; i++) t.log(2103, `[2103] farm broken ${i}`, true);
    assert.equal(lines.length, NOTICE_LOG_LIMIT);
    fake.tick(NOTICE_LOG_WINDOW_MS);
    assert.equal(lines.length, NOTICE_LOG_LIMIT + 1);
    assert.match(lines[lines.length - 1], /^\[2103\] 9980 more like this in 10 s/);
  });

  it('other codes keep their own share; a quiet code logs every line', () => {
    const { lines, t } = setup();
    for (let i = 0; i < 100; i++) t.log(2104, `[2104] ok ${i}`, false);
    t.log(1100, '[1100] lost', true);
    t.log(1102, '[1102] restored', false);
    assert.equal(lines.filter((l) => l.startsWith('[2104]')).length, NOTICE_LOG_LIMIT);
    assert.ok(lines.includes('[1100] lost') && lines.includes('[1102] restored'));
  });

  it('a new window logs again from the first line; dispose writes what was held', () => {
    const { fake, lines, t } = setup();
    for (let i = 0; i < 25; i++) t.log(10167, `[10167] ${i}`, false);
    fake.tick(NOTICE_LOG_WINDOW_MS + 1);
    const n = lines.length;
    t.log(10167, '[10167] later', false);
    assert.equal(lines[lines.length - 1], '[10167] later');
    assert.ok(lines.length === n + 1);
    for (let i = 0; i < 30; i++) t.log(10167, `[10167] again ${i}`, false);
    t.dispose();
    assert.match(lines[lines.length - 1], /^\[10167\] 11 more like this/);
  });
});
