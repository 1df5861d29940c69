import { strict as assert } from 'node:assert';
import {
  FieldReader,
  FieldUnderrun,
  FrameDecoder,
  FrameError,
  encodeFrame,
  fieldText,
  parseVersionRange,
  readHandshake,
  splitFields,
} from '../../src/sim/codec';

describe('sim codec', () => {
  it('frames fields with a 4-byte big-endian length and NUL terminators', () => {
    const f = encodeFrame([4, 2, -1, 2104, 'Market data farm connection is OK:usfarm', '']);
    const body = 'Market data farm connection is OK:usfarm';
    const expected = `4\u00002\u0000-1\u00002104\u0000${body}\u0000\u0000`;
    assert.equal(f.readUInt32BE(0), Buffer.byteLength(expected));
    assert.equal(f.subarray(4).toString('utf8'), expected);
  });

  it('writes booleans as 1/0 and leaves undefined, null and non-finite numbers empty', () => {
    assert.equal(fieldText(true), '1');
    assert.equal(fieldText(false), '0');
    assert.equal(fieldText(undefined), '');
    assert.equal(fieldText(null), '');
    assert.equal(fieldText(Number.NaN), '');
    assert.equal(fieldText(0.01), '0.01');
  });

  it('counts UTF-8 bytes, not characters, in the length', () => {
    const f = encodeFrame(['Zürich']);
    assert.equal(f.readUInt32BE(0), Buffer.byteLength('Zürich\0'));
    assert.deepEqual(splitFields(f.subarray(4)), ['Zürich']);
  });

  it('reassembles frames split across and packed into socket reads', () => {
    const a = encodeFrame([49, 1]);
    const b = encodeFrame([17, 1]);
    const all = Buffer.concat([a, b]);
    const d = new FrameDecoder();
    assert.deepEqual(d.push(all.subarray(0, 3)), []);
    const out = d.push(all.subarray(3, a.length + 2));
    assert.equal(out.length, 1);
    assert.deepEqual(splitFields(out[0]), ['49', '1']);
    const rest = d.push(all.subarray(a.length + 2));
    assert.deepEqual(rest.map(splitFields), [['17', '1']]);
    assert.equal(d.pending, 0);
  });

  it('rejects a frame longer than the protocol allows', () => {
    const d = new FrameDecoder();
    const bad = Buffer.alloc(4);
    bad.writeUInt32BE(0x1000000, 0);
    assert.throws(() => d.push(bad), FrameError);
  });

  it('reads the handshake version range', () => {
    assert.deepEqual(parseVersionRange('v100..193'), { min: 100, max: 193 });
    assert.deepEqual(parseVersionRange('v176'), { min: 176, max: 176 });
    assert.equal(parseVersionRange('v193..100'), undefined);
    assert.equal(parseVersionRange('100..193'), undefined);
    assert.deepEqual(parseVersionRange('v100..193 +PACEAPI'), { min: 100, max: 193 });
    const text = Buffer.from('v100..193');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(text.length, 0);
    const hello = Buffer.concat([Buffer.from('API\0', 'latin1'), len, text, encodeFrame([71, 2, 1, ''])]);
    assert.deepEqual(readHandshake(hello.subarray(0, 6)), { state: 'incomplete' });
    const done = readHandshake(hello);
    assert.equal(done.state, 'done');
    if (done.state === 'done') {
      assert.deepEqual(done.range, { min: 100, max: 193 });
      assert.deepEqual(new FrameDecoder().push(done.rest).map(splitFields), [['71', '2', '1', '']]);
    }
    assert.equal(readHandshake(Buffer.from('GET / HTTP/1.1')).state, 'invalid');
  });

  it('reads fields in order and reports running out of them', () => {
    const r = new FieldReader(['7', '', 'x', '0.5', '1']);
    assert.equal(r.int(), 7);
    assert.equal(r.int(), 0);
    assert.equal(r.str(), 'x');
    assert.equal(r.num(), 0.5);
    assert.equal(r.bool(), true);
    assert.equal(r.remaining, 0);
    assert.throws(() => r.str(), FieldUnderrun);
  });
});

describe('FrameDecoder over many small chunks', () => {
  it('joins a large frame once, not once per chunk', () => {
    const frame = encodeFrame(['49', '1', 'y'.repeat(300_000)]);
    const d = new FrameDecoder();
    const concat = Buffer.concat;
    let joins = 0;
    Buffer.concat = ((list: readonly Uint8Array[], total?: number) => {
      joins++;
      return concat(list, total);
    }) as typeof Buffer.concat;
    let bodies: Buffer[] = [];
    try {
      for (let i = 0; i < frame.length; i += 100) bodies = bodies.concat(d.push(frame.subarray(i, i + 100)));
    } finally {
      Buffer.concat = concat;
    }
    assert.equal(bodies.length, 1);
    assert.deepEqual(splitFields(bodies[0]).slice(0, 2), ['49', '1']);
    assert.equal(bodies[0].length, frame.length - 4);
    assert.ok(joins <= 2, `${joins} joins for ${Math.ceil(frame.length / 100)} chunks`);
    assert.equal(d.pending, 0);
  });

  it('splits frames whose headers straddle chunks', () => {
    const stream = Buffer.concat([encodeFrame(['1', 'a']), encodeFrame(['2', 'bb']), encodeFrame(['3', ''])]);
    for (let step = 1; step <= 7; step++) {
      const d = new FrameDecoder();
      const got: string[][] = [];
      for (let i = 0; i < stream.length; i += step) got.push(...d.push(stream.subarray(i, i + step)).map(splitFields));
      assert.deepEqual(
        got,
        [
          ['1', 'a'],
          ['2', 'bb'],
          ['3', ''],
        ],
        `chunks of ${step}`,
      );
    }
  });
});
