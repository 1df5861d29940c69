/**
 * A quote line the gateway accepts and never answers (no data, no error: IB's
 * guide warns of it for a request sent before its data farm is connected) is
 * sent again after 20 s, then 40 s and 80 s, at most three times, then its
 * watchers are told; a line that streams is never touched, and a broken
 * historical farm does not hold the check back.
 */
import { strict as assert } from 'node:assert';
import { QuoteService } from '../../src/ib/quotes';
import { LOCAL_CODES } from '../../src/ib/errors';
import type { IbErrorInfo, Quote } from '../../src/ib/types';
import { startFakeTimeRig, type FakeTimeRig } from './support/fake-time-rig';

const REQ_MKT_DATA = 1;
const CANCEL_MKT_DATA = 2;

describe('quote lines that hear nothing are sent again', function () {
  this.timeout(40_000);
  let rig: FakeTimeRig | undefined;
  let quotes: QuoteService | undefined;

  afterEach(async () => {
    await rig?.stop(quotes);
    rig = quotes = undefined;
  });

  async function setUp() {
    // the market at its own pace: a tick every 250 ms
    rig = await startFakeTimeRig(72, { speed: 1, tickIntervalMs: 250 });
    const time = rig.time;
    // when the service decided to send a line again, on the fake clock (the sends reach the gateway through the library's real-time queue)
    const resentAt: number[] = [];
    const logged: string[] = [];
    const logger = {
      debug: () => undefined,
      info: (m: string) => {
        logged.push(m);
        if (m.includes('sending it again')) resentAt.push(time.elapsed());
      },
      warn: () => undefined,
      error: () => undefined,
    };
    quotes = new QuoteService(rig.manager, rig.contracts, logger, { clock: time.clock });
    // both contracts known first: the lines are sent at once when subscribed
    await rig.contracts.resolve('AAPL');
    await rig.contracts.resolve('MSFT');
    const r = rig;
    return { sim: r.sim, time, quotes, errors: r.errors, resentAt, logged, count: (id: number) => r.received(id) };
  }

  it('a silent line is sent again after 20 s and then streams; the streaming line beside it is left alone', async () => {
    const { sim, time, quotes, errors, count } = await setUp();
    const md0 = count(REQ_MKT_DATA);
    sim.server.faults.silentLines(1);
    const heard: Record<string, Quote[]> = { AAPL: [], MSFT: [] };
    quotes.subscribe('AAPL', (q) => heard.AAPL.push(q));
    await time.advanceUntil('the silent line sent', () => count(REQ_MKT_DATA) === md0 + 1, { maxMs: 10_000, settleMs: 10 });
    quotes.subscribe('MSFT', (q) => heard.MSFT.push(q));
    await time.advanceUntil('MSFT streaming', () => heard.MSFT.length > 2, { maxMs: 2_000 });
    await time.advance(18_000, { stepMs: 500 });
    assert.equal(heard.AAPL.length, 0, 'AAPL heard nothing');
    assert.equal(count(CANCEL_MKT_DATA), 0, 'not sent again before 20 s');
    await time.advanceUntil('AAPL sent again', () => count(REQ_MKT_DATA) === md0 + 3 || undefined, { maxMs: 2_500 });
    assert.equal(count(CANCEL_MKT_DATA), 1, 'the silent request cancelled first');
    await time.advanceUntil('AAPL streaming', () => heard.AAPL.length > 2, { maxMs: 2_000 });
    await time.advance(200_000, { stepMs: 2_000 });
    assert.equal(count(REQ_MKT_DATA), md0 + 3, 'nothing else sent again (MSFT once, AAPL twice)');
    assert.equal(count(CANCEL_MKT_DATA), 1);
    assert.equal(quotes.activeLines, 2);
    assert.deepEqual(
      errors.filter((e) => e.code === 505),
      [],
    );
  });

  it('a broken historical (HMDS) farm does not hold a silent quote line back; a broken market data farm does', async () => {
    const { sim, time, quotes, count } = await setUp();
    const md0 = count(REQ_MKT_DATA);
    // 2105: the history farm is down for the whole test (its lines are not the quote lines)
    sim.server.faults.hmdsBlip(600_000);
    sim.server.faults.silentLines(1);
    const heard: Quote[] = [];
    quotes.subscribe('AAPL', (q) => heard.push(q));
    await time.advanceUntil('sent', () => count(REQ_MKT_DATA) === md0 + 1, { maxMs: 10_000, settleMs: 10 });
    await time.advanceUntil('sent again at 20 s', () => count(REQ_MKT_DATA) === md0 + 2 || undefined, { maxMs: 22_000, stepMs: 500 });
    assert.equal(count(CANCEL_MKT_DATA), 1);
    await time.advanceUntil('AAPL streaming', () => heard.length > 2, { maxMs: 2_000 });

    // 2103: the market data farm is down: a line silent meanwhile waits for it (its return sends every line again)
    sim.server.faults.farmBlip(120_000);
    sim.server.faults.silentLines(1);
    quotes.subscribe('MSFT', () => undefined);
    await time.advanceUntil('MSFT sent', () => count(REQ_MKT_DATA) === md0 + 3, { maxMs: 10_000, settleMs: 10 });
    await time.advance(100_000, { stepMs: 1_000 });
    assert.equal(count(CANCEL_MKT_DATA), 1, 'nothing sent again while the market data farm is broken');
  });

  it('a line that stays silent is sent again after 20, 40 and 80 s, then left as it is', async () => {
    const { sim, time, quotes, resentAt, logged, count } = await setUp();
    const md0 = count(REQ_MKT_DATA);
    sim.server.faults.silentLines(10);
    const heard: Quote[] = [];
    const told: IbErrorInfo[] = [];
    quotes.subscribe(
      'AAPL',
      (q) => heard.push(q),
      (e) => told.push(e),
    );
    await time.advanceUntil('sent', () => count(REQ_MKT_DATA) === md0 + 1, { maxMs: 10_000, settleMs: 10 });
    const opened = time.elapsed();
    for (let i = 2; i <= 4; i++) {
      await time.advanceUntil(`sent time ${i}`, () => count(REQ_MKT_DATA) === md0 + i || undefined, { maxMs: 100_000, stepMs: 100 });
    }
    const at = [opened, ...resentAt];
    const pauses = resentAt.map((t, i) => Math.round((t - at[i]) / 1000));
    assert.deepEqual(pauses, [20, 40, 80]);
    await time.advance(400_000, { stepMs: 5_000 });
    assert.equal(count(REQ_MKT_DATA), md0 + 4, 'left as it is after three times');
    assert.equal(heard.length, 0);
    assert.ok(
      logged.some((m) => /AAPL .*has heard nothing for 160 s, sent 4 times; left as it is/.test(m)),
      logged.join('\n'),
    );
    // its watcher is told, once, in the extension's own words (not an IB code); the line stays open
    assert.deepEqual(
      told.map((e) => [e.code, e.source]),
      [[LOCAL_CODES.silentLine, 'local']],
    );
    assert.match(told[0].message, /sent nothing for this symbol in five minutes/);
    assert.equal(count(CANCEL_MKT_DATA), 3, 'the last request is left open');
    assert.equal(quotes.activeLines, 1);

    // a new watcher of the line (a Refresh of its row while a chart keeps the line) has it sent again,
    // and the check starts again from 20 s; the line answers this time
    sim.server.faults.silentLines(0);
    const second: Quote[] = [];
    quotes.subscribe('AAPL', (q) => second.push(q));
    await time.advanceUntil('sent again for the new watcher', () => count(REQ_MKT_DATA) === md0 + 5 || undefined, { maxMs: 10_000, stepMs: 100 });
    assert.equal(count(CANCEL_MKT_DATA), 4);
    await time.advanceUntil('AAPL streaming', () => second.length > 2, { maxMs: 2_000 });
    assert.ok(heard.length > 2, 'the first watcher hears it too');
    await time.advance(400_000, { stepMs: 5_000 });
    assert.equal(count(REQ_MKT_DATA), md0 + 5, 'a line that streams is not sent again');
    assert.equal(told.length, 1);
  });

  it('a line given up on and later sent again (a reconnect) starts again from 20 s, not at the end of its count', async () => {
    const { sim, time, quotes, resentAt, count } = await setUp();
    const md0 = count(REQ_MKT_DATA);
    sim.server.faults.silentLines(100);
    const told: IbErrorInfo[] = [];
    quotes.subscribe(
      'AAPL',
      () => undefined,
      (e) => told.push(e),
    );
    await time.advanceUntil('given up', () => told.length === 1 || undefined, { maxMs: 400_000, stepMs: 1_000 });
    assert.equal(count(REQ_MKT_DATA), md0 + 4);
    // the market data type changes: every line is sent again
    const before = resentAt.length;
    quotes.setMarketDataType('delayed');
    await time.advanceUntil('sent again for the new type', () => count(REQ_MKT_DATA) === md0 + 5 || undefined, { maxMs: 10_000, stepMs: 100 });
    const reopened = time.elapsed();
    await time.advanceUntil('sent again for its silence', () => resentAt.length === before + 1 || undefined, { maxMs: 30_000, stepMs: 500 });
    assert.equal(Math.round((resentAt[before] - reopened) / 1000), 20);
    assert.equal(told.length, 1, 'not told again at once');
  });
});
