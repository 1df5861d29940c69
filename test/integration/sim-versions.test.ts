/**
 * The simulator as an older gateway: it speaks every server version from 157
 * (the oldest that ib_insync and ib_async offer) to 193, and a client gets
 * min(its newest, the gateway's newest), as with TWS. @stoqey/ib reads each
 * layout by the version it was told, so it proves every message the simulator
 * sends at the versions where IB changed them: 163 (sizeMinTick), 164
 * (SIZE_RULES), 166 (advanced order reject in ERR_MSG), 176 (issuer id), 182
 * (last trade date) and 186 (ineligibility reasons).
 */
import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import { BarSizeSetting, SecType, WhatToShow, type IBApi } from '@stoqey/ib';
import { CandleService } from '../../src/ib/candles';
import { ContractService } from '../../src/ib/contracts';
import { QuoteService } from '../../src/ib/quotes';
import { SimServer } from '../../src/sim/server';
import { connectApiNext, handshake, startSim, type ApiNextClient, type StartedSim } from './support/sim';
import { connectSession, MARKET_OPEN } from './support/session';

const VERSIONS = [157, 163, 164, 166, 176, 178, 182, 186, 193];

/** The first frame the gateway answers a handshake with, or undefined when it closes the connection. */
function firstReply(port: number, range: string): Promise<string[] | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write(handshake(range)));
    let buffer = Buffer.alloc(0);
    socket.on('data', (d) => {
      buffer = Buffer.concat([buffer, d]);
      if (buffer.length >= 4 && buffer.length >= 4 + buffer.readUInt32BE(0)) {
        resolve(
          buffer
            .subarray(4, 4 + buffer.readUInt32BE(0))
            .toString('utf8')
            .split('\0')
            .slice(0, -1),
        );
        socket.destroy();
      }
    });
    socket.on('close', () => resolve(undefined));
    socket.on('error', () => resolve(undefined));
  });
}

const serverVersionOf = (c: ApiNextClient): number => (c.api as unknown as { api: IBApi }).api.serverVersion;

