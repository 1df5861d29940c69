/**
 * The connection's states and what moves it between them: a pure function
 * `transition(state, event) -> { state, effects }` and its table. No timers,
 * no sockets, no clock: the driver (src/ib/connection.ts) performs the effects
 * and turns what happens on the wire back into events.
 *
 * state             | event             | next state        | effects
 * ------------------|-------------------|-------------------|------------------------------------------------
 * disabled          | settings, enabled | idle              |
 * any but disabled  | settings, off     | disabled          | cancel-retry, close, cancel-waiters
 * idle, failed,     | connect           | connecting        | cancel-retry, close, open(client id)
 *   waiting, retrying
 * connecting, ready | connect           | (unchanged)       | (the driver joins the attempt / answers at once)
 * any but disabled  | next-client-id    | connecting        | cancel-retry, close, cancel-waiters, open(id + 1)
 * connecting        | handshake-done    | ready             | became-ready, settle
 * connecting        | attempt-failed    | failed            | close, settle(error)
 *   (next-client-id, 326, ids left)     | connecting        | close, open(next id)
 * connecting        | attempt-failed    | waiting-to-retry  | close, settle(error), schedule-retry(1)
 *   (while trying on its own: see below; not for 1300, the port moved)
 * failed (502/9003) | keep-trying       | waiting-to-retry  | schedule-retry(1)
 *   (any error when asked: the bridge)
 * ready             | lost              | waiting-to-retry  | close, report, schedule-retry(1; after a
 *                   |                   |                   |   short session, its backoff one step later each time)
 *   (326; 1300, the port moved)         | failed            | close, report
 *   (autoReconnect off)                 | idle (with error) | close, report
 * waiting-to-retry  | retry-due         | retrying          | open(client id)
 * retrying          | handshake-done    | ready             | became-ready, settle
 * retrying          | attempt-failed    | waiting-to-retry  | close, schedule-retry(n + 1)
 *   (326, the first in a row)           | waiting-to-retry  | close, report, schedule-retry(n + 1)
 *   (1300: the port moved)              | failed            | close, report
 * any but disabled  | disconnect        | idle (held)       | cancel-retry, close, cancel-waiters
 * connecting, ready,| settings, new     | connecting        | cancel-retry, close, cancel-waiters, open
 *   waiting, retrying, failed | host, port or client id
 * idle              | settings          | idle              | (the chosen client id dropped if the endpoint changed)
 * idle, disabled,   | prefer-client-id  | (unchanged)       | (the id becomes the chosen one: a remembered choice)
 *   failed
 * any               | dispose           | idle / disabled   | cancel-retry, close, cancel-waiters
 *
 * Any other event leaves the state as it is, with no effects.
 *
 * Trying on its own: from keep-trying or a lost connection until ready, a
 * disconnect, settings that turn it off, or dispose. A connect (or a new
 * endpoint) in that time that fails tells its caller and goes on trying: a
 * person's Connect, or a client's POST /connect, never stops the retries.
 * A client id in use (326) while trying is tried again too: a gateway that
 * has not yet seen the old session end still holds its id.
 *
 * Short sessions: a connection lost soon after it became ready (the driver
 * says so) is tried again one backoff step later than the last such loss
 * (the first at step 2): a gateway that drops every few seconds is tried less
 * and less often, not every second forever. A long session, new settings for
 * the endpoint, a disconnect or dispose start the count again.
 *
 * Held: after a person's disconnect, idle stays idle until their connect
 * (commands ask instead of connecting on their own).
 *
 * The client id: the configured one, or the one next-client-id found free
 * (kept through reconnects and unrelated settings, dropped when the
 * configured host, port or client id change); a restart brings it back
 * with prefer-client-id before it connects.
 */
import { describeIbError, LOCAL_CODES } from '../errors';
import type { ConnectionPhase, IbErrorInfo } from '../types';

export type StateName = 'disabled' | 'idle' | 'connecting' | 'ready' | 'waiting-to-retry' | 'retrying' | 'failed';

/** How many client ids next-client-id tries after the current one. */
export const NEXT_CLIENT_ID_TRIES = 32;
const MAX_CLIENT_ID = 2 ** 31 - 1;

