import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import { Bridge } from '../../src/bridge/server';
import { CandleService } from '../../src/ib/candles';
import { ContractService } from '../../src/ib/contracts';
import { QuoteService } from '../../src/ib/quotes';
import { request, SESSION_OPEN } from './support/bridge';
import { connectSession, type TestSession } from './support/session';
import { startSim, type StartedSim } from './support/sim';

/**
 * Between the client and the gateway: each message from the gateway goes on
 * alone, 10 ms after the one before, as a gateway across a network (or a busy
 * TWS) may hand them over: a line's first picture then never comes in one
 * socket read.
 */
async function oneMessageAtATime(target: number): Promise<{ port: number; close(): void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const gateway = net.connect(target, '127.0.0.1');
    sockets.add(client).add(gateway);
    client.on('data', (d) => gateway.write(d));
    let pending = Buffer.alloc(0);
    const frames: Buffer[] = [];
    let sending = false;
    const sendNext = () => {
      const f = frames.shift();
      if (!f || client.destroyed) return void (sending = false);
      client.write(f);
      setTimeout(sendNext, 10);
    };
    gateway.on('data', (d) => {
      pending = Buffer.concat([pending, d]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const n = 4 + pending.readInt32BE(0);
        frames.push(pending.subarray(0, n));
        pending = pending.subarray(n);
      }
      if (!sending) {
        sending = true;
        sendNext();
      }
    });
    const end = () => {
      client.destroy();
      gateway.destroy();
    };
    client.on('close', end).on('error', end);
    gateway.on('close', end).on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

describe('jax bridge: the first GET of a symbol answers with its whole first picture, on the gateway clock', function () {
  this.timeout(60_000);
  let sim: StartedSim;
  let proxy: { port: number; close(): void };
  let session: TestSession;
  let bridge: Bridge;
  let quotes: QuoteService;
  let candles: CandleService;
  let url: string;

  before(async () => {
    sim = await startSim({ clock: { start: SESSION_OPEN }, tickIntervalMs: 1000 });
    proxy = await oneMessageAtATime(sim.port);
    session = await connectSession(proxy.port, 64);
    const contracts = new ContractService(session.manager);
    quotes = new QuoteService(session.manager, contracts);
    candles = new CandleService(session.manager, contracts);
    bridge = new Bridge({ connection: session.manager, contracts, quotes, candles }, { port: 0, version: '9.9.9-test', connectionControl: 'own' });
    ({ url } = await bridge.start());
  });
  after(async () => {
    await bridge?.stop();
    quotes?.dispose();
    candles?.dispose();
    await session?.close();
    proxy?.close();
    await sim?.stop();
    session?.assertNoDecodingErrors();
  });

  for (const symbol of ['AAPL', 'KO', 'EUR.USD', 'USD.JPY']) {
    it(`${symbol}: bid and ask with their sizes${symbol.includes('.') ? '' : ', and the day’s volume'}, not the bid alone`, async () => {
      const a = await request(`${url}/quotes/${symbol}`);
      assert.equal(a.status, 200, a.text);
      const q = a.json as Record<string, number>;
      for (const k of ['bid', 'ask', 'bid_size', 'ask_size']) assert.ok(q[k] > 0, `${k} in ${a.text}`);
      if (!symbol.includes('.')) assert.ok(q.volume > 0, `volume in ${a.text}`);
      assert.ok(q.ask > q.bid, `a book, not a crossed one: ${a.text}`);
      // stamped on the gateway's clock (the simulated one runs on 17 November), forex (no trade time) as stocks
      const at = Date.parse((a.json as { timestamp: string }).timestamp);
      assert.ok(Math.abs(at - SESSION_OPEN) < 10 * 60_000, `the gateway's time, not this machine's: ${a.text}`);
      // a forex mid has at most one decimal more than its bid and ask (no 1.3181500000000002)
      const decimals = (x: number) => (String(x).split('.')[1] ?? '').length;
      assert.ok(decimals(q.price) <= Math.max(decimals(q.bid), decimals(q.ask)) + 1, `price ${q.price} from ${q.bid} / ${q.ask}`);
    });
  }
});
