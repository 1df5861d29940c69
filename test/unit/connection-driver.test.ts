/**
 * ConnectionManager's timings on a fake clock, with a fake transport standing
 * in for @stoqey/ib: handshake limit, accounts grace, heartbeat, backoff, and
 * what each transition tells the outside. Milliseconds of real time.
 */
import { strict as assert } from 'node:assert';
import { createClock } from '@sinonjs/fake-timers';
import { ConnectionManager } from '../../src/ib/connection';
import { ACCOUNTS_GRACE_MS } from '../../src/ib/connection/attempt';
import { FARM_CALM_MS } from '../../src/ib/connection/farm-calm';
import type { Clock } from '../../src/ib/clock';
import type { ClientEvents, TwsClient } from '../../src/ib/transport/client';
import type { Transport } from '../../src/ib/transport/tws-transport';
import type { ReadOnlyWire } from '../../src/ib/transport/wire';
import { describeIbError, IbError, LOCAL_CODES } from '../../src/ib/errors';
import { timeoutInfo } from '../../src/ib/contracts/failures';
import type { ConnectionSettings, ConnectionStatus, IbErrorInfo } from '../../src/ib/types';
import { marketTime } from '../support/market-times';

const START = marketTime('regularSession');

/** One client the manager made: what it was asked, and the gateway's side to drive. */
class FakeClient implements TwsClient {
  connectedAs: number | undefined;
  closed = false;
  /** Heartbeats asked; each waits for answerTime() unless autoAnswer. */
  timeRequests = 0;
  autoAnswer = true;
  /** The next heartbeat fails at once with this (then they are answered again). */
  failNextTime: IbError | undefined;
  private pendingTime: Array<() => void> = [];
  accountsAsked = 0;
  readonly wire: ReadOnlyWire;

  constructor(
    readonly host: string,
    readonly port: number,
    private readonly events: ClientEvents,
    clock: Clock,
  ) {
    this.wire = {
      // as the real wire: not answered within its time limit (from the send; no queue here), it fails with 9006
      currentTime: (timeoutMs: number) => {
        this.timeRequests++;
        const failure = this.failNextTime;
        this.failNextTime = undefined;
        if (failure) return Promise.reject(failure);
        if (this.autoAnswer) return Promise.resolve(START / 1000);
        return new Promise<number>((resolve, reject) => {
          this.pendingTime.push(() => resolve(START / 1000));
          clock.setTimeout(() => reject(new IbError(timeoutInfo('current-time request', timeoutMs))), timeoutMs);
        });
      },
    } as unknown as ReadOnlyWire;
  }

  requestAccounts(): void {
    this.accountsAsked++;
  }

  connect(clientId: number): void {
    this.connectedAs = clientId;
  }

  close(): void {
    this.closed = true;
  }

  handshake(accounts: string[] | null = ['DU1234567']): void {
    this.events.server(193, '20261117 10:00:00 US/Eastern');
    if (accounts) this.events.managedAccounts(accounts);
    this.events.nextValidId();
  }

  accountsLater(accounts: string[]): void {
    this.events.managedAccounts(accounts);
  }

  notice(code: number, message: string): void {
    this.events.info(message, code);
  }

  refuse(): void {
    this.events.error('connect ECONNREFUSED', 502, -1);
    this.events.disconnected();
  }

  drop(): void {
    this.events.disconnected();
  }

  answerTime(): void {
    for (const r of this.pendingTime.splice(0)) r();
  }
}

function setup(extra: Partial<ConnectionSettings> = {}) {
  const fake = createClock(START);
  const clock: Clock = { now: () => fake.now, setTimeout: (fn, ms) => fake.setTimeout(fn, ms), clearTimeout: (h) => fake.clearTimeout(h as number) };
  const clients: FakeClient[] = [];
  const transport: Transport = (host, port, events) => {
    const c = new FakeClient(host, port, events, clock);
    clients.push(c);
    return c;
  };
  const settings: ConnectionSettings = {
    enabled: true,
    host: '127.0.0.1',
    port: 4002,
    clientId: 7,
    reconnectInitialDelayMs: 1000,
    reconnectMaxDelayMs: 8000,
    heartbeatIntervalMs: 10_000,
    heartbeatTimeoutMs: 5000,
    connectTimeoutMs: 10_000,
    ...extra,
  };
  const m = new ConnectionManager(settings, undefined, { clock, transport, random: () => 1 });
  const statuses: ConnectionStatus[] = [];
  const errors: IbErrorInfo[] = [];
  const resubscribes: string[] = [];
  let readies = 0;
  m.onStatus((s) => statuses.push(s));
  m.onIbError((e) => errors.push(e));
  m.onResubscribe((r) => resubscribes.push(r));
  m.onReady(() => readies++);
  const last = (): FakeClient => clients[clients.length - 1];
  return { fake, m, clients, last, statuses, errors, resubscribes, readies: () => readies, settings };
}

