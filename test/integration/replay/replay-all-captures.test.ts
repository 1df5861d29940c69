/**
 * Every message recorded from TWS, one test each, at the server version it
 * is replayed at: through @stoqey/ib over TCP and into the domain (a live
 * quote line takes the market-data messages and request errors, the candle
 * service the history, the contract service the contract details). None may
 * cause a decoding error (505), an uncaught exception or an unhandled
 * rejection, or end the session.
 */
import { strict as assert } from 'node:assert';
import { IbError, LOCAL_CODES } from '../../../src/ib/errors';
import type { Disposable, IbErrorInfo, Quote } from '../../../src/ib/types';
import { waitUntil } from '../../support/wait';
import { captures, replayFields, replayVersion, type Capture } from './captures';
import { OUT } from './replayer';
import { AAPL, historicalReqId, mktDataReqId, startRig, type Rig } from './rig';

/** One simulated instant for all: a Tuesday morning in New York, after every recording. */
const SIMULATED_NOW = Date.parse('2025-07-15T14:00:00Z');

const LINE_MESSAGES = new Set(['TICK_PRICE', 'TICK_SIZE', 'TICK_STRING', 'TICK_GENERIC', 'MARKET_DATA_TYPE', 'TICK_REQ_PARAMS', 'TICK_SNAPSHOT_END']);

describe('replay: every TWS capture goes through the client and the domain without a decoding error or a crash', function () {
  this.timeout(20_000);
  const trouble: string[] = [];
  const onUncaught = (e: unknown) => trouble.push(`uncaught: ${String(e)}`);
  const onRejection = (e: unknown) => trouble.push(`unhandled rejection: ${String(e)}`);
  let rig: Rig | undefined;
  let line: Disposable | undefined;

  before(() => {
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onRejection);
  });
  after(() => {
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onRejection);
  });
  afterEach(async () => {
    line?.dispose();
    line = undefined;
    await rig?.close();
    rig = undefined;
  });

  const fromTws = captures().filter((c) => c.direction === 'from-tws');
  it('has the shared captures and the project ones', () => {
    assert.ok(fromTws.length >= 70, `${fromTws.length} captures`);
  });

  for (const c of fromTws) {
    it(`${c.id} (${c.message}, replayed at ${Math.min(replayVersion(c), 193)})`, async () => {
      trouble.length = 0;
      const version = replayVersion(c);
      if (c.message === 'HANDSHAKE_REPLY') {
        rig = await startRig({ serverVersion: Number(c.fields[0]), connectionTime: c.fields[1], simulatedStart: SIMULATED_NOW });
      } else {
        rig = await startRig({ serverVersion: version, simulatedStart: SIMULATED_NOW });
        await deliver(rig, c, version);
      }
      await rig.settle();
      assert.deepEqual(trouble, []);
      rig.session.assertNoDecodingErrors();
      assert.equal(rig.session.manager.status.phase, 'ready');
    });
  }

  /** Puts the capture where the domain listens for it. */
  async function deliver(r: Rig, c: Capture, version: number): Promise<void> {
    if (c.message === 'HISTORICAL_DATA') {
      r.replayer.on(OUT.REQ_HISTORICAL_DATA, (req, send) => send(replayFields(c, version, historicalReqId(req.fields))));
      // the answer ends (its bars' meaning is checked in replay-candles)
      // bars, or (every bar unreadable, as TWS's "?" prices) the extension's own failure saying so
      const got = await r.candles.fetch({ symbol: AAPL, barSize: '1 day', duration: '1 W' }).catch((e: unknown) => e);
      assert.ok(Array.isArray(got) || (got instanceof IbError && got.info.code === LOCAL_CODES.unreadableBars), String(got));
      return;
    }
    if (c.message === 'CONTRACT_DATA') {
      r.replayer.on(OUT.REQ_CONTRACT_DATA, (req, send) => {
        send(replayFields(c, version, Number(req.fields[2])));
        send(['52', '1', req.fields[2]]);
      });
      const resolved = await r.contracts.resolve(c.fields[2]);
      assert.equal(String(resolved.conId), c.fields[12]);
      return;
    }
    const toLine = LINE_MESSAGES.has(c.message) || (c.message === 'ERR_MSG' && Number(c.fields[2]) >= 0);
    if (!toLine) {
      r.replayer.push(replayFields(c, version));
      return;
    }
    let lineId = -1;
    r.replayer.on(OUT.REQ_MKT_DATA, (req) => {
      lineId = mktDataReqId(req.fields);
    });
    const quotes: Quote[] = [];
    const errors: IbErrorInfo[] = [];
    line = r.quotes.subscribe(
      AAPL,
      (q) => quotes.push(q),
      (e) => errors.push(e),
    );
    await waitUntil('the quote line', () => lineId >= 0 || undefined);
    r.replayer.push(replayFields(c, version, lineId));
  }
});
