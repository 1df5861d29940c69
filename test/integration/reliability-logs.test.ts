/**
 * What the domain writes to its log through faults and bad input: connection
 * facts and market data only, each line short and printable, never a huge or
 * malicious value echoed whole (a newline in a value could forge log lines).
 */
import { strict as assert } from 'node:assert';
import { CandleService } from '../../src/ib/candles';
import { ConnectionManager } from '../../src/ib/connection';
import { ContractService } from '../../src/ib/contracts';
import { QuoteService } from '../../src/ib/quotes';
import type { CandleEvent, Disposable } from '../../src/ib/types';
import { startSim, type StartedSim } from './support/sim';
import { MARKET_OPEN } from './support/session';
import { recordingLogger } from '../support/recording-logger';
import { waitUntil } from '../support/wait';
import { fakeTime } from '../support/fake-time';

const HUGE = 'Q'.repeat(10_000);
const FORGED = 'AAPL\n[error] forged line';

describe('reliability: what the domain logs', function () {
  this.timeout(40_000);
  let sim: StartedSim;
  const logger = recordingLogger();
  const lines = logger.lines;

  after(async () => sim?.stop());

  it('through faults and bad input: short printable lines, no echoed input, no error level', async () => {
    // gateway, connection and pacing queue on one fake clock: ticks, faults and backoff are advanced, not waited for
    const time = fakeTime(MARKET_OPEN);
    sim = await startSim({ clock: { start: MARKET_OPEN, speed: 20 }, tickIntervalMs: 80, limits: { historicalPacing: false }, scheduler: time.scheduler });
    const manager = new ConnectionManager(
      {
        enabled: true,
        host: sim.host,
        port: sim.port,
        clientId: 95,
        heartbeatIntervalMs: 60_000,
        reconnectInitialDelayMs: 100,
        reconnectMaxDelayMs: 400,
        connectTimeoutMs: 30_000,
      },
      logger,
      { clock: time.clock },
    );
    const contracts = new ContractService(manager, logger);
    const quotes = new QuoteService(manager, contracts, logger);
    const candles = new CandleService(manager, contracts, logger, { pacing: { identicalWindowMs: 100 }, clock: time.clock });
    const subs: Disposable[] = [];
    try {
      await manager.connect();
      let ticks = 0;
      subs.push(
        quotes.subscribe('AAPL', () => ticks++),
        quotes.subscribe('SHOP@TSE', () => undefined),
      );
      const events: CandleEvent[] = [];
      subs.push(candles.live({ symbol: 'MSFT', barSize: '5 secs', duration: '1800 S', useRTH: false }, (e) => events.push(e)));
      await time.advanceUntil('streaming', () => ticks > 2 && events.length > 1);
      for (const bad of [HUGE, FORGED, `AAPL\u0000X`]) {
        await contracts.resolve(bad).catch(() => undefined);
        subs.push(
          quotes.subscribe(
            bad,
            () => undefined,
            () => undefined,
          ),
        );
        subs.push(candles.live({ symbol: bad, barSize: '5 secs', duration: '1800 S' }, () => undefined));
        await candles.fetch({ symbol: 'AAPL', barSize: bad, duration: '1 D' }).catch(() => undefined);
        await candles.fetch({ symbol: 'AAPL', barSize: '1 min', duration: bad }).catch(() => undefined);
        await contracts.search(bad).catch(() => undefined);
      }
      await contracts.resolve('ZZZZQ').catch(() => undefined);
      sim.server.faults.garble();
      await time.advanceUntil('reconnected after the garble', () => manager.status.phase === 'ready' && manager.api && sim.server.clientCount() === 1);
      sim.server.faults.restart(300);
      await waitUntil('reconnecting', () => manager.status.phase === 'reconnecting' || undefined);
      await time.advanceUntil('ready', () => manager.status.phase === 'ready', { maxMs: 10_000 });
      const n = ticks;
      await time.advanceUntil('ticks again', () => ticks > n + 1);
    } finally {
      for (const s of subs) s.dispose();
      quotes.dispose();
      candles.dispose();
      await manager.disconnect();
      manager.dispose();
    }

    assert.ok(lines.length > 5, 'the log was written');
    assert.ok(
      lines.some((l) => /connect|ready/i.test(l.text)),
      'connection facts are logged',
    );
    const problems: string[] = [];
    for (const { level, text } of lines) {
      if (level === 'error') problems.push(`error level: ${text.slice(0, 120)}`);
      if (text.length > 600) problems.push(`a ${text.length}-character line: ${text.slice(0, 80)}...`);
      // eslint-disable-next-line no-control-regex
      if (/[\u0000-\u001f\u007f]/.test(text)) problems.push(`control characters in: ${JSON.stringify(text.slice(0, 120))}`);
      if (text.includes('QQQQQQQQQQQQQQQQQQQQ')) problems.push(`the huge input echoed: ${text.slice(0, 80)}...`);
      if (/password|secret|token/i.test(text)) problems.push(`a secret-looking word: ${text.slice(0, 120)}`);
    }
    assert.deepEqual(problems, []);
  });
});
