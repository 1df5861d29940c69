import { strict as assert } from 'node:assert';
import { EventName, IBApi } from '@stoqey/ib';
import { guardIncomingStream } from '../../src/ib/transport/lib-socket';

interface Internals {
  controller: { socket: { onData(data: Buffer): void } };
}

/** One TWS API frame (v100+): a 4-byte length, then the fields, each ended by a NUL. */
function frame(fields: string[]): Buffer {
  const body = Buffer.from(fields.map((f) => `${f}\0`).join(''), 'utf8');
  const head = Buffer.alloc(4);
  head.writeInt32BE(body.length);
  return Buffer.concat([head, body]);
}

/** A fresh IBApi (never connected) with the transport's reader in place, and what it decodes. */
function guarded() {
  const api = new IBApi({ host: '127.0.0.1', port: 1, clientId: 1 });
  const seen: string[] = [];
  const corrupt: string[] = [];
  api.on(EventName.server, (version: number, time: string) => seen.push(`server ${version} ${time}`));
  api.on(EventName.nextValidId, (id: number) => seen.push(`nextValidId ${id}`));
  api.on(EventName.tickPrice, (reqId: number, type: number, price: number) => seen.push(`tickPrice ${reqId} ${type} ${price}`));
  api.on(EventName.error, (e: Error, code: number) => seen.push(`error ${code} ${e.message}`));
  guardIncomingStream(api, (problem) => corrupt.push(problem));
  const { socket } = (api as unknown as Internals).controller;
  return { feed: (b: Buffer) => socket.onData(b), seen, corrupt };
}

// the handshake reply, the next valid id, then a bid (TICK_PRICE version 6: id, type, price, size, attributes)
const STREAM = Buffer.concat([frame(['176', '20261202 10:00:00 EST']), frame(['9', '1', '7']), frame(['1', '6', '1001', '1', '231.42', '300', '7'])]);
const DECODED = ['server 176 20261202 10:00:00 EST', 'nextValidId 7', 'tickPrice 1001 1 231.42'];

describe("the transport's reader in @stoqey/ib's socket", () => {
  it('the library decodes every message handed on, however the stream arrives', () => {
    const whole = guarded();
    whole.feed(STREAM);
    assert.deepEqual(whole.seen, DECODED);

    const bytes = guarded();
    for (const b of STREAM) bytes.feed(Buffer.from([b]));
    assert.deepEqual(bytes.seen, DECODED, 'one byte at a time');
    assert.deepEqual(bytes.corrupt, []);
  });

  it('a bad length reaches the library as nothing: the corrupt stream is reported instead', () => {
    const r = guarded();
    const bad = Buffer.alloc(4);
    bad.writeInt32BE(-4);
    r.feed(Buffer.concat([frame(['176', '20261202 10:00:00 EST']), bad, Buffer.from('abcd')]));
    assert.deepEqual(r.seen, []);
    assert.equal(r.corrupt.length, 1);
    assert.match(r.corrupt[0], /length -4 .*corrupt/);
  });
});
