// "Now" on the gateway's clock: measured once per connection from CURRENT_TIME, kept through a
// reconnect whose gateway does not answer yet (never this machine's clock once one was measured).
import * as assert from 'node:assert/strict';
import type { ReadOnlyWire } from '../../src/ib/transport/wire';
import { GatewayClock, measuredOffset } from '../../src/ib/gateway-clock';

function fakeApi(answer: () => Promise<number>): ReadOnlyWire {
  return { currentTime: answer } as unknown as ReadOnlyWire;
}

describe('gateway clock', () => {
  const local = 1_800_000_000_000; // this machine's clock, fixed
  const gatewaySeconds = 1_794_927_600; // Tuesday 17 Nov 2026 15:00 UTC: a simulated gateway weeks behind

  it("is this machine's clock before any gateway answered", async () => {
    const clock = new GatewayClock({ api: undefined }, () => local);
    assert.equal(await clock.now(), local);
  });

  it('measures the offset once per connection and applies it', async () => {
    let asked = 0;
    const session: { api: ReadOnlyWire | undefined } = {
      api: fakeApi(async () => {
        asked++;
        return gatewaySeconds;
      }),
    };
    const clock = new GatewayClock(session, () => local);
    assert.equal(await clock.now(), gatewaySeconds * 1000 + 500);
    assert.equal(await clock.now(), gatewaySeconds * 1000 + 500);
    assert.equal(asked, 1, 'asked once for the same connection');
    assert.equal(clock.nowSync(), gatewaySeconds * 1000 + 500);
  });

  it('keeps the last offset when a new connection does not answer (or answers 0)', async () => {
    const session: { api: ReadOnlyWire | undefined } = { api: fakeApi(async () => gatewaySeconds) };
    const clock = new GatewayClock(session, () => local);
    await clock.now();
    session.api = fakeApi(async () => 0);
    assert.equal(await clock.now(), gatewaySeconds * 1000 + 500);
    session.api = fakeApi(() => Promise.reject(new Error('not connected')));
    assert.equal(await clock.now(), gatewaySeconds * 1000 + 500);
    session.api = undefined;
    assert.equal(await clock.now(), gatewaySeconds * 1000 + 500);
  });

  it('measures again on a new connection that answers (another gateway)', async () => {
    const session: { api: ReadOnlyWire | undefined } = { api: fakeApi(async () => gatewaySeconds) };
    const clock = new GatewayClock(session, () => local);
    await clock.now();
    session.api = fakeApi(async () => local / 1000 - 3);
    assert.equal(await clock.now(), local - 3000 + 500);
  });

  it("applies no offset when the gateway's second holds this machine's time (the clocks agree as far as can be told)", async () => {
    // this machine 17:00:00.700; the gateway answers 17:00:00: the middle of its second would read 0.2 s early
    const session: { api: ReadOnlyWire | undefined } = { api: fakeApi(async () => Math.floor(local / 1000)) };
    const clock = new GatewayClock(session, () => local + 700);
    assert.equal(await clock.now(), local + 700);
    assert.equal(measuredOffset(1_800_000_000, 1_800_000_000_900, 1_800_000_001_100), 0, 'a round trip across the second: still the same clock');
    assert.equal(measuredOffset(1_800_000_005, 1_800_000_000_000, 1_800_000_000_000), 5_500, 'five seconds ahead: the middle of its second');
  });

  it('the edges of the second count: a reply read at the very start of its second, or sent at its very end, is the same clock', () => {
    // the gateway's second 1000 (1_000_000 .. 1_001_000 ms), read by a round trip from 999_000 to 1_000_000: its start is the round trip's end
    assert.equal(measuredOffset(1000, 999_000, 1_000_000), 0);
    // a round trip from 1_001_000 to 1_002_000: the second's end is the round trip's start
    assert.equal(measuredOffset(1000, 1_001_000, 1_002_000), 0);
    // a millisecond beyond either edge: another clock
    assert.notEqual(measuredOffset(1000, 998_999, 999_999), 0);
    assert.notEqual(measuredOffset(1000, 1_001_001, 1_002_001), 0);
  });
});