async function connected(t: ReturnType<typeof setup>): Promise<void> {
  const p = t.m.connect();
  t.last().handshake();
  await p;
}

describe('ConnectionManager on a fake clock', () => {
  it('is ready on NEXT_VALID_ID when the accounts came first, with the status of the session', async () => {
    const t = setup();
    await connected(t);
    assert.equal(t.m.state, 'ready');
    const s = t.m.status;
    assert.deepEqual(
      [s.phase, s.clientId, s.serverVersion, s.serverTime, s.accounts, s.mode, s.connectedSince],
      ['ready', 7, 193, '20261117 10:00:00 US/Eastern', ['DU1234567'], 'paper', START],
    );
    assert.equal(t.last().connectedAs, 7);
    assert.deepEqual(
      t.statuses.map((x) => x.phase),
      ['connecting', 'ready'],
    );
    assert.equal(t.readies(), 1);
  });

  it(`waits ${ACCOUNTS_GRACE_MS} ms after NEXT_VALID_ID for the accounts, then is ready without them`, async () => {
    const t = setup();
    const p = t.m.connect();
    t.last().handshake(null);
    assert.equal(t.last().accountsAsked, 1, 'asks for the accounts');
    await t.fake.tickAsync(ACCOUNTS_GRACE_MS - 1);
    assert.equal(t.m.state, 'connecting');
    await t.fake.tickAsync(1);
    await p;
    assert.equal(t.m.state, 'ready');
    assert.deepEqual(t.m.status.accounts, []);
    assert.equal(t.m.status.mode, 'paper', 'port 4002 without accounts');
  });

  it('gives up a handshake at connectTimeoutMs exactly, closes the client and says why', async () => {
    const t = setup({ connectTimeoutMs: 3000 });
    const p = t.m.connect();
    const rejected = assert.rejects(
      p,
      (e: unknown) =>
        e instanceof IbError &&
        e.info.code === LOCAL_CODES.handshakeTimeout &&
        e.info.source === 'local' &&
        /did not complete the API handshake within 3 s/.test(e.info.message),
    );
    await t.fake.tickAsync(2999);
    assert.equal(t.m.state, 'connecting');
    assert.equal(t.last().closed, false);
    await t.fake.tickAsync(1);
    await rejected;
    assert.equal(t.m.state, 'failed');
    assert.equal(t.last().closed, true);
    await t.fake.tickAsync(60_000);
    assert.equal(t.clients.length, 1, 'a failed connect does not retry on its own');
  });

  it('a refused connection fails with 502; keepTrying retries with the backoff, 1 s, 2 s, 4 s, 8 s, 8 s', async () => {
    const t = setup();
    const p = t.m.connect();
    t.last().refuse();
    await assert.rejects(p, (e: unknown) => e instanceof IbError && e.info.code === 502);
    assert.equal(t.m.keepTrying(), true);
    const delays: number[] = [];
    for (const expected of [1000, 2000, 4000, 8000, 8000]) {
      const s = t.m.status;
      assert.equal(s.phase, 'reconnecting');
      assert.equal(t.m.state, 'waiting-to-retry');
      const delay = (s.nextAttemptAt ?? 0) - t.fake.now;
      delays.push(delay);
      const before = t.clients.length;
      await t.fake.tickAsync(delay - 1);
      assert.equal(t.clients.length, before, `no attempt before ${expected} ms`);
      await t.fake.tickAsync(1);
      assert.equal(t.clients.length, before + 1);
      assert.equal(t.m.state, 'retrying');
      t.last().refuse();
    }
    assert.deepEqual(delays, [1000, 2000, 4000, 8000, 8000]);
    assert.deepEqual(
      t.statuses
        .filter((s) => s.phase === 'reconnecting')
        .map((s) => s.attempt)
        .filter((a, i, all) => all.indexOf(a) === i),
      [1, 2, 3, 4, 5, 6],
    );
    t.last().handshake();
    await t.fake.tickAsync(delays[4]);
    t.last().handshake();
    assert.equal(t.m.state, 'ready');
    assert.equal(t.m.status.attempt, undefined);
    assert.deepEqual(t.resubscribes, [], 'never ready before: nothing to re-send');
  });

  it("a person's Connect while reconnecting that fails: the caller hears it, keepTrying says the retries go on, and they do", async () => {
    const t = setup();
    await connected(t);
    t.last().drop();
    assert.equal(t.m.state, 'waiting-to-retry');
    const p = t.m.connect();
    t.last().refuse();
    await assert.rejects(p, (e: unknown) => e instanceof IbError && e.info.code === 502);
    assert.equal(t.m.state, 'waiting-to-retry', 'still trying');
    assert.equal(t.m.keepTrying(), true, 'the editor says "trying again in the background", with Stop Trying');
    const before = t.clients.length;
    await t.fake.tickAsync(2000);
    assert.equal(t.clients.length, before + 1, 'the next attempt came by itself');
    t.last().handshake();
    await t.fake.tickAsync(0);
    assert.equal(t.m.state, 'ready');
  });

  it('a gateway still logging in (the socket taken, no handshake): 9003, and keepTrying retries it with the backoff', async () => {
    const t = setup({ connectTimeoutMs: 1000 });
    const p = t.m.connect();
    const rejected = assert.rejects(p, (e: unknown) => e instanceof IbError && e.info.code === LOCAL_CODES.handshakeTimeout);
    await t.fake.tickAsync(1000);
    await rejected;
    assert.equal(t.m.state, 'failed');
    assert.equal(t.m.keepTrying(), true, 'worth trying again: the gateway is not up yet');
    assert.equal(t.m.state, 'waiting-to-retry');
    // the backoff's first step: 1 s (random 1)
    await t.fake.tickAsync(999);
    assert.equal(t.clients.length, 1);
    await t.fake.tickAsync(1);
    assert.equal(t.clients.length, 2, 'a second attempt');
    t.last().handshake();
    await t.fake.tickAsync(0);
    assert.equal(t.m.state, 'ready');
  });

  it('a port that is not a TCP port is refused before any socket, with a code of its own', async () => {
    const t = setup({ port: 70_000 });
    await assert.rejects(t.m.connect(), (e: unknown) => e instanceof IbError && e.info.code === LOCAL_CODES.badPort && e.info.source === 'local');
    assert.equal(t.last().connectedAs, undefined, 'no socket opened');
    assert.equal(t.m.keepTrying(), false, 'nothing to wait for');
  });

  it('a failed manual connect: disconnect stops the retries for good', async () => {
    const t = setup();
    const p = t.m.connect();
    t.last().refuse();
    await assert.rejects(p);
    t.m.keepTrying();
    await t.m.disconnect();
    assert.equal(t.m.state, 'idle');
    await t.fake.tickAsync(120_000);
    assert.equal(t.clients.length, 1);
  });

  it('heartbeat: a current-time request every interval; no answer within the timeout loses the session and reconnects', async () => {
    const t = setup({ heartbeatIntervalMs: 10_000, heartbeatTimeoutMs: 5000 });
    await connected(t);
    const first = t.last();
    await t.fake.tickAsync(9_999);
    assert.equal(first.timeRequests, 0);
    await t.fake.tickAsync(1);
    assert.equal(first.timeRequests, 1);
    await t.fake.tickAsync(10_000);
    assert.equal(first.timeRequests, 2, 'answered: the next one an interval later');
    first.autoAnswer = false;
    await t.fake.tickAsync(10_000);
    assert.equal(first.timeRequests, 3);
    await t.fake.tickAsync(4_999);
    assert.equal(t.m.state, 'ready');
    await t.fake.tickAsync(1);
    assert.equal(t.m.state, 'waiting-to-retry');
    assert.equal(first.closed, true);
    assert.match(t.m.status.error?.message ?? '', /stopped answering \(no reply within 5 s\)/);
    assert.deepEqual([t.m.status.error?.code, t.m.status.error?.source], [LOCAL_CODES.gatewaySilent, 'local']);
    assert.ok(t.errors.some((e) => /stopped answering/.test(e.message)));
    first.answerTime(); // a late answer changes nothing
    // lost 35 s after ready, sooner than stableSessionMs (60 s): a short session, tried again at the backoff's
    // second step (2 s with random 1), not its first (1 s)
    await t.fake.tickAsync(1999);
    assert.equal(t.clients.length, 1, 'no attempt at the first step');
    await t.fake.tickAsync(1);
    assert.equal(t.clients.length, 2);
    t.last().handshake();
    await t.fake.tickAsync(0);
    assert.equal(t.m.state, 'ready');
    assert.equal(t.readies(), 2);
    assert.deepEqual(t.resubscribes, ['reconnected']);
  });

  for (const [after, delay] of [
    [59_999, 2000],
    [60_000, 1000],
    [61_000, 1000],
  ]) {
    it(`a session lost ${after / 1000} s after ready is tried again ${delay / 1000} s later (short below 60 s: one backoff step later)`, async () => {
      const t = setup();
      await connected(t);
      await t.fake.tickAsync(after);
      assert.equal(t.m.state, 'ready');
      t.last().drop();
      assert.equal(t.m.state, 'waiting-to-retry');
      await t.fake.tickAsync(delay - 1);
      assert.equal(t.clients.length, 1, `no attempt before ${delay} ms`);
      await t.fake.tickAsync(1);
      assert.equal(t.clients.length, 2);
    });
  }

  it('heartbeat: a request that fails for another reason than no answer (9007) is no silence: the session stays, the next beat an interval later', async () => {
    const t = setup({ heartbeatIntervalMs: 10_000, heartbeatTimeoutMs: 5000 });
    await connected(t);
    const first = t.last();
    first.failNextTime = new IbError(describeIbError(LOCAL_CODES.requestFailed, 'the library could not send the request'));
    await t.fake.tickAsync(10_000);
    assert.equal(first.timeRequests, 1);
    assert.equal(t.m.state, 'ready');
    assert.equal(first.closed, false);
    await t.fake.tickAsync(9_999);
    assert.equal(first.timeRequests, 1);
    await t.fake.tickAsync(1);
    assert.equal(first.timeRequests, 2, 'the next beat one interval after the failed one');
    await t.fake.tickAsync(60_000);
    assert.deepEqual([t.m.state, t.clients.length], ['ready', 1]);
  });

  it('a drop with automatic reconnection off ends disconnected with the reason', async () => {
    const t = setup({ autoReconnect: false });
    await connected(t);
    t.last().drop();
    assert.equal(t.m.state, 'idle');
    assert.equal(t.m.status.phase, 'disconnected');
    assert.match(t.m.status.error?.message ?? '', /was closed/);
    await t.fake.tickAsync(60_000);
    assert.equal(t.clients.length, 1);
  });

  it('a clash (326) during a session fails without retrying', async () => {
    const t = setup();
    await connected(t);
    t.last().notice(326, 'Unable to connect as the client id is already in use.');
    assert.equal(t.m.state, 'failed');
    assert.equal(t.m.status.error?.code, 326);
    await t.fake.tickAsync(60_000);
    assert.equal(t.clients.length, 1);
  });

  it('Use Next Client Id: 10 taken too, 11 is ready and kept through settings that do not touch the endpoint', async () => {
    const t = setup({ clientId: 9 });
    const p = t.m.connect();
    t.last().notice(326, 'in use');
    await assert.rejects(p, /in use/);
    const next = t.m.useNextClientId();
    assert.equal(t.last().connectedAs, 10);
    assert.equal(t.m.status.clientId, 10, 'the status shows the id being tried');
    t.last().notice(326, 'in use');
    assert.equal(t.last().connectedAs, 11);
    t.last().handshake();
    await next;
    assert.deepEqual([t.m.state, t.m.status.clientId], ['ready', 11]);
    const n = t.statuses.length;
    await t.m.updateSettings({ ...t.settings, clientId: 9, heartbeatIntervalMs: 20_000 });
    assert.deepEqual([t.m.state, t.m.status.clientId], ['ready', 11]);
    assert.deepEqual(
      t.statuses.slice(n).map((s) => s.phase),
      ['ready'],
      'one status with the new facts, no reconnect',
    );
    t.last().drop();
    await t.fake.tickAsync(1000);
    assert.equal(t.last().connectedAs, 11, 'the reconnect uses the chosen id');
  });

  it("a farm down before IB's link went is shown up again when the 1102 that ends it names it connected (no 2104 after it)", async () => {
    const t = setup();
    await connected(t);
    t.last().notice(2103, 'Market data farm connection is broken:usfarm.nj');
    t.last().notice(1100, 'Connectivity between IB and Trader Workstation has been lost.');
    await t.fake.tickAsync(0);
    assert.equal(t.m.status.farms['usfarm.nj'], 'broken');
    t.last().notice(
      1102,
      'Connectivity between IB and Trader Workstation has been restored - data maintained. The following farms are connected: usfarm.nj; secdefnj. The following farms are not connected: ushmds.',
    );
    await t.fake.tickAsync(0);
    assert.deepEqual([t.m.status.ibLink, t.m.status.farms['usfarm.nj'], t.m.status.farms.secdefnj], ['ok', 'ok', 'ok']);
    assert.equal(t.m.status.farms.ushmds, undefined, 'a farm said not connected is left as it was');
    await t.fake.tickAsync(FARM_CALM_MS);
    assert.deepEqual(t.resubscribes, [], 'data maintained: nothing sent again');
  });

  it('a flood of farm notices: farms capped, one status and one resubscribe per turn', async () => {
    const t = setup();
    await connected(t);
    t.last().notice(2103, 'Market data farm connection is broken:usfarm');
    await t.fake.tickAsync(0);
    const n = t.statuses.length;
    const c = t.last();
    for (let i = 0; i < 10_000; i++) {
      c.notice(2104, `Market data farm connection is OK:farm${i}`);
      c.notice(i % 2 ? 2104 : 2103, 'Market data farm connection is OK:usfarm');
    }
    c.notice(2104, 'Market data farm connection is OK:usfarm');
    await t.fake.tickAsync(0);
    assert.equal(t.statuses.length - n, 1, 'one status for the whole turn');
    assert.equal(Object.keys(t.m.status.farms).length, 32);
    assert.equal(t.m.status.farms.usfarm, 'ok');
    // the lines are sent again once the farms stay calm
    assert.deepEqual(t.resubscribes, []);
    await t.fake.tickAsync(FARM_CALM_MS);
    assert.deepEqual(t.resubscribes, ['data farm usfarm is back']);
    assert.deepEqual(
      t.errors.filter((e) => e.code === 2103 || e.code === 2104).map((e) => [e.code, e.raw]),
      [
        [2103, 'Market data farm connection is broken:usfarm'],
        [2104, 'Market data farm connection is OK:usfarm'],
      ],
      'the broken farm, then its last word of the turn: OK again',
    );
  });

  it('a flapping farm: one resubscribe once it stays calm, not one per blip (each resends every line)', async () => {
    const t = setup();
    await connected(t);
    const c = t.last();
    // a blip every 500 ms for 10 s
    for (let i = 0; i < 20; i++) {
      c.notice(2103, 'Market data farm connection is broken:usfarm');
      await t.fake.tickAsync(100);
      c.notice(2104, 'Market data farm connection is OK:usfarm');
      await t.fake.tickAsync(400);
    }
    assert.deepEqual(t.resubscribes, [], 'none while it flaps');
    await t.fake.tickAsync(FARM_CALM_MS);
    assert.deepEqual(t.resubscribes, ['data farm usfarm is back']);
    await t.fake.tickAsync(60_000);
    assert.equal(t.resubscribes.length, 1);
    assert.equal(t.m.state, 'ready');
  });

  it("IB's link (1100, 1101) and late accounts change the status; 1101 asks for one resubscribe, after a calm", async () => {
    const t = setup();
    const p = t.m.connect();
    t.last().handshake(null);
    await t.fake.tickAsync(ACCOUNTS_GRACE_MS);
    await p;
    t.last().notice(1100, 'Connectivity between IB and Trader Workstation has been lost.');
    await t.fake.tickAsync(0);
    assert.deepEqual([t.m.status.phase, t.m.status.ibLink], ['ready', 'lost']);
    t.last().notice(1101, 'Connectivity between IB and Trader Workstation has been restored - data lost.');
    t.last().accountsLater(['U1234567']);
    await t.fake.tickAsync(0);
    assert.deepEqual([t.m.status.ibLink, t.m.status.accounts, t.m.status.mode], ['ok', ['U1234567'], 'live']);
    // after a calm: a gateway repeating 1101 gets one resend, not one per notice
    assert.deepEqual(t.resubscribes, []);
    t.last().notice(1101, 'Connectivity between IB and Trader Workstation has been restored - data lost.');
    await t.fake.tickAsync(FARM_CALM_MS);
    assert.deepEqual(t.resubscribes, ['IB connectivity restored, data lost (1101)']);
    assert.deepEqual(
      t.errors.map((e) => e.code),
      [1100, 1101, 1101],
    );
  });

  it('reports reach a person in the order IB sent them, farm reports batched or not', async () => {
    const t = setup();
    await connected(t);
    t.last().notice(2103, 'Market data farm connection is broken:usfarm');
    t.last().notice(1100, 'Connectivity between IB and Trader Workstation has been lost.');
    t.last().notice(2105, 'HMDS data farm connection is broken:ushmds');
    await t.fake.tickAsync(0);
    assert.deepEqual(
      t.errors.map((e) => e.code),
      [2103, 1100, 2105],
    );
  });

  it('turning IB off while connecting cancels the attempt and says disabled; on again waits for a connect', async () => {
    const t = setup();
    const p = t.m.connect();
    await t.m.updateSettings({ ...t.settings, enabled: false });
    await assert.rejects(p, /cancelled/);
    assert.deepEqual([t.m.state, t.m.status.phase, t.last().closed], ['disabled', 'disabled', true]);
    await assert.rejects(t.m.connect(), /disabled/);
    await t.m.updateSettings({ ...t.settings });
    assert.equal(t.m.state, 'idle');
    await t.fake.tickAsync(60_000);
    assert.equal(t.clients.length, 1);
  });

  it('no attempt on its own: after a refused or clashing connect, after Disconnect, after dispose while retrying', async () => {
    const refused = setup();
    const p = refused.m.connect();
    refused.last().refuse();
    await assert.rejects(p);
    const clash = setup();
    const q = clash.m.connect();
    clash.last().notice(326, 'in use');
    await assert.rejects(q, /in use/);
    const stopped = setup();
    await connected(stopped);
    await stopped.m.disconnect();
    const disposed = setup();
    await connected(disposed);
    disposed.last().drop();
    assert.equal(disposed.m.state, 'waiting-to-retry');
    const published = disposed.statuses.length;
    disposed.m.dispose();
    for (const t of [refused, clash, stopped, disposed]) await t.fake.tickAsync(10 * 60_000);
    assert.deepEqual(
      [refused, clash, stopped, disposed].map((t) => [t.m.state, t.clients.length]),
      [
        ['failed', 1],
        ['failed', 1],
        ['idle', 1],
        ['idle', 1],
      ],
    );
    assert.equal(disposed.statuses.length, published, 'nothing published after dispose');
    assert.equal(disposed.m.api, undefined);
  });

  it('disconnect and dispose cancel a pending connect, and nothing is published after dispose', async () => {
    const t = setup();
    const p = t.m.connect();
    const joined = t.m.connect();
    await t.m.disconnect();
    await assert.rejects(p, (e: unknown) => e instanceof IbError && e.info.code === LOCAL_CODES.cancelled && /cancelled/.test(e.message));
    await assert.rejects(joined, /cancelled/);
    assert.equal(t.last().closed, true);
    const q = t.m.connect();
    const n = t.statuses.length;
    t.m.dispose();
    await assert.rejects(q, /cancelled/);
    assert.equal(t.statuses.length, n);
    await t.fake.tickAsync(60_000);
    assert.equal(t.clients.length, 2);
  });
});
