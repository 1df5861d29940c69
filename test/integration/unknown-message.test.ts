/**
 * A message id this client has no decoder for (a newer TWS can send one): it
 * is skipped whole (its frame says where it ends), logged, and the
 * connection goes on streaming: no reset, no reconnect, no 505 anywhere.
 * Over real TCP: the simulator, with a relay that slips the frame in.
 */
import { strict as assert } from 'node:assert';
import { ContractService } from '../../src/ib/contracts';
import { QuoteService } from '../../src/ib/quotes';
import type { Quote } from '../../src/ib/types';
import { startSim, type StartedSim } from './support/sim';
import { connectSession, MARKET_OPEN, type TestSession } from './support/session';
import { recordingLogger } from '../support/recording-logger';
import { waitUntil } from '../support/wait';
import { frame } from './replay/replayer';
import { relay, type Relay } from './support/relay';

describe('a message id the client has no decoder for', function () {
  this.timeout(30_000);
  let sim: StartedSim;
  let link: Relay;
  let session: TestSession;
  let quotes: QuoteService;
  const logger = recordingLogger();

  before(async () => {
    sim = await startSim({ clock: { start: MARKET_OPEN } });
    link = await relay(sim.port, { wholeFrames: true });
    session = await connectSession(link.port, 71, { logger });
    quotes = new QuoteService(session.manager, new ContractService(session.manager));
  });
  after(async () => {
    quotes?.dispose();
    await session?.close();
    await link?.close();
    await sim?.stop();
  });

  it('is skipped; the connection stays up and the quotes go on', async () => {
    const heard: Quote[] = [];
    const sub = quotes.subscribe('AAPL', (q) => heard.push(q));
    await waitUntil('a quote', () => heard.length > 0 || undefined);
    const since = session.manager.status.connectedSince;
    link.inject(Buffer.concat([frame(['999', '1', 'a field', 'another']), frame(['999', '2'])]));
    const n = heard.length;
    await waitUntil('quotes after it', () => heard.length > n + 3 || undefined);
    assert.equal(session.manager.status.phase, 'ready');
    assert.equal(session.manager.status.connectedSince, since, 'the same connection: no reset, no reconnect');
    session.assertNoDecodingErrors();
    // said once for the id, however many of its messages came
    assert.deepEqual(
      logger.lines.filter((l) => (l.level === 'warn' || l.level === 'error') && /999/.test(l.text)).map((l) => l.text),
      ['IB Gateway/TWS sent message id 999, which this client cannot read: skipped (and any more of them); the connection goes on'],
    );
    sub.dispose();
  });
});
