/**
 * The domain shows shares and instants whatever the negotiated version: the
 * quote service's volume and the candle service's bar volumes and times,
 * against the simulator's own market model (same seed), at 157, 178 and 193,
 * where the simulator sends what TWS sends (lots below 175 for bars and below
 * 220 for volume ticks).
 */
import { strict as assert } from 'node:assert';
import { CandleService } from '../../src/ib/candles';
import { ContractService } from '../../src/ib/contracts';
import { QuoteService } from '../../src/ib/quotes';
import { createMarket, createUniverse } from '../../src/sim/market';
import { marketTime, simClockAt } from '../support/market-times';
import { connectSession, type TestSession } from './support/session';
import { startSim, type StartedSim } from './support/sim';

const START = marketTime('regularSession'); // Tuesday 10:00 New York
const market = createMarket({ seed: 42, universe: createUniverse({ now: START }) });
const aapl = market.universe.byConId(265598)!;

function utcDashed(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

for (const version of [157, 178, 193]) {
  describe(`domain against the simulator at server version ${version}: shares and instants`, function () {
    this.timeout(30_000);
    let sim: StartedSim;
    let session: TestSession;
    let contracts: ContractService;

    before(async () => {
      sim = await startSim({ clock: simClockAt('regularSession'), serverVersion: version, tickIntervalMs: 50, limits: { historicalPacing: false } });
      session = await connectSession(sim.port, 31);
      contracts = new ContractService(session.manager);
    });
    after(async () => {
      await session?.close();
      await sim?.stop();
      session?.assertNoDecodingErrors();
    });

    it('a quote shows the session volume in shares', async () => {
      const quotes = new QuoteService(session.manager, contracts);
      try {
        const q = await quotes.snapshot('AAPL');
        const model = market.sessionStats(aapl, START).volume;
        assert.ok(q.volume !== undefined && q.volume >= model - 100 && q.volume <= model + 200_000, `volume ${q.volume} vs ${model} shares in the model`);
      } finally {
        quotes.dispose();
      }
    });

    it('1-minute bars have the model bar times and volumes in shares', async () => {
      const candles = new CandleService(session.manager, contracts);
      try {
        const bars = await candles.fetch({ symbol: 'AAPL', barSize: '1 min', duration: '1800 S', endDateTime: utcDashed(START) });
        const model = market.bars(aapl, { endTime: Math.floor(START / 1000), durationSeconds: 1800, barSizeSeconds: 60, whatToShow: 'TRADES', useRTH: true });
        assert.ok(bars.length > 0);
        assert.deepEqual(
          bars.map((b) => b.time),
          model.map((m) => m.time),
        );
        for (let i = 0; i < bars.length; i++) {
          const want = version >= 175 ? model[i].volume : Math.round(model[i].volume / 100) * 100;
          assert.ok(Math.abs(bars[i].volume - want) <= 100, `bar ${i}: ${bars[i].volume} vs ${model[i].volume} shares in the model`);
        }
      } finally {
        candles.dispose();
      }
    });
  });
}
