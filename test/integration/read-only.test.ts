/**
 * Read-only, proven directly: every public method of the domain (connection,
 * contracts, quotes, candles), driven against the simulator through faults
 * and reconnects, sends only read-only requests. And the watcher that guards
 * the whole integration run (support/read-only-hook.ts) does notice an order.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { OrderAction, OrderType, SecType } from '@stoqey/ib';
import { OUT_MSG_ID } from '@stoqey/ib/dist/core/io/encoder';
import { CandleService } from '../../src/ib/candles';
import { ConnectionManager } from '../../src/ib/connection';
import { ContractService } from '../../src/ib/contracts';
import { QuoteService } from '../../src/ib/quotes';
import type { CandleEvent, Quote } from '../../src/ib/types';
import { allowOrderMessages, ORDER_CHANGING_IDS, orderMessagesSeen } from './support/read-only-hook';
import { connectApi, startSim, type StartedSim } from './support/sim';
import { connectSession, MARKET_OPEN, type TestSession } from './support/session';
import { waitUntil } from '../support/wait';
import { fakeTime } from '../support/fake-time';

/** What a read-only market-data client may send: handshake, ids, accounts, time, contracts, quotes, history. */
const READ_ONLY_IDS = new Set<number>([
  OUT_MSG_ID.REQ_MKT_DATA,
  OUT_MSG_ID.CANCEL_MKT_DATA,
  OUT_MSG_ID.REQ_IDS,
  OUT_MSG_ID.REQ_CONTRACT_DATA,
  OUT_MSG_ID.REQ_MANAGED_ACCTS,
  OUT_MSG_ID.REQ_HISTORICAL_DATA,
  OUT_MSG_ID.CANCEL_HISTORICAL_DATA,
  OUT_MSG_ID.REQ_CURRENT_TIME,
  OUT_MSG_ID.REQ_MARKET_DATA_TYPE,
  OUT_MSG_ID.START_API,
  OUT_MSG_ID.REQ_MATCHING_SYMBOLS,
  OUT_MSG_ID.REQ_HEAD_TIMESTAMP,
]);

const root = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(ts|mts|js|mjs)$/.test(name)) out.push(p);
  }
  return out;
}

