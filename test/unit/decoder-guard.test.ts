import { strict as assert } from 'node:assert';
import { IBApi } from '@stoqey/ib';
import { guardDecoder } from '../../src/ib/transport/decoder-guard';

interface Internals {
  controller: { socket: { onData(data: Buffer): void; neverReceived: boolean }; decoder: { dataQueue: unknown[] } };
}

/** One TWS API frame (v100+): a 4-byte length, then the fields, each ended by a NUL. */
function frame(fields: string[]): Buffer {
  const body = Buffer.from(fields.map((f) => `${f}\0`).join(''), 'utf8');
  const head = Buffer.alloc(4);
  head.writeInt32BE(body.length);
  return Buffer.concat([head, body]);
}

describe('decoder guard', () => {
  it('fits @stoqey/ib as installed: a throw while decoding a chunk becomes one fault report and an empty queue', () => {
    const api = new IBApi({ host: '127.0.0.1', port: 1 });
    const { controller } = api as unknown as Internals;
    const faults: string[] = [];
    assert.equal(
      guardDecoder(api, (m) => faults.push(m)),
      true,
    );
    controller.socket.neverReceived = false; // past the handshake
    // SYMBOL_SAMPLES with a text where the count goes: the library's own processing throws
    assert.doesNotThrow(() => controller.socket.onData(frame(['79', '1', 'not a count'])));
    assert.equal(faults.length, 1);
    assert.match(faults[0], /could not be decoded/);
    assert.deepEqual(controller.decoder.dataQueue, []);
  });

  it('without it, the same chunk throws out of the socket reader', () => {
    const api = new IBApi({ host: '127.0.0.1', port: 1 });
    const { controller } = api as unknown as Internals;
    controller.socket.neverReceived = false;
    assert.throws(() => controller.socket.onData(frame(['79', '1', 'not a count'])));
  });

  it("cuts a decoding exception's text as long as the message it quotes to 1,000 characters, saying how long it was", () => {
    const api = new IBApi({ host: '127.0.0.1', port: 1 });
    const { controller } = api as unknown as Internals;
    // a decoder whose exception quotes a 300,000-character field
    controller.socket.onData = () => {
      throw new SyntaxError(`Unexpected token in ${'x'.repeat(300_000)}`);
    };
    const faults: string[] = [];
    guardDecoder(api, (m) => faults.push(m));
    controller.socket.onData(Buffer.alloc(0));
    assert.equal(faults.length, 1);
    assert.ok(faults[0].length < 1_200, `${faults[0].length} characters`);
    assert.match(faults[0], /^a message from the gateway could not be decoded \(SyntaxError: Unexpected token in x+\.\.\. \(300020 characters in all\)\)$/);
  });

  it('says so when the library does not have the shape it expects', () => {
    assert.equal(
      guardDecoder({} as IBApi, () => undefined),
      false,
    );
  });
});
