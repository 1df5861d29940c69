/**
 * The simulator's resource guards, over raw TCP: a capped number of
 * connections, a time limit on reaching START_API, a small frame cap before
 * it, and a loud warning when it listens beyond this computer. Time limits are
 * set short here, so nothing waits long.
 */
import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import { encodeFrame } from '../../src/sim/codec';
import { SimServer } from '../../src/sim/server';
import { handshake, startSim, type StartedSim } from './support/sim';
import { marketTime } from '../support/market-times';
import { waitUntil } from '../support/wait';
import { collectFrames } from './support/raw-client';

const TUESDAY_10_NY = marketTime('regularSession');

interface Raw {
  socket: net.Socket;
  frames: string[][];
  isClosed(): boolean;
  closed: Promise<void>;
}

function raw(port: number): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const frames = collectFrames(socket);
    let isClosed = false;
    const closed = new Promise<void>((r) =>
      socket.on('close', () => {
        isClosed = true;
        r();
      }),
    );
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve({ socket, frames, closed, isClosed: () => isClosed }));
    socket.once('error', reject);
  });
}

describe('sim: resource guards', function () {
  this.timeout(20000);
  let sim: StartedSim | undefined;
  const sockets: net.Socket[] = [];

  async function client(): Promise<Raw> {
    const c = await raw(sim!.port);
    sockets.push(c.socket);
    return c;
  }

  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    await sim?.stop();
    sim = undefined;
  });

  it('closes connections beyond the cap at once and keeps the others', async () => {
    sim = await startSim({ clock: { start: TUESDAY_10_NY }, guards: { maxConnections: 3 } });
    const all = await Promise.all([client(), client(), client(), client(), client()]);
    await waitUntil('two connections closed', () => all.filter((c) => c.isClosed()).length === 2);
    // the first three were accepted and still answer a handshake
    const kept = all.filter((c) => !c.isClosed());
    assert.equal(kept.length, 3);
    kept[0].socket.write(handshake('v100..193'));
    await waitUntil('the server version', () => kept[0].frames.length === 1);
    // a closed slot is free again
    all.find((c) => !c.isClosed())!.socket.destroy();
    await waitUntil('a free slot', () => sim!.server['sessions'].size === 2);
    const again = await client();
    again.socket.write(handshake('v100..193'));
    await waitUntil('a handshake on the freed slot', () => again.frames.length === 1);
  });

  it('closes a connection that sends nothing, or stops after the handshake, but not one that reached START_API', async () => {
    sim = await startSim({ clock: { start: TUESDAY_10_NY }, guards: { handshakeTimeoutMs: 150 } });
    const ready = await client();
    ready.socket.write(handshake('v100..193'));
    await waitUntil('the server version', () => ready.frames.length === 1);
    ready.socket.write(encodeFrame([71, 2, 5, '']));
    await waitUntil('NEXT_VALID_ID', () => ready.frames.some((f) => f[0] === '9'));
    const silent = await client();
    const halfway = await client();
    halfway.socket.write(handshake('v100..193'));
    await Promise.all([silent.closed, halfway.closed]);
    assert.equal(ready.isClosed(), false, 'a client past START_API stays');
    assert.equal(sim.server.clientCount(), 1);
  });

  it('refuses a large frame before START_API at its header, without waiting for its body', async () => {
    // the handshake's time limit far off: only the frame cap can close this connection within the wait below
    const logged: string[] = [];
    sim = await startSim({ clock: { start: TUESDAY_10_NY }, guards: { handshakeTimeoutMs: 60_000 }, log: (l) => logged.push(l) });
    const c = await client();
    c.socket.write(handshake('v100..193'));
    await waitUntil('the server version', () => c.frames.length === 1);
    const header = Buffer.alloc(4);
    header.writeUInt32BE(16 * 1024 * 1024 - 1);
    c.socket.write(header);
    await waitUntil('the connection closed at the header', () => c.isClosed(), 5000);
    assert.ok(
      logged.some((l) => /malformed frame \(frame length 16777215 exceeds 65536\)/.test(l)),
      `closed for the frame's length: ${logged.join(' | ')}`,
    );
  });

  it('accepts a large frame after START_API (IB allows 16 MB)', async () => {
    sim = await startSim({ clock: { start: TUESDAY_10_NY } });
    const c = await client();
    c.socket.write(handshake('v100..193'));
    await waitUntil('the server version', () => c.frames.length === 1);
    c.socket.write(encodeFrame([71, 2, 6, '']));
    await waitUntil('NEXT_VALID_ID', () => c.frames.some((f) => f[0] === '9'));
    // REQ_CURRENT_TIME padded with a long unused field, sent in small pieces
    const big = encodeFrame([49, 1, 'x'.repeat(200_000)]);
    for (let i = 0; i < big.length; i += 1000) c.socket.write(big.subarray(i, i + 1000));
    await waitUntil('CURRENT_TIME', () => c.frames.some((f) => f[0] === '49'));
    assert.equal(c.isClosed(), false);
  });

  it('warns loudly when it listens beyond this computer', async () => {
    const warnings: string[] = [];
    const logged: string[] = [];
    const onWarning = (w: Error): void => {
      if (w.name === 'SimulatorExposedWarning') warnings.push(w.message);
    };
    process.on('warning', onWarning);
    const exposed = new SimServer({ host: '0.0.0.0', port: 0, clock: { start: TUESDAY_10_NY }, log: (l) => logged.push(l) });
    try {
      const { port } = await exposed.start();
      await waitUntil('the warning', () => warnings.length === 1);
      assert.match(warnings[0], new RegExp(`0\\.0\\.0\\.0:${port}, beyond this computer`));
      assert.ok(logged.some((l) => /^WARNING: .*beyond this computer/.test(l)));
    } finally {
      process.off('warning', onWarning);
      await exposed.stop();
    }
    const local = new SimServer({ host: '127.0.0.1', port: 0, clock: { start: TUESDAY_10_NY } });
    process.on('warning', onWarning);
    try {
      await local.start();
      await new Promise((r) => setImmediate(r));
      assert.equal(warnings.length, 1, 'no warning on the loopback address');
    } finally {
      process.off('warning', onWarning);
      await local.stop();
    }
  });
});