describe('read-only: the domain never sends an order-changing message', () => {
  let sim: StartedSim;
  let session: TestSession;

  afterEach(async () => {
    await session?.close();
    await sim?.stop();
  });

  it('the order-changing ids are the ones @stoqey/ib names so', () => {
    for (const [id, name] of ORDER_CHANGING_IDS) assert.equal(OUT_MSG_ID[id], name);
    for (const id of ORDER_CHANGING_IDS.keys()) assert.ok(!READ_ONLY_IDS.has(id));
  });

  it('drives every domain method, through a farm blip, 1101, a restart and a settings change, with read-only requests only', async function () {
    this.timeout(60_000);
    // gateway, connection and pacing queue on one fake clock: ticks, faults and backoff are advanced, not waited for
    const time = fakeTime(MARKET_OPEN);
    sim = await startSim({ clock: { start: MARKET_OPEN, speed: 20 }, tickIntervalMs: 40, limits: { historicalPacing: false }, scheduler: time.scheduler });
    session = await connectSession(sim.port, 41, { clock: time.clock });
    const m = session.manager;
    const contracts = new ContractService(m);
    const quotes = new QuoteService(m, contracts);
    const candles = new CandleService(m, contracts, undefined, { pacing: { identicalWindowMs: 100 }, clock: time.clock });
    try {
      await contracts.resolve('AAPL');
      await contracts.resolve('EUR.USD');
      await contracts.resolve('ES 202512 FUT@CME');
      await assert.rejects(contracts.resolve('ZZZZQ'));
      await assert.rejects(contracts.resolve({ text: 'SHOP', symbol: 'SHOP', secType: 'STK', exchange: 'SMART' }));
      assert.ok((await contracts.search('MSF')).length > 0);
      await quotes.snapshot('MSFT');
      const got: Quote[] = [];
      const subs = [quotes.subscribe('AAPL', (q) => got.push(q)), quotes.subscribe('SHOP@TSE', () => undefined)];
      quotes.setMarketDataType('delayed');
      quotes.setMarketDataType('auto');
      assert.ok((await candles.fetch({ symbol: 'SPY', barSize: '1 hour', duration: '1 W' })).length > 0);
      const events: CandleEvent[] = [];
      subs.push(candles.live({ symbol: 'AAPL', barSize: '5 secs', duration: '1800 S', useRTH: false }, (e) => events.push(e)));
      await time.advanceUntil('quotes and a backfill', () => got.length > 2 && events.some((e) => e.type === 'reset'));

      sim.server.faults.farmBlip(100);
      await time.advanceUntil('farm back', () => m.status.farms.usfarm === 'ok' && sim.server.activeMarketData().length === 2);
      sim.server.faults.connectivityLost();
      sim.server.faults.connectivityRestored(true);
      await time.advanceUntil('lines back after 1101', () => sim.server.activeMarketData().length === 2 && sim.server.activeHistorical().length === 1);
      sim.server.faults.restart(300);
      await waitUntil('reconnecting', () => m.status.phase === 'reconnecting' || undefined);
      await time.advanceUntil('ready again with lines', () => m.status.phase === 'ready' && sim.server.activeMarketData().length === 2, { maxMs: 15_000 });
      await m.updateSettings({ ...settingsOf(m), clientId: 42 });
      assert.equal(m.status.phase, 'ready');
      await m.disconnect();
      await m.connect();
      for (const s of subs) s.dispose();
      quotes.dispose();
      candles.dispose();
      await waitUntil('lines cancelled', () => (sim.server.activeMarketData().length === 0 && sim.server.activeHistorical().length === 0) || undefined);
    } finally {
      quotes.dispose();
      candles.dispose();
    }
    const ids = sim.server.receivedMessageIds();
    for (const id of ORDER_CHANGING_IDS.keys()) assert.equal(ids.get(id), undefined, `${OUT_MSG_ID[id]} reached the gateway`);
    const unexpected = [...ids.keys()].filter((id) => !READ_ONLY_IDS.has(id)).map((id) => `${OUT_MSG_ID[id] ?? '?'} (${id})`);
    assert.deepEqual(unexpected, [], 'only read-only requests were sent');
    // the run above did exercise the request kinds it claims to
    for (const id of [
      OUT_MSG_ID.REQ_MKT_DATA,
      OUT_MSG_ID.CANCEL_MKT_DATA,
      OUT_MSG_ID.REQ_CONTRACT_DATA,
      OUT_MSG_ID.REQ_HISTORICAL_DATA,
      OUT_MSG_ID.CANCEL_HISTORICAL_DATA,
      OUT_MSG_ID.REQ_MATCHING_SYMBOLS,
    ]) {
      assert.ok((ids.get(id) ?? 0) > 0, `${OUT_MSG_ID[id]} was exercised`);
    }
    session.assertNoDecodingErrors();
  });

  it('no code outside the domain talks to @stoqey/ib, and no source calls an order method', () => {
    const offenders: string[] = [];
    const orderCall =
      /\.\s*(placeOrder|placeNewOrder|modifyOrder|cancelOrder|cancelAllOrders|reqGlobalCancel|exerciseOptions|replaceFA|reqAutoOpenOrders|getAutoOpenOrders)\s*\(/;
    for (const file of sourceFiles(join(root, 'src'))) {
      const rel = file.slice(root.length + 1);
      const text = readFileSync(file, 'utf8');
      if (orderCall.test(text)) offenders.push(`${rel}: calls an order method`);
      const inDomainOrSim = /^src[\\/](ib|sim)[\\/]/.test(rel);
      if (!inDomainOrSim && /from\s+['"]@stoqey\/ib/.test(text)) offenders.push(`${rel}: imports @stoqey/ib outside src/ib`);
    }
    assert.deepEqual(offenders, []);
  });

  it('a live account is shown as live, and a live session is just as read-only', async () => {
    sim = await startSim({ clock: { start: MARKET_OPEN }, account: 'U7654321' });
    session = await connectSession(sim.port, 44);
    assert.equal(session.manager.status.mode, 'live', 'the status bar can say LIVE');
    assert.deepEqual(session.manager.status.accounts, ['U7654321']);
    const contracts = new ContractService(session.manager);
    const quotes = new QuoteService(session.manager, contracts);
    try {
      const q = await quotes.snapshot('AAPL');
      assert.equal(typeof q.last, 'number');
    } finally {
      quotes.dispose();
    }
    const ids = sim.server.receivedMessageIds();
    for (const id of ORDER_CHANGING_IDS.keys()) assert.equal(ids.get(id), undefined);
  });

  it('the run-wide watcher records an order that reaches a simulator (a deliberate refusal, exempted)', async () => {
    sim = await startSim({ clock: { start: MARKET_OPEN } });
    allowOrderMessages(sim.server);
    const before = orderMessagesSeen().length;
    const c = await connectApi(sim.port, 43);
    c.api.placeOrder(
      77,
      { symbol: 'AAPL', secType: SecType.STK, exchange: 'SMART', currency: 'USD' },
      { action: OrderAction.BUY, orderType: OrderType.LMT, lmtPrice: 1, totalQuantity: 1 },
    );
    const refused = await c.waitFor(321, 77);
    assert.match(refused.message, /Read-Only/i);
    await c.disconnect();
    await sim.stop();
    const recorded = orderMessagesSeen().slice(before);
    assert.equal(recorded.length, 1, JSON.stringify(recorded));
    assert.equal(recorded[0].name, 'PLACE_ORDER');
    assert.equal(recorded[0].count, 1);
    assert.equal(recorded[0].exempt, true);
  });
});

function settingsOf(m: ConnectionManager) {
  const s = m.status;
  return {
    enabled: true,
    host: s.host,
    port: s.port,
    clientId: s.clientId,
    heartbeatIntervalMs: 60_000,
    reconnectInitialDelayMs: 100,
    reconnectMaxDelayMs: 500,
  };
}
