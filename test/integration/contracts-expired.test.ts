/**
 * Expired futures months through the extension's services, over TCP against
 * the simulator on a fake clock (Tuesday 17 November 2026: ES Sep 2026, ESU6,
 * expired on 18 September; ES Dec 2026, ESZ6, is the front month). A month IB
 * answers with 200 is asked again with includeExpired, and every request for
 * it carries the flag: its chart loads its bars up to the expiry, without
 * live updates; its quote line is refused in words (9016) that say when it
 * expired and which month to use instead.
 */
import { strict as assert } from 'node:assert';
import { CandleService } from '../../src/ib/candles';
import { ContractService } from '../../src/ib/contracts';
import { resolvedToContract } from '../../src/ib/contracts/to-contract';
import { IbError, LOCAL_CODES } from '../../src/ib/errors';
import { QuoteService } from '../../src/ib/quotes';
import type { CandleEvent, IbErrorInfo } from '../../src/ib/types';
import { startSim, type StartedSim } from './support/sim';
import { connectSession, type TestSession } from './support/session';
import { fakeTime, type FakeTime } from '../support/fake-time';
import { marketTime, simClockAt } from '../support/market-times';
import { waitUntil } from '../support/wait';

const REQ_MKT_DATA = 1;
const REQ_CONTRACT_DATA = 9;
/** Friday 18 September 2026, the end of the day: no bar of ESU6 after it. */
const ESU6_EXPIRED = Date.UTC(2026, 8, 19) / 1000;

