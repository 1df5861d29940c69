/**
 * Run in a child process by the security tests: connects one ConnectionManager
 * to the host and port in argv, then, from a timer, prints one JSON line:
 * the outcome, and every environment variable the connection added or
 * changed. A client whose event loop froze never prints it.
 *
 *   node --require tsx/cjs connect-child.ts <host> <port>
 */
import { ConnectionManager } from '../../../src/ib/connection';
import type { IbErrorInfo } from '../../../src/ib/types';

const [host, portText] = process.argv.slice(2);
const before = new Map(Object.entries(process.env));
const manager = new ConnectionManager({ enabled: true, host, port: Number(portText), clientId: 7, autoReconnect: false, connectTimeoutMs: 8000 });

function report(outcome: 'ready' | 'failed', error?: IbErrorInfo): void {
  // A timer, not the promise: it proves the event loop still turns.
  setTimeout(() => {
    const envChanges = Object.entries(process.env)
      .filter(([k, v]) => before.get(k) !== v)
      .map(([k]) => k);
    process.stdout.write(
      `${JSON.stringify({ outcome, code: error?.code, message: error?.message, raw: error?.raw, phase: manager.status.phase, envChanges })}\n`,
    );
    manager.dispose();
    process.exit(0);
  }, 20);
}

manager.connect().then(
  () => report('ready'),
  (e: unknown) => report('failed', (e as { info?: IbErrorInfo }).info),
);
