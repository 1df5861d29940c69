import { strict as assert } from 'node:assert';
import { describeIbError, LOCAL_CODES } from '../../src/ib/errors';
import {
  initialState,
  NEXT_CLIENT_ID_TRIES,
  phaseOf,
  TABLE,
  transition,
  type MachineEvent,
  type MachineState,
  type StateName,
} from '../../src/ib/connection/machine';

const refused = { ...describeIbError(502, 'ECONNREFUSED'), message: 'not reachable' };
const clash = describeIbError(326, 'client id in use');
const closed = describeIbError(504, 'connection closed');
// IB Gateway up but still logging in: it takes the socket and does not finish the handshake
const handshakeTimeout = describeIbError(LOCAL_CODES.handshakeTimeout, 'no handshake within 10000 ms');
const moved = describeIbError(1300, 'TWS socket port has been reset and this connection is being dropped. Please reconnect on the new port - 4002');

function at(name: StateName, over: Partial<MachineState> = {}): MachineState {
  return { ...initialState({ enabled: true, clientId: 9 }), name, ...over };
}

const settings = (over: Partial<Extract<MachineEvent, { type: 'settings' }>> = {}): MachineEvent => ({
  type: 'settings',
  enabled: true,
  clientId: 9,
  autoReconnect: true,
  endpointChanged: false,
  ...over,
});

/** [from, event, to, effect types] — the table of machine.ts, row by row. */
const ROWS: Array<[MachineState, MachineEvent, StateName, string[]]> = [
  [at('disabled'), settings(), 'idle', []],
  [at('disabled'), { type: 'connect' }, 'disabled', []],
  [at('idle'), settings({ enabled: false }), 'disabled', ['cancel-retry', 'close', 'cancel-waiters']],
  [at('ready'), settings({ enabled: false }), 'disabled', ['cancel-retry', 'close', 'cancel-waiters']],
  [at('idle'), { type: 'connect' }, 'connecting', ['cancel-retry', 'close', 'open']],
  [at('failed', { error: refused }), { type: 'connect' }, 'connecting', ['cancel-retry', 'close', 'open']],
  [at('waiting-to-retry', { attempt: 2, error: refused }), { type: 'connect' }, 'connecting', ['cancel-retry', 'close', 'open']],
  [at('retrying', { attempt: 2, error: refused }), { type: 'connect' }, 'connecting', ['cancel-retry', 'close', 'open']],
  [at('connecting'), { type: 'connect' }, 'connecting', []],
  [at('ready'), { type: 'connect' }, 'ready', []],
  [at('failed', { error: clash }), { type: 'next-client-id' }, 'connecting', ['cancel-retry', 'close', 'cancel-waiters', 'open']],
  [at('idle'), { type: 'prefer-client-id', clientId: 12 }, 'idle', []],
  [at('disabled'), { type: 'prefer-client-id', clientId: 12 }, 'disabled', []],
  [at('failed', { error: clash }), { type: 'prefer-client-id', clientId: 12 }, 'failed', []],
  [at('connecting'), { type: 'handshake-done' }, 'ready', ['became-ready', 'settle']],
  [at('connecting'), { type: 'attempt-failed', error: refused }, 'failed', ['close', 'settle']],
  [at('connecting', { probeBase: 9, clientId: 10 }), { type: 'attempt-failed', error: clash }, 'connecting', ['close', 'open']],
  [at('connecting', { probeBase: 9, clientId: 10 }), { type: 'attempt-failed', error: refused }, 'failed', ['close', 'settle']],
  [at('failed', { error: refused }), { type: 'keep-trying' }, 'waiting-to-retry', ['schedule-retry']],
  [at('failed', { error: clash }), { type: 'keep-trying' }, 'failed', []],
  [at('failed', { error: handshakeTimeout }), { type: 'keep-trying' }, 'waiting-to-retry', ['schedule-retry']],
  [at('failed', { error: refused, autoReconnect: false }), { type: 'keep-trying' }, 'failed', []],
  [at('ready', { everReady: true }), { type: 'lost', error: closed }, 'waiting-to-retry', ['close', 'report', 'schedule-retry']],
  [at('ready', { everReady: true }), { type: 'lost', error: clash }, 'failed', ['close', 'report']],
  [at('ready', { everReady: true, autoReconnect: false }), { type: 'lost', error: closed }, 'idle', ['close', 'report']],
  // TWS moved its API port (1300): the old one is not tried again
  [at('ready', { everReady: true }), { type: 'lost', error: moved }, 'failed', ['close', 'report']],
  [at('connecting', { trying: true }), { type: 'attempt-failed', error: moved }, 'failed', ['close', 'settle']],
  [at('retrying', { attempt: 1, error: closed }), { type: 'attempt-failed', error: moved }, 'failed', ['close', 'report']],
  [at('failed', { error: moved }), { type: 'keep-trying', anyFailure: true }, 'failed', []],
  [at('waiting-to-retry', { attempt: 1, error: closed }), { type: 'retry-due' }, 'retrying', ['open']],
  [at('retrying', { attempt: 1, error: closed, everReady: true }), { type: 'handshake-done' }, 'ready', ['became-ready', 'settle']],
  [at('retrying', { attempt: 1, error: closed }), { type: 'attempt-failed', error: refused }, 'waiting-to-retry', ['close', 'schedule-retry']],
  [at('retrying', { attempt: 1, error: closed }), { type: 'attempt-failed', error: clash }, 'waiting-to-retry', ['close', 'report', 'schedule-retry']],
  [at('retrying', { attempt: 2, error: clash }), { type: 'attempt-failed', error: clash }, 'waiting-to-retry', ['close', 'schedule-retry']],
  [at('connecting', { trying: true }), { type: 'attempt-failed', error: refused }, 'waiting-to-retry', ['close', 'settle', 'schedule-retry']],
  [at('connecting', { trying: true }), { type: 'attempt-failed', error: clash }, 'waiting-to-retry', ['close', 'settle', 'schedule-retry']],
  [at('connecting', { trying: true, autoReconnect: false }), { type: 'attempt-failed', error: refused }, 'failed', ['close', 'settle']],
  [at('failed', { error: clash }), { type: 'keep-trying', anyFailure: true }, 'waiting-to-retry', ['schedule-retry']],
  [at('ready', { everReady: true }), { type: 'lost', error: closed, short: true }, 'waiting-to-retry', ['close', 'report', 'schedule-retry']],
  [at('ready'), { type: 'disconnect' }, 'idle', ['cancel-retry', 'close', 'cancel-waiters']],
  [at('waiting-to-retry', { attempt: 3 }), { type: 'disconnect' }, 'idle', ['cancel-retry', 'close', 'cancel-waiters']],
  [at('ready'), settings({ clientId: 12, endpointChanged: true }), 'connecting', ['cancel-retry', 'close', 'cancel-waiters', 'open']],
  [at('failed', { error: refused }), settings({ endpointChanged: true }), 'connecting', ['cancel-retry', 'close', 'cancel-waiters', 'open']],
  [at('idle'), settings({ endpointChanged: true }), 'idle', []],
  [at('ready'), settings({ autoReconnect: false }), 'ready', []],
  [at('ready'), { type: 'dispose' }, 'idle', ['cancel-retry', 'close', 'cancel-waiters']],
  [at('disabled'), { type: 'dispose' }, 'disabled', ['cancel-retry', 'close', 'cancel-waiters']],
  [at('idle'), { type: 'retry-due' }, 'idle', []],
  [at('ready'), { type: 'handshake-done' }, 'ready', []],
];

