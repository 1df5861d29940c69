/**
 * A future typed by month code reaches IB as its local symbol (IB's
 * FutureWithLocalSymbol: "a local symbol uniquely defines a future"), so a
 * future whose IB symbol is not its root resolves: VXZ6@CFE is IB's VIX
 * future. Over TCP against the simulator on a fake clock (Tuesday 17 November
 * 2026).
 */
import { strict as assert } from 'node:assert';
import { CandleService } from '../../src/ib/candles';
import { ContractService } from '../../src/ib/contracts';
import { contractKey, specForContract } from '../../src/ib/contracts/symbol-text';
import { QuoteService } from '../../src/ib/quotes';
import { startSim, type StartedSim } from './support/sim';
import { connectSession, type TestSession } from './support/session';
import { fakeTime, type FakeTime } from '../support/fake-time';
import { marketTime, simClockAt } from '../support/market-times';

describe('futures by month code against the simulator', () => {
  let time: FakeTime;
  let sim: StartedSim;
  let session: TestSession;
  let contracts: ContractService;
  const simLog: string[] = [];

  before(async () => {
    time = fakeTime(marketTime('regularSession'));
    sim = await startSim({
      clock: simClockAt('regularSession'),
      scheduler: time.scheduler,
      limits: { historicalPacing: false },
      log: (line) => simLog.push(line),
    });
    session = await connectSession(sim.port, 42, { clock: time.clock });
    contracts = new ContractService(session.manager, undefined, { now: () => time.now(), clock: time.clock });
  });

  after(async () => {
    await session?.close();
    await sim?.stop();
    session?.assertNoDecodingErrors();
  });

  it('resolves VXZ6@CFE, asked by local symbol, to the VIX future: symbol VIX, multiplier 1000, the same as VIX 202612 FUT@CFE', async () => {
    const byCode = await contracts.resolve('VXZ6@CFE');
    assert.equal(byCode.symbol, 'VIX');
    assert.equal(byCode.localSymbol, 'VXZ6');
    assert.equal(byCode.exchange, 'CFE');
    assert.equal(byCode.multiplier, '1000');
    assert.equal(byCode.contractMonth, '202612');
    assert.equal(byCode.display, 'VXZ6 (CFE)');
    const asked = simLog.filter((l) => l.includes('reqContractDetails')).pop() ?? '';
    assert.match(asked, /VXZ6 FUT 202612 CFE/, 'sent as its local symbol with its month (the year kept), with no symbol');
    const byMonth = await contracts.resolve('VIX 202612 FUT@CFE');
    assert.equal(byMonth.conId, byCode.conId);
    assert.equal(specForContract(byCode), 'VIX 202612 FUT@CFE');
  });

  it('asks ESZ6@CME by its local symbol too, and it stays one contract with ES 202612 FUT@CME and ESZ26 FUT@CME', async () => {
    const byMonth = await contracts.resolve('ES 202612 FUT@CME');
    for (const text of ['ESZ6@CME', 'ESZ26 FUT@CME', 'esz6 fut@cme']) {
      assert.equal((await contracts.resolve(text)).conId, byMonth.conId, text);
      assert.equal(contractKey(text, 2026), contractKey('ES 202612 FUT@CME', 2026), text);
    }
    // each spelling by code is asked as the local symbol ESZ6 with its month (no symbol); only the YYYYMM form as ES and its month
    const asked = simLog.filter((l) => l.includes('reqContractDetails') && / (ES|ESZ6) FUT/.test(l)).map((l) => l.replace(/^.*#\d+ /, ''));
    assert.deepEqual(asked, ['ES FUT 202612 CME', 'ESZ6 FUT 202612 CME', 'ESZ6 FUT 202612 CME', 'ESZ6 FUT 202612 CME']);
    assert.equal((await contracts.resolve('NQH7@CME')).contractMonth, '202703');
    assert.equal((await contracts.resolve('CLF7@NYMEX')).contractMonth, '202701');
  });

  it("lists VIX's months front first, and streams and charts one of them", async () => {
    const months = await contracts.futures('VIX', 'CFE');
    assert.deepEqual(
      months.map((m) => m.localSymbol),
      ['VXX6', 'VXZ6', 'VXF7'],
    );
    const quotes = new QuoteService(session.manager, contracts, undefined, { now: () => time.now(), clock: time.clock });
    const candles = new CandleService(session.manager, contracts, undefined, { clock: time.clock });
    try {
      const q = await quotes.snapshot('VXZ6@CFE');
      assert.equal(q.conId, months[1].conId);
      assert.ok(q.price !== undefined && q.price > 5 && q.price < 80, JSON.stringify(q));
      const bars = await candles.fetch({ symbol: 'VXZ6@CFE', barSize: '1 day', duration: '1 M' });
      assert.ok(bars.length > 15, `${bars.length} daily bars`);
    } finally {
      quotes.dispose();
      candles.dispose();
    }
  });
});
