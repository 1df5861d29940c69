import { strict as assert } from 'node:assert';
import { AmbiguousSymbolError, ContractService, parseSymbol, SymbolSyntaxError } from '../../src/ib/contracts';
import { IbError, LOCAL_CODES } from '../../src/ib/errors';
import { contractKey, specForContract } from '../../src/ib/contracts/symbol-text';
import { futureItems } from '../../src/vscode/symbol-search';
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

  it("a future's months are asked once for five minutes (a search typed letter by letter lists them each time), then again", async () => {
    let now = MARKET_OPEN;
    const fresh = new ContractService(session.manager, undefined, { now: () => now });
    const wire = session.manager.api!;
    const original = wire.contractDetails;
    let asked = 0;
    wire.contractDetails = (...args: Parameters<typeof original>) => {
      asked++;
      return original.apply(wire, args);
    };
    try {
      const [a, b] = await Promise.all([fresh.futures('ES', 'CME'), fresh.futures('ES', 'CME')]);
      assert.ok(a.length >= 2, `ES months: ${a.length}`);
      assert.deepEqual(
        b.map((m) => m.conId),
        a.map((m) => m.conId),
      );
      now += 4 * 60_000;
      assert.deepEqual(
        (await fresh.futures('ES', 'CME')).map((m) => m.conId),
        a.map((m) => m.conId),
      );
      assert.equal(asked, 1, 'one lookup for three listings within five minutes');
      now += 2 * 60_000;
      await fresh.futures('ES', 'CME');
      assert.equal(asked, 2, 'asked again after five minutes');
    } finally {
      wire.contractDetails = original;
    }
  });

  it("crude's months are named by IB's contract month, not the month of the last trade, and a chosen month's text finds that contract again", async () => {
    // CLF6 is the January 2026 contract; its last trade is on 2025-12-19 (NYMEX: three business days before the 25th of the month before)
    const months = await contracts.futures('CL', 'NYMEX');
    assert.ok(months.length >= 3, `CL months (${months.length})`);
    const items = futureItems(months);
    for (const [i, c] of months.entries()) {
      assert.ok(c.contractMonth, `${c.localSymbol} has its contract month`);
      assert.ok(c.lastTradeDateOrContractMonth!.slice(0, 6) < c.contractMonth!, `${c.localSymbol} trades last in the month before its own`);
      assert.equal(items[i].spec, `CL ${c.contractMonth} FUT@NYMEX`);
      assert.ok(items[i].label.startsWith(`CL ${c.contractMonth!.slice(0, 4)}-${c.contractMonth!.slice(4)} `), items[i].label);
      assert.equal(contractKey(specForContract(c)), contractKey(`${c.localSymbol} FUT@NYMEX`), `${items[i].spec} and ${c.localSymbol} are one contract`);
      // as after a restart: the stored text resolved afresh
      const again = await new ContractService(session.manager).resolve(items[i].spec);
      assert.equal(again.conId, c.conId, `${items[i].spec} resolves to ${c.localSymbol}, not another month`);
    }
    const jan = months.find((m) => m.localSymbol === 'CLF6');
    if (jan) assert.equal(items[months.indexOf(jan)].label.split(' (')[0], 'CL 2026-01');
  });
});