describe('expired futures months against the simulator', () => {
  let time: FakeTime;
  let sim: StartedSim;
  let session: TestSession;
  let contracts: ContractService;
  let candles: CandleService;
  let quotes: QuoteService;
  const simLog: string[] = [];
  const clientId = 41;
  const sent = (id: number) => sim.server.receivedMessageIds().get(id) ?? 0;

  beforeEach(async () => {
    simLog.length = 0;
    time = fakeTime(marketTime('regularSession'));
    sim = await startSim({
      clock: simClockAt('regularSession'),
      scheduler: time.scheduler,
      limits: { historicalPacing: false },
      log: (line) => simLog.push(line),
    });
    session = await connectSession(sim.port, clientId, { clock: time.clock });
    contracts = new ContractService(session.manager, undefined, { now: () => time.now(), clock: time.clock });
    candles = new CandleService(session.manager, contracts, undefined, { clock: time.clock });
    quotes = new QuoteService(session.manager, contracts, undefined, { now: () => time.now(), clock: time.clock });
  });

  afterEach(async () => {
    quotes?.dispose();
    candles?.dispose();
    await session?.close();
    await sim?.stop();
    session?.assertNoDecodingErrors();
  });

  it('resolves a month IB answers with 200 by asking once more with includeExpired, and remembers the flag', async () => {
    const before = sent(REQ_CONTRACT_DATA);
    const r = await contracts.resolve('ES 202609 FUT@CME');
    assert.equal(sent(REQ_CONTRACT_DATA) - before, 2, 'asked as written, then among the expired months');
    assert.equal(r.includeExpired, true);
    assert.equal(r.localSymbol, 'ESU6');
    assert.equal(r.lastTradeDateOrContractMonth, '20260918');
    assert.equal(resolvedToContract(r).includeExpired, true, 'every request built from it carries the flag');
    // the same month by its code, on the same exchange
    assert.equal((await contracts.resolve('ESU6@CME')).conId, r.conId);
    // a live month is found at once and carries no flag
    const live = await contracts.resolve('ES 202612 FUT@CME');
    assert.equal(live.includeExpired, undefined);
    assert.equal(resolvedToContract(live).includeExpired, undefined);
  });

  it('still refuses with 200 a month that never existed (asked both ways), and a stock is asked once', async () => {
    const before = sent(REQ_CONTRACT_DATA);
    await assert.rejects(contracts.resolve('ES 202608 FUT@CME'), (e: unknown) => e instanceof IbError && e.info.code === 200);
    assert.equal(sent(REQ_CONTRACT_DATA) - before, 2);
    await assert.rejects(contracts.resolve('NOSUCH'), (e: unknown) => e instanceof IbError && e.info.code === 200);
    assert.equal(sent(REQ_CONTRACT_DATA) - before, 3, 'no second question for a stock');
  });

  it("fetches an expired month's bars (the history request carries includeExpired), up to its expiry", async () => {
    const bars = await candles.fetch({ symbol: 'ES 202609 FUT@CME', barSize: '1 day', duration: '3 M' });
    assert.ok(bars.length > 20, `${bars.length} daily bars`);
    const last = bars[bars.length - 1].time;
    assert.ok(last < ESU6_EXPIRED && last >= ESU6_EXPIRED - 3 * 86_400, `last bar ${new Date(last * 1000).toISOString()}`);
  });

  it('charts an expired month: a live series loads its bars and asks for no live updates, holding nothing on the gateway', async () => {
    const events: CandleEvent[] = [];
    const sub = candles.live({ symbol: 'ESU6@CME', barSize: '1 hour', duration: '1 W' }, (e) => events.push(e));
    try {
      const reset = await time.advanceUntil('its bars', () => events.find((e) => e.type === 'reset' || e.type === 'error'));
      assert.equal(reset.type, 'reset', JSON.stringify(reset));
      const bars = reset.type === 'reset' ? reset.candles : [];
      assert.ok(bars.length > 10, `${bars.length} hourly bars`);
      assert.ok(bars[bars.length - 1].time < ESU6_EXPIRED);
      const asked = simLog.filter((l) => l.includes('reqHistoricalData'));
      assert.equal(asked.length, 1, asked.join('\n'));
      assert.doesNotMatch(asked[0], /keepUpToDate/);
      assert.equal(sim.server.activeHistorical().length, 0);
      await time.advance(5_000);
      assert.deepEqual(
        events.map((e) => e.type),
        ['reset'],
      );
    } finally {
      sub.dispose();
    }
    await time.advance(500);
    assert.ok(!simLog.some((l) => l.includes('cancelHistoricalData')), 'its answer was whole: nothing to cancel');
  });

  it('refuses the quote line of an expired month in words: when it expired and the front month to use, sending no market-data request', async () => {
    const errors: IbErrorInfo[] = [];
    const sub = quotes.subscribe(
      'ES 202609 FUT@CME',
      () => assert.fail('no quote for an expired month'),
      (e) => errors.push(e),
    );
    try {
      await waitUntil('the refusal', () => errors.length > 0);
      const e = errors[0];
      assert.equal(e.code, LOCAL_CODES.expiredContract);
      assert.equal(e.source, 'local');
      assert.equal(e.category, 'contract');
      assert.match(e.message, /^ES Sep 2026 \(ESU6\) expired on 2026-09-18/);
      assert.match(e.action, /ES Dec 2026 \(ESZ6\), "ES 202612 FUT@CME"/);
      assert.equal(sent(REQ_MKT_DATA), 0, 'no market-data request for it');
      assert.equal(quotes.activeLines, 0);
    } finally {
      sub.dispose();
    }
    await assert.rejects(quotes.snapshot('ESU6@CME'), (e: unknown) => e instanceof IbError && e.info.code === LOCAL_CODES.expiredContract);
    assert.equal(sent(REQ_MKT_DATA), 0);
  });

  it("refuses a known month's line once its last trade day is past on the quote service's clock, naming the next month", async () => {
    const dec = await contracts.resolve('ES 202612 FUT@CME');
    // the same contract, watched on a clock three days after its last trade day (18 December 2026)
    const later = new QuoteService(session.manager, contracts, undefined, { now: () => Date.parse('2026-12-21T15:00:00Z'), clock: time.clock });
    const errors: IbErrorInfo[] = [];
    const sub = later.subscribe(
      dec,
      () => undefined,
      (e) => errors.push(e),
    );
    try {
      await waitUntil('the refusal', () => errors.length > 0);
      assert.equal(errors[0].code, LOCAL_CODES.expiredContract);
      assert.match(errors[0].message, /^ES Dec 2026 \(ESZ6\) expired on 2026-12-18/);
      assert.match(errors[0].action, /ES Mar 2027 \(ESH7\), "ES 202703 FUT@CME"/);
      assert.equal(sent(REQ_MKT_DATA), 0);
    } finally {
      sub.dispose();
      later.dispose();
    }
  });
  it('a month remembered from before its expiry (no includeExpired) is fetched and charted after it: asked with the flag, ending on its last trade day', async () => {
    // as the contract cache holds a month resolved while it traded (it lives until the gateway changes)
    const { includeExpired: _flag, ...asResolvedInSeptember } = await contracts.resolve('ES 202609 FUT@CME');
    contracts.remember('ESU6@CME', asResolvedInSeptember);
    const bars = await candles.fetch({ symbol: 'ESU6@CME', barSize: '1 hour', duration: '1 W' });
    assert.ok(bars.length > 10, `${bars.length} hourly bars`);
    assert.ok(bars[bars.length - 1].time < ESU6_EXPIRED);
    // the week before its expiry, not the week before now: IB's bars of an expired month end there
    const asked = simLog.filter((l) => l.includes('reqHistoricalData'));
    assert.match(asked[asked.length - 1], /end="20260918-23:59:59" 1 W 1 hour/);
    const events: CandleEvent[] = [];
    const sub = candles.live({ symbol: 'ESU6@CME', barSize: '1 hour', duration: '1 W' }, (e) => events.push(e));
    try {
      const reset = await time.advanceUntil('its bars', () => events.find((e) => e.type === 'reset' || e.type === 'error'));
      assert.equal(reset.type, 'reset', JSON.stringify(reset));
      assert.doesNotMatch(simLog.filter((l) => l.includes('reqHistoricalData')).pop() ?? '', /keepUpToDate/);
    } finally {
      sub.dispose();
    }
  });
});
