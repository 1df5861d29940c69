/**
 * Runs connect-child.ts in its own process (so a frozen event loop there
 * cannot freeze the test run) and returns the line it prints.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

export interface ChildReport {
  outcome: 'ready' | 'failed';
  code?: number;
  message?: string;
  raw?: string;
  phase: string;
  envChanges: string[];
}

const SCRIPT = path.join(__dirname, 'connect-child.ts');

/** Connects from a child process with working directory `cwd`; rejects when it prints nothing within `timeoutMs` (its event loop froze). */
export function connectFromChild(host: string, port: number, cwd: string, timeoutMs = 20000): Promise<ChildReport> {
  // Absolute path: `--require` resolves from the child's working directory, which is a bare temp folder.
  const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), SCRIPT, host, String(port)], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the client printed nothing within ${timeoutMs} ms: its event loop is frozen\n${err}`));
    }, timeoutMs);
    child.on('exit', () => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as ChildReport);
      else reject(new Error(`the client exited without a report\n${out}\n${err}`));
    });
  });
}
