/**
 * A hostile or broken gateway on the configured host and port: one short
 * reply with a bad frame length must end in a clear error, never in a frozen
 * extension host (@stoqey/ib 1.6.10 loops forever on a negative length).
 * The client runs in a child process, so a freeze fails the test instead of
 * hanging the run.
 */
import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import * as os from 'node:os';
import { connectFromChild } from './support/child-connect';

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

  it('a frame length beyond IB\'s 16 MB maximum is refused at once, not waited for', async () => {
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
