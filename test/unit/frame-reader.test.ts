import { strict as assert } from 'node:assert';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { FrameReader, MAX_MSG_LEN } from '../../src/ib/transport/frame-reader';

/** A frame as TWS sends it: the body's length in 4 bytes, big-endian, then the body. */
function frame(body: string | Buffer): Buffer {
  const b = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const head = Buffer.alloc(4);
  head.writeInt32BE(b.length);
  return Buffer.concat([head, b]);
}

function header(length: number): Buffer {
  const head = Buffer.alloc(4);
  head.writeInt32BE(length);
  return head;
}

/** Feeds the chunks to one reader; the messages handed on, and each chunk's answer. */
function readAll(chunks: Buffer[]): { messages: string[]; answers: Array<string | undefined> } {
  const reader = new FrameReader();
  const messages: string[] = [];
  const answers = chunks.map((c) => reader.read(c, (m) => messages.push(m)));
  return { messages, answers };
}

// real message bodies: a tick price, an empty frame, a long contract-details-sized body, text outside ASCII (Zürich, 日本)
const BODIES = [
  '1\x006\x001001\x001\x00231.42\x00300\x007\x00',
  '',
  `10\x00${'x'.repeat(3000)}\x00`,
  '4\x002\x00-1\x002104\x00Market data farm connection is OK:zürich 日本\x00\x00',
];
const STREAM = Buffer.concat(BODIES.map(frame));

describe('FrameReader', () => {
  it('hands on every message whole, in order, however the stream is split (headers, bodies, multi-byte characters)', () => {
    for (let cut = 1; cut < STREAM.length; cut += 3) {
      const { messages, answers } = readAll([STREAM.subarray(0, cut), STREAM.subarray(cut)]);
      assert.deepEqual(messages, BODIES, `cut at ${cut}`);
      assert.deepEqual(answers, [undefined, undefined]);
    }
    const { messages } = readAll([...STREAM].map((byte) => Buffer.from([byte])));
    assert.deepEqual(messages, BODIES, 'one byte at a time');
    const three = readAll([STREAM.subarray(0, 2), STREAM.subarray(2, 3010), STREAM.subarray(3010)]);
    assert.deepEqual(three.messages, BODIES, 'a frame across three chunks');
  });

  it('hands on a message of several megabytes (a long history) whole, from socket-sized chunks', () => {
    const bars = Array.from({ length: 60_000 }, (_, i) => `2026112${i % 10} 10:00:00\x00231.4${i % 10}\x00232\x00230\x00231.5\x00${i}\x00231.45\x0012`).join(
      '\x00',
    );
    const stream = Buffer.concat([frame(`17\x001001\x00${bars}\x00`), frame('after')]);
    assert.ok(stream.length > 3_000_000);
    const chunks: Buffer[] = [];
    for (let i = 0; i < stream.length; i += 65536) chunks.push(stream.subarray(i, i + 65536));
    const { messages, answers } = readAll(chunks);
    assert.equal(messages.length, 2);
    assert.equal(messages[0], `17\x001001\x00${bars}\x00`);
    assert.equal(messages[1], 'after');
    assert.ok(answers.every((a) => a === undefined));
  });

  it('holds a frame trickled a byte a read in one buffer of its size, not an object per read (a hostile gateway)', () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const body = Buffer.alloc(300_000, 'x');
    const bytes = frame(body);
    const reader = new FrameReader();
    const messages: string[] = [];
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < bytes.length - 1; i++) reader.read(bytes.subarray(i, i + 1), (m) => messages.push(m));
    gc();
    const held = process.memoryUsage().heapUsed - before;
    // an object per byte read would be some 80 bytes each: 24 MB here
    assert.ok(held < 4_000_000, `${(held / 1e6).toFixed(1)} MB of heap held for a 0.3 MB frame`);
    assert.equal(messages.length, 0, 'nothing before its last byte');
    reader.read(bytes.subarray(bytes.length - 1), (m) => messages.push(m));
    assert.equal(messages.length, 1);
    assert.equal(messages[0].length, body.length);
  });

  it('hands on nothing of a frame until its last byte is there', () => {
    const reader = new FrameReader();
    const got: string[] = [];
    const f = frame('abc');
    reader.read(f.subarray(0, f.length - 1), (m) => got.push(m));
    assert.equal(got.length, 0, 'nothing before the last byte');
    reader.read(f.subarray(f.length - 1), (m) => got.push(m));
    assert.deepEqual(got, ['abc']);
  });

  it("accepts IB's maximum length and refuses one more", () => {
    assert.equal(
      new FrameReader().read(header(MAX_MSG_LEN), () => assert.fail('no message yet')),
      undefined,
    );
    assert.match(new FrameReader().read(header(MAX_MSG_LEN + 1), () => undefined) ?? '', /length 16777216 .*corrupt/);
  });

  for (const bad of [-1, -4, -2147483648]) {
    it(`refuses frame length ${bad}: nothing of that chunk is handed on, also with its header split, and nothing after`, () => {
      const whole = readAll([Buffer.concat([frame('before'), header(bad), frame('after')])]);
      assert.deepEqual(whole.messages, [], 'a chunk with a bad header hands on none of its messages');
      assert.match(whole.answers[0] ?? '', new RegExp(`length ${bad} `));

      const head = header(bad);
      const split = readAll([Buffer.concat([frame('ok'), head.subarray(0, 2)]), head.subarray(2), frame('later')]);
      assert.deepEqual(split.messages, ['ok']);
      assert.equal(split.answers[0], undefined);
      assert.match(split.answers[1] ?? '', new RegExp(`length ${bad} `));
      assert.equal(split.answers[2], split.answers[1], 'stays refused: the stream cannot be trusted again');
    });
  }

  // past IB's bound: one more than MAX_MSG_LEN, and the largest a signed int can say (a 2 GB buffer if believed)
  for (const bad of [MAX_MSG_LEN + 1, 0x7fffffff]) {
    it(`refuses frame length ${bad} with its header split across chunks, before making room for its body, and nothing after`, () => {
      const head = header(bad);
      const split = readAll([Buffer.concat([frame('ok'), head.subarray(0, 2)]), head.subarray(2), frame('later')]);
      assert.deepEqual(split.messages, ['ok']);
      assert.equal(split.answers[0], undefined, 'half a header: nothing to judge yet');
      assert.match(split.answers[1] ?? '', new RegExp(`length ${bad} .*corrupt`));
      assert.equal(split.answers[2], split.answers[1], 'stays refused: the stream cannot be trusted again');

      // a header trickled a byte a read: refused at its fourth byte
      const trickled = readAll([frame('ok'), ...[...head].map((byte) => Buffer.from([byte])), frame('later')]);
      assert.deepEqual(trickled.messages, ['ok']);
      assert.deepEqual(trickled.answers.slice(0, 4), [undefined, undefined, undefined, undefined], 'three bytes of a header say nothing yet');
      assert.match(trickled.answers[4] ?? '', new RegExp(`length ${bad} .*corrupt`));
      assert.equal(trickled.answers[5], trickled.answers[4]);
    });
  }
});