export interface MachineState {
  readonly name: StateName;
  /** Reconnect attempt (1-based) while waiting-to-retry or retrying; 0 otherwise. */
  readonly attempt: number;
  /** Why it failed, is retrying, or (autoReconnect off) stopped. */
  readonly error?: IbErrorInfo;
  /** Became ready at least once: a later ready means subscriptions must be re-sent. */
  readonly everReady: boolean;
  readonly autoReconnect: boolean;
  readonly configuredClientId: number;
  /** A free id next-client-id found; used instead of the configured one until that changes. */
  readonly chosenClientId?: number;
  /** The id the current attempt or session uses. */
  readonly clientId: number;
  /** next-client-id in progress: the id it started from (the one in use elsewhere). */
  readonly probeBase?: number;
  /** Idle because a person disconnected: nothing connects again until they connect. */
  readonly held?: boolean;
  /** Trying on its own (see above): a failed attempt is tried again, whoever started it. */
  readonly trying?: boolean;
  /** Connections in a row lost soon after ready: where the backoff starts again after the next loss. */
  readonly shortSessions?: number;
  /** Backoff steps skipped since the last loss (its short sessions): attempt 1 then waits as step 1 + this. */
  readonly backoffFrom?: number;
}

export type MachineEvent =
  | { type: 'connect' }
  /** anyFailure: whatever the failure (the headless bridge); else only a gateway not up yet (502, 9003). */
  | { type: 'keep-trying'; anyFailure?: boolean }
  | { type: 'disconnect' }
  | { type: 'next-client-id' }
  /** A client id found free before and remembered (a restart): the chosen one from now on. */
  | { type: 'prefer-client-id'; clientId: number }
  | { type: 'settings'; enabled: boolean; clientId: number; autoReconnect: boolean; endpointChanged: boolean }
  | { type: 'handshake-done' }
  | { type: 'attempt-failed'; error: IbErrorInfo }
  /** short: the session ended soon after it became ready (the driver's clock says). */
  | { type: 'lost'; error: IbErrorInfo; short?: boolean }
  | { type: 'retry-due' }
  | { type: 'dispose' };

export type Effect =
  /** A fresh client for one attempt, with its handshake time limit. */
  | { type: 'open'; clientId: number }
  /** Ends the current attempt or session: socket, listeners, heartbeat, its timers. */
  | { type: 'close' }
  /** attempt: the count shown (1 first after a loss); step: the backoff's (later after short sessions). */
  | { type: 'schedule-retry'; attempt: number; step: number }
  | { type: 'cancel-retry' }
  /** Ready: start the heartbeat, tell onReady listeners, and onResubscribe when it had been ready before. */
  | { type: 'became-ready'; resubscribe: boolean }
  /** The connect() / next-client-id calls waiting on this attempt: resolve, or reject with the error. */
  | { type: 'settle'; error?: IbErrorInfo }
  /** Waiting calls whose attempt was replaced or stopped: reject as cancelled. */
  | { type: 'cancel-waiters' }
  /** An error a person may need to see (onIbError). */
  | { type: 'report'; error: IbErrorInfo };

export interface Transition {
  state: MachineState;
  effects: Effect[];
}

export function initialState(settings: { enabled: boolean; clientId: number; autoReconnect?: boolean }): MachineState {
  return {
    name: settings.enabled ? 'idle' : 'disabled',
    attempt: 0,
    everReady: false,
    autoReconnect: settings.autoReconnect !== false,
    configuredClientId: settings.clientId,
    clientId: settings.clientId,
  };
}

/** The phase the public status shows for a state. */
export function phaseOf(name: StateName): ConnectionPhase {
  return PHASES[name];
}

const PHASES: Record<StateName, ConnectionPhase> = {
  disabled: 'disabled',
  idle: 'disconnected',
  connecting: 'connecting',
  ready: 'ready',
  'waiting-to-retry': 'reconnecting',
  retrying: 'reconnecting',
  failed: 'failed',
};

/** Failures that mean the gateway is not up yet (not running, or still logging in): worth trying again. */
const GATEWAY_NOT_UP: ReadonlySet<number> = new Set([502, LOCAL_CODES.handshakeTimeout]);

