// The mocha entry the extension host loads (extensionTestsPath): runs every
// compiled suite/**/*.test.js next to this folder. Used by both launchers
// (code-server in a browser, and @vscode/test-electron).
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

function testFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.js'))
    .sort()
    .map((f) => join(dir, f));
}

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    reporter: 'spec',
    timeout: Number(process.env.IB_TEST_TIMEOUT_MS || 60_000),
    grep: process.env.IB_TEST_GREP || undefined,
  });
  const suiteDir = resolve(__dirname, '..', 'suite');
  const files = testFiles(suiteDir);
  for (const f of files) mocha.addFile(f);
  return new Promise((resolveRun, reject) => {
    try {
      mocha.run((failures) => {
        if (files.length === 0) reject(new Error(`no test files in ${suiteDir}`));
        else if (failures > 0) reject(new Error(`${failures} test(s) failed`));
        else resolveRun();
      });
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
