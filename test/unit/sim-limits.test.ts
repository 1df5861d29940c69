import { strict as assert } from 'node:assert';
import { HistoricalPacing, MessageRate, resolveLimits } from '../../src/sim/limits';

describe('sim limits', () => {
  it("defaults to IB's limits", () => {
    assert.deepEqual(resolveLimits(undefined), { messagesPerSecond: 50, maxMarketDataLines: 100, historicalPacing: true, currentTimeOncePerSecond: true });
    assert.deepEqual(resolveLimits({ messagesPerSecond: 0 }).messagesPerSecond, 0);
  });

  it('allows 50 messages in a sliding second, warns once on the 51st, drops the rest of that second', () => {
    const rate = new MessageRate(50);
    const t = 10_000;
    for (let i = 0; i < 50; i++) assert.equal(rate.check(t + i).verdict, 'ok');
    assert.deepEqual(rate.check(t + 50), { verdict: 'warn', received: 51 });
    assert.equal(rate.check(t + 60).verdict, 'drop');
    // a second later the window has emptied
    assert.equal(rate.check(t + 1200).verdict, 'ok');
  });

  it('disconnects on the third consecutive second with excess', () => {
    const rate = new MessageRate(5);
    const verdicts: string[] = [];
    for (let s = 0; s < 3; s++) for (let i = 0; i < 12; i++) verdicts.push(rate.check(20_000 + s * 1000 + i * 10).verdict);
    assert.ok(verdicts.slice(24).includes('disconnect'), verdicts.join(','));
    assert.ok(verdicts.slice(0, 24).every((v) => v !== 'disconnect'));
    assert.equal(verdicts.slice(0, 12).filter((v) => v === 'warn').length, 1);
  });

  it('does nothing when switched off', () => {
    const rate = new MessageRate(0);
    for (let i = 0; i < 1000; i++) assert.equal(rate.check(1).verdict, 'ok');
  });

  it('paces historical requests of small bars (30 secs or less): identical within 15 s, six or more per contract in 2 s, 60 in 10 minutes', () => {
    const p = new HistoricalPacing(true);
    assert.equal(p.admit({ barSeconds: 30, conId: 1, key: 'a', whatToShow: 'TRADES' }, 0), undefined);
    assert.match(p.admit({ barSeconds: 30, conId: 1, key: 'a', whatToShow: 'TRADES' }, 14_000) ?? '', /identical/);
    assert.equal(p.admit({ barSeconds: 30, conId: 1, key: 'a', whatToShow: 'TRADES' }, 15_001), undefined);
    for (let i = 0; i < 4; i++) assert.equal(p.admit({ barSeconds: 30, conId: 1, key: `b${i}`, whatToShow: 'TRADES' }, 15_100 + i), undefined);
    // 5 in the last 2 s for conId 1 now (15_001 and four more): a sixth is a violation
    assert.match(p.admit({ barSeconds: 30, conId: 1, key: 'd', whatToShow: 'TRADES' }, 15_300) ?? '', /six or more requests/);
    assert.equal(p.admit({ barSeconds: 30, conId: 2, key: 'd', whatToShow: 'TRADES' }, 15_300), undefined);
    const q = new HistoricalPacing(true);
    for (let i = 0; i < 60; i++) assert.equal(q.admit({ barSeconds: 30, conId: i, key: `k${i}`, whatToShow: 'TRADES' }, i * 5000), undefined);
    assert.match(q.admit({ barSeconds: 30, conId: 99, key: 'x', whatToShow: 'TRADES' }, 300_000) ?? '', /60 requests/);
    assert.equal(q.admit({ barSeconds: 30, conId: 99, key: 'x', whatToShow: 'TRADES' }, 600_001), undefined);
    const bidAsk = new HistoricalPacing(true);
    for (let i = 0; i < 2; i++) assert.equal(bidAsk.admit({ barSeconds: 30, conId: 5, key: `ba${i}`, whatToShow: 'BID_ASK' }, 1000 + i), undefined);
    assert.match(bidAsk.admit({ barSeconds: 30, conId: 5, key: 'ba2', whatToShow: 'BID_ASK' }, 1010) ?? '', /six or more requests/, 'BID_ASK counts twice');
    const minutes = new HistoricalPacing(true);
    for (let i = 0; i < 100; i++)
      assert.equal(minutes.admit({ barSeconds: 60, conId: 1, key: 'same', whatToShow: 'TRADES' }, i), undefined, 'bars of 1 min and more are not paced');
    const off = new HistoricalPacing(false);
    for (let i = 0; i < 100; i++) assert.equal(off.admit({ barSeconds: 30, conId: 1, key: 'same', whatToShow: 'TRADES' }, i), undefined);
  });
});
