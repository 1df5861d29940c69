// HISTORICAL_DATA read in one pass gives exactly what @stoqey/ib's own decoder gives, for the
// recorded TWS replies and for the odd values a gateway can send.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventName, IBApi } from '@stoqey/ib';
import { emitHistoricalData, isHistoricalData } from '../../src/ib/transport/historical-data-frame';

interface Capture {
  id: string;
  fields: string[];
}
const captures: Capture[] = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'tws-captures.json'), 'utf8'));

/** What the library's decoder emits for one message (as text, fields NUL-terminated), at server version 176. */
function libraryEvents(text: string): unknown[][] {
  const api = new IBApi({ port: 1 });
  const socket = (api as unknown as { controller: { socket: Record<string, unknown> & { onMessage(t: string): void } } }).controller.socket;
  Object.assign(socket, { _serverVersion: 176, neverReceived: false, useV100Plus: true });
  const out: unknown[][] = [];
  api.on(EventName.historicalData, (...args: unknown[]) => out.push(args));
  api.on(EventName.error, (e: Error) => out.push(['error', e.message]));
  socket.onMessage(text);
  return out;
}

function oursEvents(text: string): unknown[][] | undefined {
  const out: unknown[][] = [];
  return emitHistoricalData(text, (...args) => out.push(args)) ? out : undefined;
}

const message = (fields: string[]) => `${fields.join('\0')}\0`;

describe('HISTORICAL_DATA in one pass: the same events as the library', () => {
  for (const c of captures.filter((x) => x.fields[0] === '17')) {
    const whole = c.fields.length === 5 + Number(c.fields[4]) * 8;
    it(`recorded: ${c.id}${whole ? '' : ' (recorded in part: fewer bars than its count)'}`, () => {
      const text = message(c.fields);
      assert.ok(isHistoricalData(text));
      const ours = oursEvents(text);
      if (!whole) {
        // left to the library, which says what is wrong, as before
        assert.equal(ours, undefined);
        assert.match(String(libraryEvents(text)[0]?.[1]), /Underrun/);
        return;
      }
      assert.ok(ours && ours.length > 1, 'read');
      assert.deepEqual(ours, libraryEvents(text));
    });
  }

  it('odd values: empty fields, thousands separators, IB\'s "none" (MAX_VALUE), -1, decimals in volume', () => {
    const bars = [
      ['20261117 09:30:00 US/Eastern', '230.1', '231', '229.5', '230.7', '1,234,567', '230.4', '1520'],
      ['1763389800', '', '1.7976931348623157E308', '-37.6', '0', '', '-1', ''],
      ['20261117', '230.1', '231', '229.5', '230.7', '948837.22', '1.7976931348623157E308', '7'],
    ];
    const text = message(['17', '42', '20261117  09:30:00', '20261118  09:30:00', String(bars.length), ...bars.flat()]);
    assert.deepEqual(oursEvents(text), libraryEvents(text));
  });

  it('an empty reply: the end marker alone', () => {
    const text = message(['17', '7', 'a', 'b', '0']);
    assert.deepEqual(oursEvents(text), libraryEvents(text));
    assert.equal(oursEvents(text)!.length, 1);
  });

  it('a message that does not add up is left to the library, which reports it', () => {
    for (const fields of [
      ['17', '7', 'a', 'b', '2', '20261117', '1', '2', '0.5', '1.5', '100', '1', '3'], // a bar short
      ['17', '7', 'a', 'b', 'x'],
      ['17', '7', 'a', 'b', '-1'],
    ]) {
      assert.equal(oursEvents(message(fields)), undefined, fields.join(' '));
    }
    assert.equal(isHistoricalData(message(['170', '1'])), false);
    assert.equal(isHistoricalData(message(['1', '7'])), false);
  });
});