describe('sim: older server versions', function () {
  this.timeout(30_000);

  describe('the handshake', () => {
    let sim: StartedSim;
    before(async () => {
      sim = await startSim({ clock: { start: MARKET_OPEN } });
    });
    after(() => sim.stop());

    it("answers ib_insync's v157..178 with 178, and @stoqey/ib's v100..193 with 193", async () => {
      assert.equal((await firstReply(sim.port, 'v157..178'))?.[0], '178');
      assert.equal((await firstReply(sim.port, 'v100..193'))?.[0], '193');
      assert.equal((await firstReply(sim.port, 'v100..200'))?.[0], '193', 'a newer client gets the newest the gateway has');
    });

    it('closes a client whose newest version is older than 157', async () => {
      assert.equal(await firstReply(sim.port, 'v100..151'), undefined);
    });

    it('refuses to be configured outside 157..193', () => {
      assert.throws(() => new SimServer({ serverVersion: 156 }), /157\.\.193/);
      assert.throws(() => new SimServer({ serverVersion: 194 }), /157\.\.193/);
    });
  });

  for (const version of VERSIONS) {
    describe(`a gateway speaking version ${version}`, () => {
      let sim: StartedSim;
      let c: ApiNextClient;
      before(async () => {
        sim = await startSim({ clock: { start: MARKET_OPEN }, serverVersion: version, tickIntervalMs: 50 });
        c = await connectApiNext(sim.port, 1);
      });
      after(async () => {
        c.disconnect();
        await sim.stop();
      });

      it('is spoken by @stoqey/ib at that version', () => {
        assert.equal(serverVersionOf(c), version);
      });

      it('describes a stock and a future with the fields of that version', async () => {
        const [aapl] = await c.api.getContractDetails({ symbol: 'AAPL', secType: SecType.STK, exchange: 'SMART', currency: 'USD' });
        assert.equal(aapl.contract.conId, 265598);
        assert.equal(aapl.longName, 'APPLE INC');
        assert.equal(aapl.minTick, 0.01);
        assert.equal(aapl.stockType, 'COMMON');
        assert.match(aapl.liquidHours ?? '', /^\d{8}:0930-\d{8}:1600;/);
        assert.equal(aapl.sizeIncrement, version >= 164 ? 1 : undefined);
        assert.deepEqual(aapl.ineligibilityReasonList, version >= 186 ? [] : undefined);
        const [es] = await c.api.getContractDetails({ symbol: 'ES', secType: SecType.FUT, exchange: 'CME', currency: 'USD' });
        // date, last trade time and zone as TWS writes them ("20250620 08:30 US/Central" recorded at 173; seconds at 178 and later)
        const time = version >= 174 ? '08:30:00' : '08:30';
        assert.match(es.contract.lastTradeDateOrContractMonth ?? '', new RegExp(`^\\d{8} ${time} US/Central$`));
        assert.equal(es.contract.lastTradeDate, version >= 182 ? es.contract.lastTradeDateOrContractMonth?.slice(0, 8) : undefined);
        assert.equal(es.contract.multiplier, 50);
      });

      it('finds symbols, with their description from 176', async () => {
        const found = await c.api.getMatchingSymbols('AAPL');
        const aapl = found.find((d) => d.contract?.conId === 265598);
        assert.ok(aapl, JSON.stringify(found));
        assert.equal(aapl.contract?.description, version >= 176 ? 'APPLE INC' : undefined);
      });

      it('streams a quote and serves historical bars', async () => {
        const ticks = await c.api.getMarketDataSnapshot({ conId: 265598, exchange: 'SMART' }, '', false);
        assert.ok(ticks.size > 0, 'snapshot ticks');
        const bars = await c.api.getHistoricalData({ conId: 265598, exchange: 'SMART' }, '', '1 D', BarSizeSetting.MINUTES_FIVE, WhatToShow.TRADES, 0, 2);
        assert.ok(bars.length > 10, `bars: ${bars.length}`);
        // Bar volume: lots of 100 before 175 (HMDS_MARKET_DATA_IN_SHARES), with decimals from 163 (FRACTIONAL_SIZE_SUPPORT); whole shares from 175.
        if (version >= 175 || version < 163)
          assert.ok(
            bars.every((b) => Number.isInteger(b.volume)),
            'whole numbers',
          );
        else
          assert.ok(
            bars.some((b) => !Number.isInteger(b.volume ?? 0)) && bars.every((b) => Number.isInteger(Math.round((b.volume ?? 0) * 100))),
            'lots with two decimals',
          );
      });

      it('reports an unknown symbol as error 200', async () => {
        await assert.rejects(
          c.api.getContractDetails({ symbol: 'NOPE', secType: SecType.STK, exchange: 'SMART', currency: 'USD' }),
          (e: { code?: number }) => e.code === 200,
        );
        c.assertClean();
      });
    });
  }

  it("the extension's domain works against a gateway at ib_insync's newest version (178)", async () => {
    const sim = await startSim({ clock: { start: MARKET_OPEN }, serverVersion: 178, tickIntervalMs: 50 });
    const session = await connectSession(sim.port, 5);
    const contracts = new ContractService(session.manager);
    const quotes = new QuoteService(session.manager, contracts);
    const candles = new CandleService(session.manager, contracts);
    try {
      assert.equal(session.manager.status.serverVersion, 178);
      const q = await quotes.snapshot('AAPL');
      assert.ok(q.bid !== undefined && q.ask !== undefined && q.bid < q.ask, JSON.stringify(q));
      const bars = await candles.fetch({ symbol: 'MSFT', barSize: '1 min', duration: '1800 S' });
      assert.ok(bars.length >= 20, `bars: ${bars.length}`);
      await assert.rejects(contracts.resolve('NOPE'), (e: { info?: { code?: number } }) => e.info?.code === 200);
    } finally {
      quotes.dispose();
      candles.dispose();
      await session.close();
      await sim.stop();
      session.assertNoDecodingErrors();
    }
  });
});
