/**
 * What a hostile gateway or a repository's files can do to a connection:
 * one short reply with a bad frame length must end in a clear error, never
 * in a frozen extension host (@stoqey/ib 1.6.10 loops forever on a negative
 * length); a `.env` in the working directory must never reach the process
 * environment (@stoqey/ib runs dotenv when it reads its own configuration).
 * The client runs in a child process with its own working directory, so a
 * freeze fails the test instead of hanging the run.
 */
import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { connectFromChild } from './support/child-connect';
import { startSim, type StartedSim } from './support/sim';
import { simClockAt } from '../support/market-times';

/** A TCP server that answers the API handshake with `reply` and nothing else. */
async function hostileGateway(reply: Buffer): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('data', () => socket.write(reply));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

/** A 4-byte big-endian length followed by `body`. */
function frame(length: number, body: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeInt32BE(length);
  return Buffer.concat([head, body]);
}

describe('security: a hostile gateway', function () {
  this.timeout(40000);

  for (const length of [-4, -1]) {
    it(`a 12-byte reply with frame length ${length} closes the connection with a clear error and the host stays responsive`, async () => {
      const gw = await hostileGateway(frame(length, Buffer.from('193\0abcd')));
      try {
        const r = await connectFromChild('127.0.0.1', gw.port, os.tmpdir());
        assert.equal(r.outcome, 'failed');
        assert.equal(r.code, 507);
        assert.match(r.message ?? '', /could not be read/);
        assert.match(r.raw ?? '', new RegExp(`length ${length} .*corrupt`));
        assert.equal(r.phase, 'failed');
      } finally {
        await gw.close();
      }
    });
  }

  it("a frame length beyond IB's 16 MB maximum is refused at once, not waited for", async () => {
    const gw = await hostileGateway(frame(0x1000000, Buffer.from('193\0abcd')));
    try {
      const r = await connectFromChild('127.0.0.1', gw.port, os.tmpdir());
      assert.equal(r.outcome, 'failed');
      assert.equal(r.code, 507, `a bad length, not a handshake timeout: ${r.message}`);
      assert.match(r.raw ?? '', /length 16777216 /);
    } finally {
      await gw.close();
    }
  });
});

describe('security: a .env file in the working directory', function () {
  this.timeout(40000);
  let dir: string;
  let sim: StartedSim;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ib-dotenv-'));
    await fs.writeFile(path.join(dir, '.env'), 'IB_SECURITY_PROBE=from-dotenv\nNODE_TLS_REJECT_UNAUTHORIZED=0\nIB_PORT=1\n');
    sim = await startSim({ clock: simClockAt('regularSession') });
  });

  after(async () => {
    await sim?.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('is never loaded: connecting leaves process.env unchanged', async () => {
    const r = await connectFromChild(sim.host, sim.port, dir);
    assert.equal(r.outcome, 'ready', r.message);
    assert.deepEqual(r.envChanges, [], "no variable from the folder's .env reached the process environment");
  });
});