const STOP: Effect[] = [{ type: 'cancel-retry' }, { type: 'close' }, { type: 'cancel-waiters' }];

type Handler<E extends MachineEvent['type']> = (s: MachineState, e: Extract<MachineEvent, { type: E }>) => Transition | undefined;
type Row = { [E in MachineEvent['type']]?: Handler<E> };

const go = (s: MachineState, name: StateName, changes: Partial<MachineState>, effects: Effect[] = []): Transition => ({
  // failed is never trying on its own: only keep-trying starts again from there
  state: { ...s, name, ...changes, ...(name === 'failed' ? { trying: false } : {}) },
  effects,
});

/** The id to use: the chosen one, else the configured one. */
const idOf = (s: MachineState): number => s.chosenClientId ?? s.configuredClientId;

const connectNow: Handler<'connect'> = (s) =>
  go(s, 'connecting', { attempt: 0, error: undefined, clientId: idOf(s), probeBase: undefined, held: false }, [
    { type: 'cancel-retry' },
    { type: 'close' },
    { type: 'open', clientId: idOf(s) },
  ]);

const STOPPED: Partial<MachineState> = { attempt: 0, error: undefined, probeBase: undefined, trying: false, shortSessions: 0 };

const disconnect: Handler<'disconnect'> = (s) => go(s, 'idle', { ...STOPPED, held: true }, STOP);

const nextClientId: Handler<'next-client-id'> = (s) => {
  const base = idOf(s);
  if (base + 1 > MAX_CLIENT_ID) return go(s, 'failed', { error: allInUse(base), probeBase: undefined }, [...STOP, { type: 'settle', error: allInUse(base) }]);
  return go(s, 'connecting', { attempt: 0, error: undefined, clientId: base + 1, probeBase: base, held: false }, [
    ...STOP,
    { type: 'open', clientId: base + 1 },
  ]);
};

const prefer: Handler<'prefer-client-id'> = (s, e) =>
  e.clientId === s.chosenClientId
    ? undefined
    : { state: { ...s, chosenClientId: e.clientId, clientId: s.name === 'idle' ? e.clientId : s.clientId }, effects: [] };

const dispose: Handler<'dispose'> = (s) => go(s, s.name === 'disabled' ? 'disabled' : 'idle', STOPPED, STOP);

/** Settings arrive as one block: enabled, the configured client id, and whether host, port or client id changed. */
const settings: Handler<'settings'> = (s, e) => {
  const next: MachineState = {
    ...s,
    autoReconnect: e.autoReconnect,
    configuredClientId: e.clientId,
    chosenClientId: e.endpointChanged ? undefined : s.chosenClientId,
  };
  if (!e.enabled) return go(next, 'disabled', { ...STOPPED, held: false }, s.name === 'disabled' ? [] : STOP);
  if (s.name === 'disabled') return go(next, 'idle', { clientId: idOf(next) });
  if (e.endpointChanged && s.name !== 'idle') {
    return go(next, 'connecting', { attempt: 0, error: undefined, clientId: idOf(next), probeBase: undefined, shortSessions: 0 }, [
      ...STOP,
      { type: 'open', clientId: idOf(next) },
    ]);
  }
  return { state: s.name === 'idle' ? { ...next, clientId: idOf(next) } : next, effects: [] };
};

const ready = (s: MachineState): Transition =>
  go(
    s,
    'ready',
    {
      attempt: 0,
      error: undefined,
      everReady: true,
      probeBase: undefined,
      trying: false,
      chosenClientId: s.probeBase !== undefined ? s.clientId : s.chosenClientId,
    },
    [{ type: 'became-ready', resubscribe: s.everReady }, { type: 'settle' }],
  );

const retryLater = (s: MachineState, error: IbErrorInfo, effects: Effect[] = []): Transition => {
  const attempt = s.attempt + 1;
  return go(s, 'waiting-to-retry', { attempt, error, trying: true }, [...effects, { type: 'schedule-retry', attempt, step: attempt + (s.backoffFrom ?? 0) }]);
};

