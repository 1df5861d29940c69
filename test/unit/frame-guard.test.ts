import { strict as assert } from 'node:assert';
import { FrameGuard, MAX_MSG_LEN } from '../../src/ib/transport/frame-guard';

function frame(length: number, bodyLength = Math.max(0, length)): Buffer {
  const b = Buffer.alloc(4 + bodyLength, 0x41);
  b.writeInt32BE(length);
  return b;
}

describe('FrameGuard', () => {
  it('lets a sound stream through, split anywhere, headers and bodies across chunks', () => {
    const stream = Buffer.concat([frame(5), frame(0), frame(300), frame(1)]);
    for (let cut = 1; cut < stream.length; cut += 7) {
      const g = new FrameGuard();
      assert.equal(g.check(stream.subarray(0, cut)), undefined);
      assert.equal(g.check(stream.subarray(cut)), undefined);
    }
    const g = new FrameGuard();
    for (const byte of stream) assert.equal(g.check(Buffer.from([byte])), undefined, 'one byte at a time');
  });

  it("accepts IB's maximum length and refuses one more", () => {
    const head = Buffer.alloc(4);
    head.writeInt32BE(MAX_MSG_LEN);
    assert.equal(new FrameGuard().check(head), undefined);
    head.writeInt32BE(MAX_MSG_LEN + 1);
    assert.match(new FrameGuard().check(head) ?? '', /length 16777216 .*corrupt/);
  });

  for (const bad of [-1, -4, -2147483648]) {
    it(`refuses frame length ${bad}, also after sound frames and with its header split`, () => {
      const g = new FrameGuard();
      const head = Buffer.alloc(4);
      head.writeInt32BE(bad);
      assert.equal(g.check(Buffer.concat([frame(3), head.subarray(0, 2)])), undefined);
      assert.match(g.check(head.subarray(2)) ?? '', new RegExp(`length ${bad} `));
      assert.ok(g.check(frame(1)), 'stays refused: the stream cannot be trusted again');
    });
  }
});
