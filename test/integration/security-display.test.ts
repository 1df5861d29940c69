/**
 * Text a gateway sends reaches the status bar, its tooltip and the log only
 * escaped: an account name with a line break and a fake log entry (here from
 * the simulator's configurable account, over real TCP) cannot forge a line.
 */
import { strict as assert } from 'node:assert';
import { ConnectionManager } from '../../src/ib/connection';
import { logText } from '../../src/ib/text';
import { statusText, statusTooltip } from '../../src/vscode/status-view';
import { startSim, type StartedSim } from './support/sim';
import { simClockAt } from '../support/market-times';

const HOSTILE_ACCOUNT = 'U9999999\n[info] connected to a safe gateway\u001b[2J';

describe('security: gateway text on screen and in the log', function () {
  this.timeout(20000);
  let sim: StartedSim;
  let manager: ConnectionManager;
  const logged: string[] = [];

  before(async () => {
    sim = await startSim({ clock: simClockAt('regularSession'), account: HOSTILE_ACCOUNT });
    const line = (m: string): void => {
      logged.push(m);
    };
    manager = new ConnectionManager(
      { enabled: true, host: sim.host, port: sim.port, clientId: 3, autoReconnect: false },
      { debug: line, info: line, warn: line, error: line },
    );
    await manager.connect();
  });

  after(async () => {
    manager.dispose();
    await sim.stop();
  });

  it('the account really arrives with its line break (the attack is real)', () => {
    assert.deepEqual(manager.status.accounts, [HOSTILE_ACCOUNT]);
  });

  it('the status bar text stays one line with no escape code', () => {
    const text = statusText(manager.status, 0, Date.now());
    assert.ok(!text.includes('\n') && !text.includes('\u001b'), text);
    assert.match(text, /U9999999\\u000a\[info\]/);
  });

  it('the tooltip keeps its table: the account cannot add a row or a line', () => {
    const tip = statusTooltip(manager.status, 0, Date.now());
    const row = tip.split('\n').find((l) => l.startsWith('| Accounts |'));
    assert.ok(row, tip);
    assert.ok(row.includes('U9999999\\\\u000a'), row);
    assert.ok(!tip.includes('\n[info]'), 'no line of the tooltip starts with the injected text');
  });

  it('the log lines that carry it cannot forge an entry', () => {
    const carrying = logged.filter((l) => l.includes('U9999999'));
    assert.ok(carrying.length > 0, 'the ready line names the account');
    for (const l of carrying) {
      const safe = logText(l).split('\n');
      assert.ok(
        safe.slice(1).every((x) => x.startsWith('    ')),
        safe.join('\n'),
      );
      assert.ok(!safe.join('\n').includes('\u001b'));
    }
  });
});