/** The table: for each state, the events it answers. An event a state does not list changes nothing. */
export const TABLE: Readonly<Record<StateName, Row>> = {
  disabled: {
    settings,
    'prefer-client-id': prefer,
    dispose,
  },
  idle: {
    connect: connectNow,
    'next-client-id': nextClientId,
    'prefer-client-id': prefer,
    disconnect,
    settings,
    dispose,
  },
  connecting: {
    'handshake-done': ready,
    'attempt-failed': (s, e) => {
      if (s.probeBase !== undefined && e.error.code === 326) {
        const id = s.clientId + 1;
        if (id > s.probeBase + NEXT_CLIENT_ID_TRIES || id > MAX_CLIENT_ID) {
          const error = allInUse(s.probeBase);
          return go(s, 'failed', { error, probeBase: undefined }, [{ type: 'close' }, { type: 'settle', error }]);
        }
        return go(s, 'connecting', { clientId: id }, [{ type: 'close' }, { type: 'open', clientId: id }]);
      }
      const effects: Effect[] = [{ type: 'close' }, { type: 'settle', error: e.error }];
      if (s.trying && s.autoReconnect && !movedAway(e.error)) return retryLater({ ...s, probeBase: undefined }, e.error, effects);
      return go(s, 'failed', { error: e.error, probeBase: undefined }, effects);
    },
    'next-client-id': nextClientId,
    disconnect,
    settings,
    dispose,
  },
  ready: {
    lost: (s, e) => {
      const effects: Effect[] = [{ type: 'close' }, { type: 'report', error: e.error }];
      if (e.error.code === 326 || movedAway(e.error)) return go(s, 'failed', { error: e.error }, effects);
      if (!s.autoReconnect) return go(s, 'idle', { error: e.error, shortSessions: 0 }, effects);
      const shortSessions = e.short ? (s.shortSessions ?? 0) + 1 : 0;
      return retryLater({ ...s, attempt: 0, backoffFrom: shortSessions, shortSessions }, e.error, effects);
    },
    'next-client-id': nextClientId,
    disconnect,
    settings,
    dispose,
  },
  'waiting-to-retry': {
    'retry-due': (s) => go(s, 'retrying', { clientId: idOf(s) }, [{ type: 'open', clientId: idOf(s) }]),
    connect: connectNow,
    'next-client-id': nextClientId,
    disconnect,
    settings,
    dispose,
  },
  retrying: {
    'handshake-done': ready,
    'attempt-failed': (s, e) => {
      if (movedAway(e.error)) return go(s, 'failed', { error: e.error }, [{ type: 'close' }, { type: 'report', error: e.error }]);
      // a client id in use is said once (a person may choose another), then tried again with the rest
      const tell = e.error.code === 326 && s.error?.code !== 326;
      return retryLater(s, e.error, [{ type: 'close' }, ...(tell ? [{ type: 'report', error: e.error } as const] : [])]);
    },
    connect: connectNow,
    'next-client-id': nextClientId,
    disconnect,
    settings,
    dispose,
  },
  failed: {
    connect: connectNow,
    'keep-trying': (s, e) =>
      s.autoReconnect && s.error && !movedAway(s.error) && (e.anyFailure || GATEWAY_NOT_UP.has(s.error.code))
        ? retryLater({ ...s, attempt: 0, backoffFrom: 0 }, s.error)
        : undefined,
    'next-client-id': nextClientId,
    'prefer-client-id': prefer,
    disconnect,
    settings,
    dispose,
  },
};

/** One step: the next state and what the driver must do. Unlisted events leave the state as it is, with no effects. */
export function transition(state: MachineState, event: MachineEvent): Transition {
  const handler = TABLE[state.name][event.type] as Handler<typeof event.type> | undefined;
  return handler?.(state, event as never) ?? { state, effects: [] };
}

function allInUse(base: number): IbErrorInfo {
  return {
    ...describeIbError(326),
    message: `Client ids ${base + 1} to ${base + NEXT_CLIENT_ID_TRIES} are all in use.`,
    action: 'Close other API clients of IB Gateway/TWS, or choose a client id in the settings.',
  };
}

/** TWS moved its API to another port (1300): trying the old one again cannot succeed. */
function movedAway(error: IbErrorInfo): boolean {
  return error.code === 1300;
}
