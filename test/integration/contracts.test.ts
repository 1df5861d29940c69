import { strict as assert } from 'node:assert';
import { AmbiguousSymbolError, ContractService, parseSymbol, SymbolSyntaxError } from '../../src/ib/contracts';
import { IbError, LOCAL_CODES } from '../../src/ib/errors';
import { startSim, type StartedSim } from './support/sim';
import { connectSession, MARKET_OPEN, type TestSession } from './support/session';

describe('contracts against the simulator', () => {
  let sim: StartedSim;
  let session: TestSession;
  let contracts: ContractService;

  before(async () => {
    sim = await startSim({ clock: { start: MARKET_OPEN } });
    session = await connectSession(sim.port, 11);
    contracts = new ContractService(session.manager);
  });

  after(async () => {
    await session?.close();
    await sim?.stop();
  });

  afterEach(() => session.assertNoDecodingErrors());

  it('resolves a US stock with a display label', async () => {
    const r = await contracts.resolve('AAPL');
    assert.equal(r.conId, 265598);
    assert.equal(r.secType, 'STK');
    assert.equal(r.currency, 'USD');
    assert.equal(r.primaryExchange, 'NASDAQ');
    assert.equal(r.display, 'AAPL (NASDAQ, USD)');
    assert.ok(r.longName && /APPLE/.test(r.longName));
  });

  it('resolves a stock by primary exchange and by currency', async () => {
    const tse = await contracts.resolve('SHOP@TSE');
    assert.equal(tse.currency, 'CAD');
    assert.equal(tse.primaryExchange, 'TSE');
    const cad = await contracts.resolve('SHOP CAD');
    assert.equal(cad.conId, tse.conId);
    const nyse = await contracts.resolve('SHOP@NYSE');
    assert.notEqual(nyse.conId, tse.conId);
    assert.equal(nyse.currency, 'USD');
  });

  it('resolves a forex pair', async () => {
    const r = await contracts.resolve('EUR.USD');
    assert.equal(r.secType, 'CASH');
    assert.equal(r.symbol, 'EUR');
    assert.equal(r.currency, 'USD');
    assert.equal(r.exchange, 'IDEALPRO');
    assert.equal(r.display, 'EUR.USD');
  });

  it('resolves an index', async () => {
    const r = await contracts.resolve('SPX IND@CBOE');
    assert.equal(r.secType, 'IND');
    assert.equal(r.conId, 416904);
    assert.equal(r.display, 'SPX (CBOE)');
  });

  it('resolves a future by contract month and by month code to the same contract', async () => {
    // The simulator lists the next quarterly ES contracts from its clock (Nov 2025): Dec 2025 is the front.
    const byMonth = await contracts.resolve('ES 202512 FUT@CME');
    assert.equal(byMonth.secType, 'FUT');
    assert.equal(byMonth.exchange, 'CME');
    assert.match(byMonth.lastTradeDateOrContractMonth ?? '', /^202512/);
    assert.match(byMonth.display, /\(CME\)$/);
    // Month codes are read from the year they are typed in; the simulated market is in 2025.
    const byCode = await contracts.resolve(parseSymbol('ESZ5 FUT@CME', 2025));
    assert.equal(byCode.conId, byMonth.conId);
  });

  it('resolves a conId and serves it from the cache afterwards', async () => {
    const r = await contracts.resolve('272093');
    assert.equal(r.symbol, 'MSFT');
    const before = sim.server.receivedMessageIds().get(9) ?? 0; // REQ_CONTRACT_DATA
    const again = await contracts.resolve('272093');
    const msft = await contracts.resolve('msft');
    assert.equal(again, r);
    assert.equal(msft.conId, r.conId);
    assert.equal(sim.server.receivedMessageIds().get(9) ?? 0, before + 1, 'the conId came from the cache; only "msft" was asked');
    assert.equal(contracts.cached(272093)?.symbol, 'MSFT');
    await contracts.resolve('MSFT');
    assert.equal(sim.server.receivedMessageIds().get(9) ?? 0, before + 1, '"MSFT" and "msft" share a cache entry');
  });

  it('rejects an unknown symbol with IbError 200 and a human sentence', async () => {
    await assert.rejects(contracts.resolve('ZZZZQ'), (e: unknown) => {
      assert.ok(e instanceof IbError);
      assert.equal(e.info.code, 200);
      assert.equal(e.info.category, 'contract');
      assert.match(e.info.message, /No security definition/);
      assert.ok(e.info.action.length > 10);
      return true;
    });
  });

  it('rejects an ambiguous symbol with its candidates', async () => {
    await assert.rejects(contracts.resolve({ text: 'SHOP', symbol: 'SHOP', secType: 'STK', exchange: 'SMART' }), (e: unknown) => {
      assert.ok(e instanceof AmbiguousSymbolError);
      assert.equal(e.candidates.length, 2);
      assert.deepEqual(e.candidates.map((c) => c.currency).sort(), ['CAD', 'USD']);
      assert.match(e.message, /matches 2 contracts/);
      assert.deepEqual([e.info.code, e.info.source], [LOCAL_CODES.ambiguousSymbol, 'local'], "the extension's judgement, not IB's 200");
      return true;
    });
  });

  it('rejects bad syntax before asking the gateway', async () => {
    await assert.rejects(contracts.resolve('AAPL@@X'), SymbolSyntaxError);
  });

  it('searches matching symbols', async () => {
    const found = await contracts.search('APP');
    assert.ok(found.length >= 1);
    const aapl = found.find((m) => m.symbol === 'AAPL');
    assert.ok(aapl, JSON.stringify(found));
    assert.equal(aapl.conId, 265598);
    assert.equal(aapl.secType, 'STK');
    assert.deepEqual(await contracts.search('   '), []);
  });
});
