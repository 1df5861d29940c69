/**
 * A message id this client has no decoder for (a newer TWS can send one): it
 * is skipped whole (its frame says where it ends), logged, and the
 * connection goes on streaming: no reset, no reconnect, no 505 anywhere.
 * Over real TCP: the simulator, with a relay that slips the frame in.
 */
import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import { ContractService } from '../../src/ib/contracts';
import { QuoteService } from '../../src/ib/quotes';
import type { Quote } from '../../src/ib/types';
import { startSim, type StartedSim } from './support/sim';
import { connectSession, MARKET_OPEN, type TestSession } from './support/session';
import { waitUntil } from '../support/wait';
import { frame } from './replay/replayer';

/** Passes bytes both ways, the simulator's whole frames at a time; inject() writes to the client between two of them. */
async function relay(target: number): Promise<{ port: number; inject(b: Buffer): void; close(): Promise<void> }> {
  const pairs = new Set<[net.Socket, net.Socket]>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target, '127.0.0.1');
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    client.pipe(upstream);
    let held = Buffer.alloc(0);
    upstream.on('data', (chunk: Buffer) => {
      held = Buffer.concat([held, chunk]);
      let end = 0;
      while (held.length - end >= 4 && held.length - end >= 4 + held.readUInt32BE(end)) end += 4 + held.readUInt32BE(end);
      if (end > 0) client.write(held.subarray(0, end));
      held = held.subarray(end);
    });
    const end = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    inject: (b) => pairs.forEach(([c]) => c.write(b)),
    close: () => {
      pairs.forEach(([c, u]) => (c.destroy(), u.destroy()));
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

describe('a message id the client has no decoder for', function () {
  this.timeout(30_000);
  let sim: StartedSim;
  let link: Awaited<ReturnType<typeof relay>>;
  let session: TestSession;
  let quotes: QuoteService;

  before(async () => {
    sim = await startSim({ clock: { start: MARKET_OPEN } });
    link = await relay(sim.port);
    session = await connectSession(link.port, 71);
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
    sub.dispose();
  });
});
