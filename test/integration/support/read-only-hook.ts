/**
 * Read-only, proven across the whole integration run: every SimServer started
 * during the run is watched (SimServer.prototype.start and stop are wrapped
 * here, the simulator itself is unchanged), the message ids it receives are
 * read after every test and when it stops, and the run fails at the end if
 * any order-placing, -modifying or -cancelling message reached a simulator
 * (the suite runs its files in two worker processes: the end of each file's
 * run, in its worker, is that end for the file).
 *
 * The only exceptions are tests that send orders on purpose, to prove the
 * simulator refuses them. They are exempt by one of two explicit marks:
 *   - the test's full title is listed in ORDER_PROBE_TESTS below, or its
 *     title contains "[sends orders]";
 *   - the test hands its server to allowOrderMessages(server).
 * Messages that arrive outside a test (in before/after hooks) are never exempt.
 *
 * Loaded as a mocha root-hook plugin from test/.mocharc.integration.json.
 */
import type { Context, RootHookObject } from 'mocha';
import { SimServer } from '../../../src/sim/server';

/**
 * Client message ids (@stoqey/ib's OUT_MSG_ID) that change orders or the
 * account: PLACE_ORDER (also used to modify an order), CANCEL_ORDER,
 * REQ_AUTO_OPEN_ORDERS (with autoBind it takes over orders placed in TWS),
 * REPLACE_FA (rewrites the account's allocation groups), EXERCISE_OPTIONS and
 * REQ_GLOBAL_CANCEL. Nothing else in the enum changes anything at IB.
 */
export const ORDER_CHANGING_IDS: ReadonlyMap<number, string> = new Map([
  [3, 'PLACE_ORDER'],
  [4, 'CANCEL_ORDER'],
  [15, 'REQ_AUTO_OPEN_ORDERS'],
  [19, 'REPLACE_FA'],
  [21, 'EXERCISE_OPTIONS'],
  [58, 'REQ_GLOBAL_CANCEL'],
]);

/** Tests (by full title) that send orders on purpose to prove the simulator refuses them. */
export const ORDER_PROBE_TESTS: readonly string[] = ['sim: handshake and sessions refuses order messages: the account is read-only (321)'];

const SENDS_ORDERS_MARK = '[sends orders]';

export interface OrderMessage {
  /** The test (full title) or hook during which the messages arrived. */
  during: string;
  exempt: boolean;
  messageId: number;
  name: string;
  count: number;
}

interface Watched {
  /** Counts already accounted for. */
  baseline: Map<number, number>;
  stopped: boolean;
}

const watched = new Map<SimServer, Watched>();
const allowed = new WeakSet<SimServer>();
const seen: OrderMessage[] = [];
let serversSeen = 0;
let current: { title: string; exempt: boolean } | undefined;

/** Marks a server whose order messages are sent on purpose (a refusal test); they are recorded, not failed. */
export function allowOrderMessages(server: SimServer): void {
  allowed.add(server);
}

/** Every order-changing message recorded so far (exempt ones included). */
export function orderMessagesSeen(): readonly OrderMessage[] {
  return seen;
}

/** How many simulators the run has watched so far. */
export function watchedServerCount(): number {
  return serversSeen;
}

/** Reads what a server received since the last look and records any order-changing message. */
function checkpoint(server: SimServer, w: Watched): void {
  const now = server.receivedMessageIds();
  for (const [id, name] of ORDER_CHANGING_IDS) {
    const delta = (now.get(id) ?? 0) - (w.baseline.get(id) ?? 0);
    if (delta <= 0) continue;
    const during = current?.title ?? 'a before/after hook (outside any test)';
    const exempt = allowed.has(server) || (current?.exempt ?? false);
    seen.push({ during, exempt, messageId: id, name, count: delta });
  }
  w.baseline = now;
}

function checkpointAll(): void {
  for (const [server, w] of watched) {
    checkpoint(server, w);
    if (w.stopped) watched.delete(server);
  }
}

type Start = SimServer['start'];
type Stop = SimServer['stop'];
const originalStart: Start = SimServer.prototype.start;
const originalStop: Stop = SimServer.prototype.stop;

SimServer.prototype.start = async function (this: SimServer): ReturnType<Start> {
  if (!watched.has(this)) {
    watched.set(this, { baseline: this.receivedMessageIds(), stopped: false });
    serversSeen++;
  }
  return originalStart.call(this);
};

SimServer.prototype.stop = async function (this: SimServer): ReturnType<Stop> {
  await originalStop.call(this);
  const w = watched.get(this);
  if (w) {
    checkpoint(this, w);
    w.stopped = true;
    watched.delete(this);
  }
};

function describeTest(ctx: Context): { title: string; exempt: boolean } | undefined {
  const test = ctx.currentTest;
  if (!test) return undefined;
  const title = test.fullTitle();
  return { title, exempt: ORDER_PROBE_TESTS.includes(title) || title.includes(SENDS_ORDERS_MARK) };
}

export const mochaHooks: RootHookObject = {
  beforeEach(this: Context) {
    // whatever arrived since the last test belongs to hooks, never exempt
    current = undefined;
    checkpointAll();
    current = describeTest(this);
  },
  afterEach() {
    // runs after the test's own afterEach hooks, so servers they stop are already counted
    checkpointAll();
    current = undefined;
  },
  afterAll() {
    checkpointAll();
    const bad = seen.filter((m) => !m.exempt);
    const exempt = seen.filter((m) => m.exempt);
    if (process.env.READ_ONLY_LOG) {
      console.log(`    read-only check: ${serversSeen} simulator(s) watched, ${exempt.length} deliberate order message group(s) refused`);
    }
    if (bad.length > 0) {
      const lines = bad.map((m) => `  ${m.name} (${m.messageId}) x${m.count} during "${m.during}"`);
      throw new Error(`read-only violated: order-changing messages reached the simulator:\n${lines.join('\n')}`);
    }
  },
};
