// The four tick messages read in one pass give exactly what @stoqey/ib's own decoder gives: the same
// events, in the same order, with the same values, for recorded TWS ticks, every tick type and the odd
// values and layouts a gateway can send; through the whole socket reader, as a stream.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IBApi } from '@stoqey/ib';
import { guardIncomingStream } from '../../src/ib/transport/lib-socket';
import { emitTickMessage } from '../../src/ib/transport/tick-frames';

interface Capture {
  id: string;
  direction: string;
  fields: string[];
}
const captures: Capture[] = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'tws-captures.json'), 'utf8'));
const TICK_IDS = ['1', '2', '45', '46'];

const text = (fields: readonly string[]) => `${fields.join('\0')}\0`;

function frame(body: string): Buffer {
  const b = Buffer.from(body, 'utf8');
  const head = Buffer.alloc(4);
  head.writeInt32BE(b.length);
  return Buffer.concat([head, b]);
}

type Event = [string, ...unknown[]];

/** Every event one client emits for a stream of frames (as the controller emits them; errors by their text), `received` aside. */
function eventsOf(frames: readonly string[], ours: boolean, handshaken = true): Event[] {
  const api = new IBApi({ port: 1 });
  const controller = (api as unknown as { controller: { socket: Record<string, unknown> & { onData(b: Buffer): void }; emitEvent(...a: unknown[]): void } })
    .controller;
  Object.assign(controller.socket, { _serverVersion: 176, neverReceived: !handshaken, useV100Plus: true, disconnect: () => out.push(['disconnect']) });
  const out: Event[] = [];
  const emitEvent = controller.emitEvent.bind(controller);
  controller.emitEvent = (name: unknown, ...args: unknown[]) => {
    if (name !== 'received') out.push([String(name), ...args.map((a) => (a instanceof Error ? `Error: ${a.message}` : a))]);
    emitEvent(name, ...args);
  };
  if (ours) guardIncomingStream(api, (problem) => out.push(['corrupt', problem]));
  const bytes = Buffer.concat(frames.map(frame));
  // in uneven chunks, as a socket gives them
  for (let i = 0, k = 1; i < bytes.length; i += k, k = (k % 23) + 5) controller.socket.onData(bytes.subarray(i, i + k));
  return out;
}

function assertSame(frames: readonly string[], handshaken = true): Event[] {
  const ours = eventsOf(frames, true, handshaken);
  assert.deepStrictEqual(ours, eventsOf(frames, false, handshaken));
  return ours;
}

describe('tick messages in one pass: the same events as the library', () => {
  const recorded = captures.filter((c) => c.direction === 'from-tws' && TICK_IDS.includes(c.fields[0]));

  it('recorded TWS ticks (price, size, generic, string)', () => {
    assert.ok(recorded.length >= 4, 'the fixtures hold recorded ticks');
    for (const c of recorded)
      assert.equal(
        emitTickMessage(text(c.fields), () => undefined),
        true,
        c.id,
      );
    const events = assertSame(recorded.map((c) => text(c.fields)));
    // a last-price tick of version 6 is a price and its size
    assert.ok(events.some((e) => e[0] === 'tickPrice') && events.some((e) => e[0] === 'tickSize') && events.some((e) => e[0] === 'tickString'));
  });

  it('every tick type, live and delayed, at every version of TICK_PRICE', () => {
    const frames: string[] = [];
    for (let type = 0; type <= 100; type++) {
      for (const version of ['1', '2', '3', '6', '']) {
        const fields = ['1', version, String(9000 + type), String(type), '101.25'];
        const v = Number(version);
        if (v >= 2) fields.push('300');
        if (v >= 3) fields.push(String(type % 4));
        frames.push(text(fields));
      }
      frames.push(text(['2', '6', String(type), String(type), '7']));
      frames.push(text(['45', '6', String(type), String(type), '0.5']));
      frames.push(text(['46', '6', String(type), String(type), `x${type}`]));
    }
    const events = assertSame(frames);
    assert.ok(events.length > 700, `${events.length} events`);
  });

  it("odd values: empty fields, thousands separators, IB's none (MAX_VALUE), Infinity, negatives, decimals, text", () => {
    const values = ['', '0', '-1', '1,234,567', '1.7976931348623157E308', 'Infinity', '-37.63', '0.0001', '12.5', 'abc', ' 7', '1e3'];
    const frames: string[] = [];
    for (const v of values) {
      frames.push(text(['1', '6', '5', '4', v, v, v]));
      frames.push(text(['1', '6', v, '1', '100', v, '1']));
      frames.push(text(['2', '6', '5', '8', v]));
      frames.push(text(['45', v, '5', '49', v]));
      frames.push(text(['46', '6', '5', v, v]));
    }
    frames.push(text(['46', '6', '5', '45', 'Ünïcödé \\u00e9']));
    assertSame(frames);
  });

  it('a layout it does not read is left to the library, which reports it as before', () => {
    const odd = [
      ['1', '6', '5', '4', '101'], // a version 6 price tick without size and mask
      ['1', '6', '5', '4', '101', '3', '0', 'extra'],
      ['1', '1', '5', '4', '101', '3'],
      ['2', '6', '5', '8'],
      ['2', '6', '5', '8', '100', 'extra'],
      ['45', '6', '5'],
      ['46', '6', '5', '45', 'a', 'b'],
      ['1'],
    ];
    for (const fields of odd)
      assert.equal(
        emitTickMessage(text(fields), () => undefined),
        false,
        fields.join(' '),
      );
    const events = assertSame(odd.map(text));
    assert.ok(events.filter((e) => e[0] === 'error').length >= odd.length - 1, 'the library reported them');
  });

  it('another message, the first message (the server version, whatever it holds), or a tick after a message that did not end with a NUL, goes the library way', () => {
    for (const t of [
      text(['17', '1']),
      text(['10', '1']),
      text(['4', '2', '1', '200']),
      text(['450', '6']),
      text(['12', '1']),
      '1\u00006\u00005\u00004\u0000101\u00003',
    ])
      assert.equal(
        emitTickMessage(t, () => undefined),
        false,
        JSON.stringify(t),
      );
    // the first message is the server's version, whatever it holds
    const first = assertSame([text(['1', '6', '5', '4', '101', '3', '0']), text(['2', '6', '5', '8', '100'])], false);
    assert.ok(
      first.some((e) => e[0] === 'error' && /Unsupported Version/.test(String(e[1]))),
      JSON.stringify(first),
    );
    // the library keeps the unfinished field and puts it before the next message
    assertSame([
      text(['2', '6', '5', '8', '100']),
      '46\u00006\u00005\u000045\u0000half',
      text(['2', '6', '5', '8', '100']),
      text(['1', '6', '5', '4', '1', '2', '0']),
    ]);
  });
});
