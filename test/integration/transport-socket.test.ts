/**
 * What the transport does to the library's socket, over real TCP against the
 * simulator: requests leave without Nagle's delay, and the stream is read
 * through the transport's own framing (every other integration test reads
 * through it too; this one checks its answers end to end).
 */
import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import { silentLogger } from '../../src/ib/log';
import { createTwsClient } from '../../src/ib/transport/tws-transport';
import type { TwsClient } from '../../src/ib/transport/client';
import { startSim, type StartedSim } from './support/sim';

describe('transport: the library socket', function () {
  this.timeout(20000);
  let sim: StartedSim;
  let client: TwsClient | undefined;
  const setNoDelay = net.Socket.prototype.setNoDelay;
  const noDelay: Array<{ port: number | undefined; on: boolean | undefined }> = [];

  before(async () => {
    sim = await startSim();
  });
  after(async () => {
    await sim.stop();
  });
  beforeEach(() => {
    noDelay.length = 0;
    net.Socket.prototype.setNoDelay = function (this: net.Socket, on?: boolean) {
      noDelay.push({ port: this.remotePort, on });
      return setNoDelay.call(this, on);
    };
  });
  afterEach(() => {
    net.Socket.prototype.setNoDelay = setNoDelay;
    client?.close();
    client = undefined;
  });

  function connect(): Promise<{ version: number }> {
    return new Promise((resolve, reject) => {
      let version = 0;
      client = createTwsClient(
        '127.0.0.1',
        sim.port,
        {
          server: (v) => (version = v),
          managedAccounts: () => undefined,
          nextValidId: () => resolve({ version }),
          info: () => undefined,
          error: (message, code) => reject(new Error(`${code}: ${message}`)),
          disconnected: () => reject(new Error('disconnected')),
        },
        silentLogger,
        41,
      );
      client.connect(41);
    });
  }

  it('turns off Nagle on the connection to the gateway', async () => {
    const { version } = await connect();
    assert.ok(version >= 100, `handshake read through the framing: server version ${version}`);
    assert.deepEqual(
      noDelay.filter((c) => c.port === sim.port),
      [{ port: sim.port, on: true }],
    );
  });

  it('reads answers of every size through its framing: contract details, matching symbols, the gateway clock', async () => {
    await connect();
    const wire = client!.wire;
    const details = await wire.contractDetails({ symbol: 'AAPL', secType: 'STK' as never, exchange: 'SMART', currency: 'USD' }, { ms: 5000, what: 'details' });
    assert.equal(details[0]?.contract.symbol, 'AAPL');
    assert.ok((details[0]?.longName ?? '').length > 0);
    const symbols = await wire.matchingSymbols('MS', { ms: 5000, what: 'symbols' });
    assert.ok(
      symbols.some((d) => d.contract?.symbol === 'MSFT'),
      JSON.stringify(symbols.map((d) => d.contract?.symbol)),
    );
    const seconds = await wire.currentTime(5000);
    assert.ok(seconds > 1_000_000_000, `a time in seconds: ${seconds}`);
  });
});
