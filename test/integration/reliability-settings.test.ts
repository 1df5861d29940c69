/**
 * Settings changed while connected and streaming (client id, then host, then
 * port): exactly one clean reconnect each, the streams move to the new
 * gateway, the old one is left with nothing, and no socket or listener leaks.
 */
import { strict as assert } from 'node:assert';
import { CandleService } from '../../src/ib/candles';
import { ConnectionManager } from '../../src/ib/connection';
import type { Emitter } from '../../src/ib/connection-events';
import { ContractService } from '../../src/ib/contracts';
import { QuoteService } from '../../src/ib/quotes';
import type { ConnectionSettings, Disposable } from '../../src/ib/types';
import { startSim, type StartedSim } from './support/sim';
import { MARKET_OPEN } from './support/session';
import { waitUntil } from '../support/wait';
import { fakeTime } from '../support/fake-time';

const WATCHLIST = ['AAPL', 'MSFT', 'EUR.USD'];
const openSockets = (): number => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;

/** Listeners held by the manager's own event lists (private; read for the leak check only). */
function managerListeners(m: ConnectionManager): number {
  const inner = m as unknown as Record<'statusEvents' | 'readyEvents' | 'resubscribeEvents' | 'errorEvents', Emitter<unknown>>;
  return inner.statusEvents.size + inner.readyEvents.size + inner.resubscribeEvents.size + inner.errorEvents.size;
}

/** Every listener on the client under the manager's current connection. */
function clientListeners(m: ConnectionManager): number {
  const api = m.api;
  assert.ok(api, 'connected');
  return api.counts().listeners;
}

describe('reliability: settings changed while connected', function () {
  this.timeout(60_000);
  const sims: StartedSim[] = [];
  const cleanup: Array<() => Promise<void> | void> = [];

  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
    for (const s of sims.splice(0)) await s.stop();
  });

  it('client id, host and port changes: one reconnect each, streams follow, nothing leaks', async () => {
    // the three gateways, the connection and the pacing queue on one fake clock: ticks and windows are advanced, not waited for
    const time = fakeTime(MARKET_OPEN);
    const start = async (host: string, port = 0): Promise<StartedSim> => {
      const s = await startSim({
        host,
        port,
        clock: { start: MARKET_OPEN, speed: 20 },
        tickIntervalMs: 60,
        limits: { historicalPacing: false },
        scheduler: time.scheduler,
      });
      sims.push(s);
      return s;
    };
    const a = await start('127.0.0.1');
    const b = await start('127.0.0.2', a.port); // same port, another host
    const c = await start('127.0.0.2');
    const base: ConnectionSettings = {
      enabled: true,
      host: a.host,
      port: a.port,
      clientId: 71,
      heartbeatIntervalMs: 60_000,
      reconnectInitialDelayMs: 100,
      reconnectMaxDelayMs: 500,
      connectTimeoutMs: 30_000,
    };
    const m = new ConnectionManager(base, undefined, { clock: time.clock });
    const contracts = new ContractService(m);
    const quotes = new QuoteService(m, contracts);
    const candles = new CandleService(m, contracts, undefined, { pacing: { identicalWindowMs: 100 }, clock: time.clock });
    const subs: Disposable[] = [];
    cleanup.push(async () => {
      for (const s of subs) s.dispose();
      quotes.dispose();
      candles.dispose();
      await m.disconnect();
      m.dispose();
    });
    const phases: string[] = [];
    let readies = 0;
    subs.push(
      m.onStatus((s) => phases.push(s.phase)),
      m.onReady(() => readies++),
    );
    await m.connect();
    const times = new Map<string, number[]>(WATCHLIST.map((s) => [s, []]));
    for (const s of WATCHLIST) subs.push(quotes.subscribe(s, () => times.get(s)?.push(Date.now())));
    const bars: number[] = [];
    subs.push(candles.live({ symbol: 'AAPL', barSize: '5 secs', duration: '1800 S', useRTH: false }, (e) => e.type !== 'error' && bars.push(Date.now())));
    const flowing = async (since: number, what: string) => {
      await time.advanceUntil(`${what}: quotes`, () => [...times.values()].every((t) => t.some((x) => x > since)));
      await time.advanceUntil(`${what}: bars`, () => bars.some((x) => x > since));
    };
    await flowing(0, 'first');
    await waitUntil('lines on a', () => (a.server.activeMarketData().length === WATCHLIST.length && a.server.activeHistorical().length === 1) || undefined);
    const sockets = openSockets();
    const clientL = clientListeners(m);
    const managerL = managerListeners(m);

    const steps: Array<{ what: string; settings: ConnectionSettings; from: StartedSim; to: StartedSim }> = [
      { what: 'client id', settings: { ...base, clientId: 72 }, from: a, to: a },
      { what: 'host', settings: { ...base, clientId: 72, host: b.host }, from: a, to: b },
      { what: 'port', settings: { ...base, clientId: 72, host: b.host, port: c.port }, from: b, to: c },
    ];
    for (const step of steps) {
      const readiesBefore = readies;
      const phasesBefore = phases.length;
      const since = Date.now();
      await m.updateSettings(step.settings);
      assert.equal(m.status.phase, 'ready', step.what);
      assert.equal(readies, readiesBefore + 1, `${step.what}: exactly one reconnect`);
      const seen = phases.slice(phasesBefore).filter((p, i, all) => i === 0 || all[i - 1] !== p);
      assert.deepEqual(seen, ['connecting', 'ready'], `${step.what}: one clean reconnect`);
      assert.equal(m.status.host, step.settings.host);
      assert.equal(m.status.port, step.settings.port);
      assert.equal(m.status.clientId, 72);
      await flowing(since, step.what);
      await waitUntil(
        `${step.what}: lines on the new gateway`,
        () => (step.to.server.activeMarketData().length === WATCHLIST.length && step.to.server.activeHistorical().length === 1) || undefined,
      );
      await waitUntil(
        `${step.what}: old session gone`,
        () => (step.to.server.clientCount() === 1 && (step.from === step.to || step.from.server.clientCount() === 0)) || undefined,
      );
      for (const s of sims) {
        const lines = s.server.activeMarketData();
        if (s === step.to) assert.deepEqual([...new Set(lines.map((l) => l.clientId))], [72], `${step.what}: only the new session's lines`);
        else assert.deepEqual(lines, [], `${step.what}: nothing left on the old gateway`);
      }
      await waitUntil(`${step.what}: no socket left over (${openSockets()} vs ${sockets})`, () => openSockets() === sockets || undefined);
      assert.equal(clientListeners(m), clientL, `${step.what}: the same listeners on the new client`);
      assert.equal(managerListeners(m), managerL, `${step.what}: no listener added to the manager`);
      assert.equal(quotes.activeLines, WATCHLIST.length);
      assert.equal(candles.liveSeries, 1);
    }
  });
});
