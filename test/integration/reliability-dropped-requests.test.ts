/**
 * Requests waiting for their answer when the connection drops, over real TCP
 * against the simulator (its replies held back by a delay or a stall, on a
 * fake clock): each fails saying why the connection ended (the gateway sent
 * something unreadable, closed the socket, stopped answering), not with a
 * bare "not connected". The code stays 504, so live lines and series are
 * sent again on the next ready as before.
 */
import { strict as assert } from 'node:assert';
import { CandleService } from '../../src/ib/candles';
import { ContractService } from '../../src/ib/contracts';
import { describeIbError, IbError } from '../../src/ib/errors';
import { startSim, type StartedSim } from './support/sim';
import { connectSession, MARKET_OPEN, type TestSession } from './support/session';
import { waitUntil } from '../support/wait';
import { fakeTime, type FakeTime } from '../support/fake-time';
import { frame } from './replay/replayer';
import { relay as startRelay, type Relay } from './support/relay';

const REQ_HISTORICAL_DATA = 20;
const REQ_MATCHING_SYMBOLS = 81;
const UNREADABLE = /^The connection to IB Gateway\/TWS was reset before the answer came, because the gateway sent a message that could not be read\.$/;

/** How a promise ended: the error it failed with, or a note that it did not fail. */
function outcome(p: Promise<unknown>): { error?: unknown; done: boolean } {
  const o: { error?: unknown; done: boolean } = { done: false };
  p.then(
    () => Object.assign(o, { done: true, error: new Error('it succeeded') }),
    (e: unknown) => Object.assign(o, { done: true, error: e }),
  );
  return o;
}

function assertEndedBecause(o: { error?: unknown }, what: string, message: RegExp): IbError {
  const e = o.error;
  assert.ok(e instanceof IbError, `${what}: ${String(e)}`);
  assert.equal(e.info.code, 504, `${what}: still "not connected" by code, so live requests are sent again on the next ready`);
  assert.equal(e.info.category, 'connectivity');
  assert.match(e.message, message, `${what}: ${e.message}`);
  assert.notEqual(e.message, describeIbError(504).message, `${what}: not the bare "not connected"`);
  assert.match(e.info.action, /^[A-Z].*\.$/);
  return e;
}

describe('reliability: requests in flight when the connection drops say why', function () {
  this.timeout(30_000);
  let time: FakeTime;
  let sim: StartedSim;
  let session: TestSession | undefined;
  let relay: Relay | undefined;
  let candles: CandleService | undefined;

  beforeEach(async () => {
    time = fakeTime(MARKET_OPEN);
    sim = await startSim({ clock: { start: MARKET_OPEN }, limits: { historicalPacing: false }, scheduler: time.scheduler });
  });

  afterEach(async () => {
    candles?.dispose();
    candles = undefined;
    await session?.close();
    session = undefined;
    await relay?.close();
    relay = undefined;
    await sim.stop();
  });

  /**
   * Connected (directly or through `port`), AAPL resolved; then `hold` makes
   * the gateway hold its replies back, and a history fetch and a symbol
   * search are sent and wait.
   */
  async function waitingOn(hold: () => void, o: { port?: number; heartbeatIntervalMs?: number } = {}) {
    session = await connectSession(o.port ?? sim.port, 63, { clock: time.clock, heartbeatIntervalMs: o.heartbeatIntervalMs });
    // time limits (on the fake clock) far past the heartbeat's: only the drop can end the requests
    const contracts = new ContractService(session.manager, undefined, { timeoutMs: 60_000 });
    candles = new CandleService(session.manager, contracts, undefined, { timeoutMs: 60_000 });
    await contracts.resolve('AAPL');
    hold();
    const sent = (id: number) => sim.server.receivedMessageIds().get(id) ?? 0;
    const before = [sent(REQ_HISTORICAL_DATA), sent(REQ_MATCHING_SYMBOLS)];
    const history = outcome(candles.fetch({ symbol: 'AAPL', barSize: '1 day', duration: '1 M' }));
    const search = outcome(contracts.search('MICRO'));
    await waitUntil('both requests at the gateway', () => (sent(REQ_HISTORICAL_DATA) > before[0] && sent(REQ_MATCHING_SYMBOLS) > before[1]) || undefined);
    assert.equal(history.done || search.done, false, 'both still waiting');
    return { history, search, manager: session.manager };
  }

  it('a garbled frame (a message cut short): the history fetch and the symbol search say the gateway sent an unreadable message', async () => {
    const { history, search, manager } = await waitingOn(() => sim.server.faults.delayReplies(60_000));
    sim.server.faults.garble();
    await waitUntil('both failed', () => (history.done && search.done) || undefined);
    assertEndedBecause(history, 'history', UNREADABLE);
    assertEndedBecause(search, 'search', UNREADABLE);
    assert.equal(manager.status.phase, 'reconnecting', 'the connection is being reset');
  });

  const badLength = Buffer.alloc(8);
  badLength.writeInt32BE(-4);
  // SYMBOL_SAMPLES with a text where its count goes: the library's decoder throws (the decoder guard's case)
  const throwsInDecoder = frame(['79', '1', 'not a count']);
  // 300,000 empty fields in 300 KB: the library's decoder would take seconds on it (each field shifted off an array)
  const tooManyFields = frame(['79', ...new Array<string>(300_000).fill('')]);
  for (const [name, bytes, reason] of [
    ['a frame with an impossible length (the stream is corrupt)', badLength, undefined],
    ["a message the client library's decoder throws on", throwsInDecoder, undefined],
    ['a message of 300,000 fields (past what the extension reads in one message)', tooManyFields, /message of 300001 fields .* the stream is corrupt/],
  ] as const) {
    it(`${name}: the same words`, async () => {
      relay = await startRelay(sim.port);
      const { history, search } = await waitingOn(() => sim.server.faults.delayReplies(60_000), { port: relay.port });
      relay.inject(bytes);
      await waitUntil('both failed', () => (history.done && search.done) || undefined);
      assertEndedBecause(history, 'history', UNREADABLE);
      assertEndedBecause(search, 'search', UNREADABLE);
      // why, in the log's words: read as too long before the library decodes a field of it
      if (reason)
        assert.ok(
          session!.seen.some((e) => reason.test(e.message)),
          JSON.stringify(session!.seen.map((e) => e.message.slice(0, 200))),
        );
    });
  }

  it('the gateway closing the socket: they say the connection closed, and nothing about an unreadable message', async () => {
    const { history, search } = await waitingOn(() => sim.server.faults.delayReplies(60_000));
    sim.server.faults.dropAll();
    await waitUntil('both failed', () => (history.done && search.done) || undefined);
    for (const [what, o] of [['history', history] as const, ['search', search] as const]) {
      const e = assertEndedBecause(o, what, /^The connection to IB Gateway\/TWS closed before the answer came\.$/);
      assert.doesNotMatch(e.message, /could not be read|reset/);
    }
  });

  it('a silent gateway (the heartbeat gets no answer): they say the gateway stopped answering', async () => {
    // connected first, then silent: the requests and the heartbeat's current-time request get no reply
    const { history, search } = await waitingOn(() => sim.server.faults.stall(120_000), { heartbeatIntervalMs: 300 });
    await time.advanceUntil('both failed', () => (history.done && search.done) || undefined, { maxMs: 20_000 });
    for (const [what, o] of [['history', history] as const, ['search', search] as const]) {
      assertEndedBecause(o, what, /^The connection to IB Gateway\/TWS was reset before the answer came, because the gateway stopped answering\.$/);
    }
  });
});
