/**
 * A message @stoqey/ib misreads so badly that its decoder throws (not its own
 * "underrun"): here TWS's recorded SYMBOL_SAMPLES, which has no description
 * fields, sent as if the session spoke 176 (where each description carries
 * two more fields), so a text lands where a count is read and `new Array(NaN)`
 * throws. Unguarded, that throw leaves the socket handler as an uncaught
 * exception. The session must report a decoding error (505), reset the
 * connection and come back; nothing may be thrown out.
 */
import { strict as assert } from 'node:assert';
import { waitUntil } from '../../support/wait';
import { capture, replayFields } from './captures';
import { startRig, type Rig } from './rig';

describe('replay: a message the client library cannot decode resets the connection instead of crashing', () => {
  const uncaught: unknown[] = [];
  const onUncaught = (e: unknown) => uncaught.push(e);
  let rig: Rig | undefined;

  before(() => process.on('uncaughtException', onUncaught));
  after(() => process.off('uncaughtException', onUncaught));
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('SYMBOL_SAMPLES without descriptions read as 176: a 505, a reconnect, ready again, no uncaught exception', async () => {
    rig = await startRig({ serverVersion: 176, simulatedStart: Date.parse('2023-04-14T15:00:00Z') });
    const r = rig;
    const firstApi = r.session.manager.api;
    r.replayer.push(replayFields(capture('rust-symbol-samples-tsla'), 176));
    await waitUntil('the decoding error', () => r.managerErrors.find((e) => e.code === 505));
    await waitUntil('ready again on a new client', () => r.session.manager.status.phase === 'ready' && r.session.manager.api !== firstApi);
    assert.deepEqual(uncaught, []);
    assert.match(r.managerErrors.find((e) => e.code === 505)?.raw ?? '', /could not be decoded \(RangeError/);
    await r.settle();
  });
});