describe('connection machine', () => {
  for (const [from, event, to, effects] of ROWS) {
    it(`${from.name}${from.error ? ` [${from.error.code}]` : ''} + ${event.type}${'error' in event ? ` (${event.error.code})` : ''} -> ${to}`, () => {
      const t = transition(from, event);
      assert.equal(t.state.name, to);
      assert.deepEqual(
        t.effects.map((e) => e.type),
        effects,
      );
    });
  }

  it('lists every state, and each state answers dispose', () => {
    const names: StateName[] = ['disabled', 'idle', 'connecting', 'ready', 'waiting-to-retry', 'retrying', 'failed'];
    assert.deepEqual(Object.keys(TABLE).sort(), [...names].sort());
    for (const n of names) assert.ok(TABLE[n].dispose, `${n} answers dispose`);
    assert.deepEqual(names.map(phaseOf), ['disabled', 'disconnected', 'connecting', 'ready', 'reconnecting', 'reconnecting', 'failed']);
  });

  it('an unlisted event returns the very same state, so nothing is published', () => {
    const s = at('idle');
    assert.equal(transition(s, { type: 'handshake-done' }).state, s);
  });

  it('counts reconnect attempts while retrying and starts again from 1 after ready', () => {
    let s = transition(at('ready', { everReady: true }), { type: 'lost', error: closed }).state;
    assert.equal(s.attempt, 1);
    for (const n of [2, 3]) {
      s = transition(s, { type: 'retry-due' }).state;
      const t = transition(s, { type: 'attempt-failed', error: refused });
      assert.deepEqual(t.effects.at(-1), { type: 'schedule-retry', attempt: n, step: n });
      s = t.state;
      assert.equal(s.error, refused);
    }
    s = transition(transition(s, { type: 'retry-due' }).state, { type: 'handshake-done' }).state;
    assert.equal(s.attempt, 0);
    assert.equal(s.error, undefined);
    assert.deepEqual(transition(s, { type: 'lost', error: closed }).effects.at(-1), { type: 'schedule-retry', attempt: 1, step: 1 });
  });

  it("trying on its own survives a connect that fails (a person's Connect, a POST /connect) and ends at ready or a disconnect", () => {
    let s = transition(at('ready', { everReady: true }), { type: 'lost', error: closed }).state;
    assert.equal(s.trying, true);
    s = transition(s, { type: 'connect' }).state;
    assert.equal(s.name, 'connecting');
    let t = transition(s, { type: 'attempt-failed', error: refused });
    assert.equal(t.state.name, 'waiting-to-retry', 'still trying');
    assert.deepEqual(t.effects[1], { type: 'settle', error: refused }, 'the caller hears the failure');
    // a new endpoint while trying: its failure is tried again too
    s = transition(t.state, settings({ endpointChanged: true, clientId: 12 })).state;
    t = transition(s, { type: 'attempt-failed', error: refused });
    assert.equal(t.state.name, 'waiting-to-retry');
    s = transition(transition(t.state, { type: 'retry-due' }).state, { type: 'handshake-done' }).state;
    assert.equal(s.trying, false, 'ready ends it');
    assert.equal(
      transition(transition(s, { type: 'connect' }).state, { type: 'attempt-failed', error: refused }).state.name,
      'ready',
      'ready: connect does nothing',
    );
    s = transition(transition(at('failed', { error: refused }), { type: 'keep-trying' }).state, { type: 'disconnect' }).state;
    assert.equal(s.trying, false, 'a disconnect ends it');
    assert.equal(
      transition(transition(s, { type: 'connect' }).state, { type: 'attempt-failed', error: refused }).state.name,
      'failed',
      "a person's connect after it fails as before",
    );
  });

  it('failed is never trying on its own: a Connect after it that fails stays failed', () => {
    // while retrying, Use Next Client Id finds every id in use
    let s = transition(at('ready', { everReady: true }), { type: 'lost', error: closed }).state;
    s = transition(s, { type: 'next-client-id' }).state;
    for (let i = 0; i < NEXT_CLIENT_ID_TRIES; i++) s = transition(s, { type: 'attempt-failed', error: clash }).state;
    assert.equal(s.name, 'failed');
    assert.equal(s.trying, false);
    s = transition(transition(s, { type: 'connect' }).state, { type: 'attempt-failed', error: refused }).state;
    assert.equal(s.name, 'failed');
    // automatic reconnection turned off while retrying: the failure ends it
    s = transition(at('ready', { everReady: true }), { type: 'lost', error: closed }).state;
    s = transition(transition(s, { type: 'connect' }).state, settings({ autoReconnect: false })).state;
    s = transition(s, { type: 'attempt-failed', error: refused }).state;
    assert.deepEqual([s.name, s.trying], ['failed', false]);
  });

  it('a connection lost soon after ready is tried one backoff step later each time (still called attempt 1); a long one starts it again from 1', () => {
    let s = at('ready', { everReady: true });
    const steps: number[] = [];
    for (let i = 0; i < 4; i++) {
      const t = transition(s, { type: 'lost', error: closed, short: true });
      const effect = t.effects.at(-1) as { attempt: number; step: number };
      steps.push(effect.step);
      assert.equal(effect.attempt, 1, 'the first attempt after a loss is attempt 1, whatever its backoff');
      assert.equal(t.state.attempt, 1, 'the status says attempt 1');
      // failing again: attempt 2, one backoff step on
      const again = transition(transition(t.state, { type: 'retry-due' }).state, { type: 'attempt-failed', error: refused });
      assert.deepEqual(again.effects.at(-1), { type: 'schedule-retry', attempt: 2, step: effect.step + 1 });
      s = transition(transition(again.state, { type: 'retry-due' }).state, { type: 'handshake-done' }).state;
      assert.equal(s.attempt, 0, 'ready shows no attempt');
    }
    assert.deepEqual(steps, [2, 3, 4, 5]);
    assert.deepEqual(transition(s, { type: 'lost', error: closed, short: false }).effects.at(-1), { type: 'schedule-retry', attempt: 1, step: 1 });
    s = transition(transition(s, { type: 'lost', error: closed, short: true }).state, { type: 'disconnect' }).state;
    assert.equal(s.shortSessions, 0, 'a disconnect forgets them');
  });

  it('resubscribes after a ready that follows an earlier ready, never on the first', () => {
    const first = transition(at('connecting'), { type: 'handshake-done' });
    assert.deepEqual(first.effects[0], { type: 'became-ready', resubscribe: false });
    const again = transition(at('retrying', { everReady: true }), { type: 'handshake-done' });
    assert.deepEqual(again.effects[0], { type: 'became-ready', resubscribe: true });
  });

  it('a disconnect holds: idle until connect, through settings and keep-trying', () => {
    let s = transition(at('ready'), { type: 'disconnect' }).state;
    assert.deepEqual([s.name, s.held], ['idle', true]);
    s = transition(s, settings({ endpointChanged: true })).state;
    s = transition(s, { type: 'keep-trying' }).state;
    assert.deepEqual([s.name, s.held], ['idle', true]);
    s = transition(s, { type: 'connect' }).state;
    assert.deepEqual([s.name, s.held], ['connecting', false]);
  });

  describe('the client id', () => {
    it('next-client-id tries id+1, id+2 ... and keeps the one that worked', () => {
      let s = transition(at('failed', { error: clash }), { type: 'next-client-id' }).state;
      assert.deepEqual([s.clientId, s.probeBase], [10, 9]);
      const t = transition(s, { type: 'attempt-failed', error: clash });
      assert.deepEqual(t.effects.at(-1), { type: 'open', clientId: 11 });
      s = transition(t.state, { type: 'handshake-done' }).state;
      assert.deepEqual([s.name, s.clientId, s.chosenClientId, s.probeBase], ['ready', 11, 11, undefined]);
    });

    it(`next-client-id gives up after ${NEXT_CLIENT_ID_TRIES} ids in use, with the range in the message`, () => {
      let s = transition(at('failed', { error: clash }), { type: 'next-client-id' }).state;
      let opens = 1;
      for (;;) {
        const t = transition(s, { type: 'attempt-failed', error: clash });
        s = t.state;
        if (s.name !== 'connecting') break;
        opens++;
      }
      assert.equal(opens, NEXT_CLIENT_ID_TRIES);
      assert.equal(s.name, 'failed');
      assert.equal(s.error?.message, `Client ids 10 to ${9 + NEXT_CLIENT_ID_TRIES} are all in use.`);
      assert.equal(s.chosenClientId, undefined);
    });

    it('a remembered id (prefer-client-id) is used from the next connect, until the endpoint changes; not while connected', () => {
      let s = transition(at('idle'), { type: 'prefer-client-id', clientId: 12 }).state;
      assert.deepEqual([s.clientId, s.chosenClientId], [12, 12]);
      assert.deepEqual(transition(s, { type: 'connect' }).effects.at(-1), { type: 'open', clientId: 12 });
      s = transition(transition(at('disabled'), { type: 'prefer-client-id', clientId: 12 }).state, settings()).state;
      assert.deepEqual([s.name, s.clientId], ['idle', 12], 'enabled later: the remembered id');
      assert.equal(transition(s, settings({ endpointChanged: true })).state.chosenClientId, undefined, 'a new endpoint forgets it');
      assert.equal(transition(at('ready', { clientId: 9 }), { type: 'prefer-client-id', clientId: 12 }).state.chosenClientId, undefined);
    });

    it('a chosen id survives unrelated settings, a disconnect, a drop and a reconnect', () => {
      let s = at('ready', { chosenClientId: 10, clientId: 10, everReady: true });
      s = transition(s, settings()).state; // every jax.ib.* change hands over the configured block, client id 9
      assert.deepEqual([s.name, s.chosenClientId], ['ready', 10]);
      s = transition(s, { type: 'lost', error: closed }).state;
      const retry = transition(s, { type: 'retry-due' });
      assert.deepEqual(retry.effects, [{ type: 'open', clientId: 10 }]);
      s = transition(retry.state, { type: 'disconnect' }).state;
      assert.deepEqual(transition(s, { type: 'connect' }).effects.at(-1), { type: 'open', clientId: 10 });
    });

    it('a changed host, port or client id drops the chosen id: the configured one is used', () => {
      const t = transition(at('ready', { chosenClientId: 10, clientId: 10 }), settings({ clientId: 12, endpointChanged: true }));
      assert.deepEqual(t.effects.at(-1), { type: 'open', clientId: 12 });
      assert.equal(t.state.chosenClientId, undefined);
      const idle = transition(at('idle', { chosenClientId: 10, clientId: 10 }), settings({ endpointChanged: true }));
      assert.deepEqual([idle.state.name, idle.state.clientId, idle.state.chosenClientId], ['idle', 9, undefined]);
    });
  });
});
