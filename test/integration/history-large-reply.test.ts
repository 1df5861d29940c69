// A long history reply is read in one pass: the work grows with its bars, not with their square
// (the library's decoder takes each field off the front of an array; 20,000 bars held the host 3.5 s).
import { strict as assert } from 'node:assert';
import { CandleService } from '../../src/ib/candles';
import { ContractService } from '../../src/ib/contracts';
import { connectSession, MARKET_OPEN, type TestSession } from './support/session';
import { startSim, type StartedSim } from './support/sim';

describe('history: a long reply over TCP', function () {
  this.timeout(60_000);
  let sim: StartedSim;
  let session: TestSession;
  let candles: CandleService;

  before(async () => {
    sim = await startSim({ clock: { start: MARKET_OPEN } });
    session = await connectSession(sim.port, 71);
    candles = new CandleService(session.manager, new ContractService(session.manager));
  });
  after(async () => {
    candles?.dispose();
    await session?.close();
    await sim?.stop();
    session?.assertNoDecodingErrors();
  });

  it('13 days of 1-minute bars with extended hours (over 8,000 in one message): every bar, read without an array shift per field', async () => {
    // every Array.prototype.shift while the reply is read (the library's decoder makes one per field of what it decodes)
    let shifts = 0;
    const shift = Array.prototype.shift;
    Array.prototype.shift = function (this: unknown[]) {
      shifts++;
      return shift.call(this);
    };
    let bars: Awaited<ReturnType<CandleService['fetch']>>;
    try {
      bars = await candles.fetch({ symbol: 'AAPL', barSize: '1 min', duration: '13 D', useRTH: false });
    } finally {
      Array.prototype.shift = shift;
    }
    assert.ok(bars.length > 8_000, `one long reply: ${bars.length} bars`);
    for (let i = 1; i < bars.length; i++) assert.ok(bars[i].time > bars[i - 1].time, 'ascending, none lost');
    // a handful for the request's own messages; the library would take 8 per bar
    assert.ok(shifts < 1_000, `${shifts} shifts for ${bars.length} bars`);
  });
});
