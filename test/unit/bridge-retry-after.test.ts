// A 503 says when to ask again (Retry-After) while the bridge is doing
// something about the gateway: the next reconnect attempt, an attempt under
// way, IB's own link coming back; nothing when nobody is trying.
import * as assert from 'node:assert/strict';
import { HttpError } from '../../src/bridge/http-errors';
import { requireServable } from '../../src/bridge/stream-status';
import type { ConnectionStatus } from '../../src/ib/types';

const NOW = Date.UTC(2026, 10, 17, 15, 0, 0);

function refusal(s: Partial<ConnectionStatus>): HttpError {
  const status = { phase: 'ready', host: '127.0.0.1', port: 4002, clientId: 1, farms: {}, ...s } as ConnectionStatus;
  try {
    requireServable(status, NOW);
  } catch (e) {
    assert.ok(e instanceof HttpError);
    return e;
  }
  assert.fail('served');
}

describe('bridge: Retry-After on a 503', () => {
  it('while reconnecting: the seconds to the next attempt, rounded up, and the handshake after it', () => {
    const e = refusal({ phase: 'reconnecting', attempt: 3, nextAttemptAt: NOW + 4_200 });
    assert.equal(e.status, 503);
    assert.equal(e.retryAfterSeconds, 5 + 2);
    // an attempt due now (or late): a second at least, plus the handshake
    assert.equal(refusal({ phase: 'reconnecting', nextAttemptAt: NOW - 500 }).retryAfterSeconds, 1 + 2);
  });

  it("connecting: the handshake; IB's link lost (1100): ten seconds; disconnected or failed: none", () => {
    assert.equal(refusal({ phase: 'connecting' }).retryAfterSeconds, 2);
    assert.equal(refusal({ phase: 'ready', ibLink: 'lost' }).retryAfterSeconds, 10);
    assert.equal(refusal({ phase: 'disconnected' }).retryAfterSeconds, undefined);
    assert.equal(refusal({ phase: 'failed' }).retryAfterSeconds, undefined);
  });
});
