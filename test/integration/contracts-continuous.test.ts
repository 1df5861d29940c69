/**
 * Continuous futures through the extension's services, over TCP against the simulator on a fake clock (Tuesday
 * 17 November 2026: ES Dec 2026, ESZ6, is the front month). "ES CONTFUT@CME" resolves to IB's answer (its front
 * month's details and contract id), is asked for bars as itself, never by that id (its bars run back across the
 * rolls, past the front month's first day), takes no live updates, and a quote line of it is refused (9017)
 * without joining the front month's line.
 */
import { strict as assert } from 'node:assert';
import { CandleService } from '../../src/ib/candles';
import { AmbiguousSymbolError, ContractService } from '../../src/ib/contracts';
import { IbError, LOCAL_CODES } from '../../src/ib/errors';
import { QuoteService } from '../../src/ib/quotes';
import type { CandleEvent, IbErrorInfo, Quote } from '../../src/ib/types';
import { startSim, type StartedSim } from './support/sim';
import { connectSession, type TestSession } from './support/session';
import { fakeTime, type FakeTime } from '../support/fake-time';
import { marketTime, simClockAt } from '../support/market-times';
import { waitUntil } from '../support/wait';

const REQ_MKT_DATA = 1;

describe('continuous futures against the simulator', () => {
  let time: FakeTime;
  let sim: StartedSim;
  let session: TestSession;
  let contracts: ContractService;
  let candles: CandleService;
  let quotes: QuoteService;
  const simLog: string[] = [];
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
    session = await connectSession(sim.port, 43, { clock: time.clock });
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

  it('resolves to its front month as IB answers, kept a continuous future, and leaves that id to the month', async () => {
    const es = await contracts.resolve('ES CONTFUT@CME');
    const dec = await contracts.resolve('ES 202612 FUT@CME');
    assert.equal(es.secType, 'CONTFUT');
    assert.equal(es.conId, dec.conId, "IB's continuous future carries its front month's id");
    assert.equal(es.localSymbol, 'ESZ6');
    assert.equal(es.display, 'ES continuous (CME)');
    assert.equal(contracts.cached(dec.conId)?.secType, 'FUT', 'the id still names the month');
    assert.equal((await contracts.resolve(String(dec.conId))).secType, 'FUT');
  });

  it('a future written without its month as traders write it ("ES@CME", "ES FUT@CME") is all its months, front month first, one to pick', async () => {
    for (const text of ['ES@CME', 'ES FUT@CME']) {
      const e = await contracts.resolve(text).then(
        () => undefined,
        (x: unknown) => x,
      );
      assert.ok(e instanceof AmbiguousSymbolError, `${text}: ${String(e)}`);
      const months = e.candidates.map((c) => c.localSymbol);
      assert.deepEqual(months.slice(0, 3), ['ESZ6', 'ESH7', 'ESM7'], text);
      assert.ok(e.candidates.every((c) => c.secType === 'FUT'));
    }
  });

  it("is asked again once its front month's last trade day is past (IB's answer then names the next month)", async () => {
    let now = Date.parse('2026-12-18T20:00:00Z');
    const later = new ContractService(session.manager, undefined, { now: () => now, clock: time.clock });
    const asked = () => sent(9);
    const before = asked();
    assert.equal((await later.resolve('ES CONTFUT@CME')).localSymbol, 'ESZ6');
    await later.resolve('ES CONTFUT@CME');
    assert.equal(asked() - before, 1, 'kept on its last trade day');
    now = Date.parse('2026-12-19T15:00:00Z');
    await later.resolve('ES CONTFUT@CME');
    assert.equal(asked() - before, 2, 'asked again the day after');
  });

  it("fetches its daily bars across the rolls: each day the front month's of that day (September's in August, December's in November)", async () => {
    const yearOf = await candles.fetch({ symbol: 'ES CONTFUT@CME', barSize: '1 day', duration: '1 Y' });
    const sep = await candles.fetch({ symbol: 'ES 202609 FUT@CME', barSize: '1 day', duration: '3 M' });
    const dec = await candles.fetch({ symbol: 'ES 202612 FUT@CME', barSize: '1 day', duration: '1 M' });
    assert.ok(yearOf.length > 200, `${yearOf.length} daily bars of the continuous future`);
    assert.ok(
      yearOf.every((b, i) => i === 0 || b.time > yearOf[i - 1].time),
      'times increase',
    );
    const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 1000;
    const on = (bars: typeof yearOf, iso: string) => bars.find((b) => Math.abs(b.time - day(iso)) < 86_400);
    // Thursday 13 August 2026: ESU6 was the front month; Tuesday 10 November 2026: ESZ6
    assert.deepEqual(on(yearOf, '2026-08-13'), on(sep, '2026-08-13'));
    assert.deepEqual(on(yearOf, '2026-11-10'), on(dec, '2026-11-10'));
    assert.ok(on(yearOf, '2026-08-13') && on(yearOf, '2026-11-10'));
    const asked = simLog.filter((l) => l.includes('reqHistoricalData'));
    assert.equal(asked.length, 3, 'three requests: no cached answer shared with a month');
  });

  it('refuses an end date before sending it (IB answers 10339: its bars always end now)', async () => {
    const before = simLog.filter((l) => l.includes('reqHistoricalData')).length;
    await assert.rejects(
      candles.fetch({ symbol: 'ES CONTFUT@CME', barSize: '1 day', duration: '1 M', endDateTime: '20261101 00:00:00 UTC' }),
      (e: unknown) => e instanceof IbError && e.info.code === LOCAL_CODES.invalidRequest && /no end date for a continuous future/.test(e.message),
    );
    assert.equal(simLog.filter((l) => l.includes('reqHistoricalData')).length, before, 'nothing sent');
  });

  it('charts it as history only: a live series loads its bars and asks for no updates, holding nothing on the gateway', async () => {
    const events: CandleEvent[] = [];
    const sub = candles.live({ symbol: 'ES CONTFUT@CME', barSize: '1 hour', duration: '1 W' }, (e) => events.push(e));
    try {
      const reset = await time.advanceUntil('its bars', () => events.find((e) => e.type === 'reset' || e.type === 'error'));
      assert.equal(reset.type, 'reset', JSON.stringify(reset));
      assert.ok(reset.type === 'reset' && reset.candles.length > 10);
      const asked = simLog.filter((l) => l.includes('reqHistoricalData'));
      assert.equal(asked.length, 1, asked.join('\n'));
      assert.doesNotMatch(asked[0], /keepUpToDate/);
      assert.equal(sim.server.activeHistorical().length, 0);
      await time.advance(10_000);
      assert.deepEqual(
        events.map((e) => e.type),
        ['reset'],
      );
    } finally {
      sub.dispose();
    }
  });

  it("a second chart of it asks again: its bars as of then, not the first one's series (which IB never updates)", async () => {
    const first: CandleEvent[] = [];
    const second: CandleEvent[] = [];
    const req = { symbol: 'ES CONTFUT@CME', barSize: '1 hour', duration: '1 W' };
    const a = candles.live(req, (e) => first.push(e));
    const b = candles.live(req, (e) => second.push(e));
    try {
      await time.advanceUntil('both series', () => first.some((e) => e.type === 'reset') && second.some((e) => e.type === 'reset'));
      assert.equal(simLog.filter((l) => l.includes('reqHistoricalData')).length, 2, 'two requests');
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it("refuses its quote line (9017, naming the front month) while the front month's own line streams beside it", async () => {
    const errors: IbErrorInfo[] = [];
    const decQuotes: Quote[] = [];
    const dec = quotes.subscribe('ES 202612 FUT@CME', (q) => decQuotes.push(q));
    const es = quotes.subscribe(
      'ES CONTFUT@CME',
      () => assert.fail('no quote for a continuous future'),
      (e) => errors.push(e),
    );
    try {
      await waitUntil('the refusal', () => errors.length > 0);
      assert.equal(errors[0].code, LOCAL_CODES.historyOnly);
      assert.equal(errors[0].source, 'local');
      assert.match(errors[0].action, /ESZ6/);
      await time.advanceUntil('the month’s quote', () => decQuotes.length > 0);
      assert.equal(quotes.activeLines, 1, "one line: the month's");
      assert.equal(sent(REQ_MKT_DATA), 1);
    } finally {
      es.dispose();
      dec.dispose();
    }
    await assert.rejects(quotes.snapshot('ES CONTFUT@CME'), (e: unknown) => e instanceof IbError && e.info.code === LOCAL_CODES.historyOnly);
  });
});
