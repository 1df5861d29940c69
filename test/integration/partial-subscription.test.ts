/**
 * 10090, "Part of requested market data is not subscribed.
 * Subscription-independent ticks are still active" (docs/real-tws-facts.md):
 * TWS says it on a line and goes on streaming the rest. The line stays open,
 * its watchers hear no error, the quotes go on. Over real TCP: the simulator,
 * with a relay that slips TWS's message in for the line.
 */
import { strict as assert } from 'node:assert';
import { ContractService } from '../../src/ib/contracts';
import { QuoteService } from '../../src/ib/quotes';
import type { IbErrorInfo, Quote } from '../../src/ib/types';
import { startSim, type StartedSim } from './support/sim';
import { connectSession, MARKET_OPEN, type TestSession } from './support/session';
import { recordingLogger } from '../support/recording-logger';
import { waitUntil } from '../support/wait';
import { frame } from './replay/replayer';
import { relay, type Relay } from './support/relay';

const ERR_MSG = '4';
const TEXT = 'Part of requested market data is not subscribed. Subscription-independent ticks are still active.Delayed market data is not available.';

describe('part of a line not subscribed (10090)', function () {
  this.timeout(30_000);
  let sim: StartedSim;
  let link: Relay;
  let session: TestSession;
  let quotes: QuoteService;
  const logger = recordingLogger();

  before(async () => {
    sim = await startSim({ clock: { start: MARKET_OPEN } });
    link = await relay(sim.port, { wholeFrames: true });
    session = await connectSession(link.port, 72);
    quotes = new QuoteService(session.manager, new ContractService(session.manager), logger);
  });
  after(async () => {
    quotes?.dispose();
    await session?.close();
    await link?.close();
    await sim?.stop();
  });

  it('the line goes on: no error for its watchers, the quotes keep coming, the notice is logged', async () => {
    const heard: Quote[] = [];
    const errors: IbErrorInfo[] = [];
    const sub = quotes.subscribe(
      'AAPL',
      (q) => heard.push(q),
      (e) => errors.push(e),
    );
    await waitUntil('a quote', () => heard.length > 0 || undefined);
    const [line] = sim.server.activeMarketData().filter((l) => l.clientId === 72);
    // as the simulator's own errors are framed at its server version (with the empty advancedOrderRejectJson)
    link.inject(frame([ERR_MSG, '2', String(line.reqId), '10090', TEXT, '']));
    await waitUntil('the notice logged', () => logger.lines.find((l) => l.level !== 'debug' && l.text.includes('10090')));
    const n = heard.length;
    await waitUntil('quotes after it', () => heard.length > n + 3 || undefined);
    assert.deepEqual(errors, [], 'the watcher heard no error');
    assert.deepEqual(
      sim.server.activeMarketData().filter((l) => l.clientId === 72),
      [line],
      'the same line, still open: not cancelled, not sent again',
    );
    session.assertNoDecodingErrors();
    sub.dispose();
  });
});
