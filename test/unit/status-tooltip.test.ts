// The status bar's tooltip counts the symbols streaming, and says where the
// ones past the watchlist's come from (open charts, the bridge): a count above
// the watchlist's rows read as a mistake.
import * as assert from 'node:assert/strict';
import type { ConnectionStatus } from '../../src/ib/types';
import { statusText, statusTooltip } from '../../src/vscode/status-view';

const READY = { phase: 'ready', host: '127.0.0.1', port: 7497, clientId: 1, farms: {}, ibLink: 'ok' } as unknown as ConnectionStatus;
const streamingRow = (tip: string) => tip.split('\n').find((l) => l.startsWith('| Streaming |'));

describe('status tooltip: streaming', () => {
  it('as many as the watchlist holds: the count alone', () => {
    assert.equal(streamingRow(statusTooltip(READY, 6, 0, 6)), '| Streaming | 6 symbols |');
    assert.equal(streamingRow(statusTooltip(READY, 1, 0)), '| Streaming | 1 symbol |');
  });

  it('more than the watchlist holds: the others are for open charts or the bridge', () => {
    assert.equal(streamingRow(statusTooltip(READY, 7, 0, 6)), '| Streaming | 7 symbols: 6 in the watchlist, the others for open charts or the bridge |');
  });
});

describe('status tooltip: connected since', () => {
  it("names the zone of the time (this computer's)", () => {
    const since = Date.UTC(2026, 11, 4, 22, 37, 1);
    const row = statusTooltip({ ...READY, connectedSince: since }, 0, since)
      .split('\n')
      .find((l) => l.startsWith('| Connected since |'));
    const zone = new Intl.DateTimeFormat(undefined, { timeZoneName: 'short' }).formatToParts(new Date(since)).find((p) => p.type === 'timeZoneName')?.value;
    assert.ok(zone);
    assert.match(row ?? '', new RegExp(`^\\| Connected since \\| 2026-12-0[45] \\d\\d:\\d\\d:\\d\\d ${zone.replace('+', '\\+')} \\|$`));
  });
});

describe('status text: a client id in use (326)', () => {
  const clash = { code: 326, message: 'Client id 1 is in use.' } as ConnectionStatus['error'];

  it('says the id is in use while it is tried again, with the countdown, not a bare "reconnecting"', () => {
    const st = { ...READY, phase: 'reconnecting', attempt: 3, nextAttemptAt: 5000, error: clash } as ConnectionStatus;
    assert.equal(statusText(st, 0, 0), 'IB $(sync~spin) client id 1 in use (attempt 3, 5s)');
    assert.equal(statusText({ ...st, error: undefined }, 0, 0), 'IB $(sync~spin) reconnecting (attempt 3, 5s)');
  });

  it('says it when it stopped on it', () => {
    assert.equal(statusText({ ...READY, phase: 'failed', clientId: 4, error: clash } as ConnectionStatus, 0, 0), 'IB $(error) client id 4 in use (326)');
  });
});
