// Compiles the in-editor mocha suite for the extension host: the runner
// (test/extension/runner/index.ts) and every test/extension/suite/**/*.test.ts,
// each bundled with the project sources it imports into out/test/extension/.
// npm packages and `vscode` stay external (resolved at run time from
// node_modules and from the extension host).
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './install.mjs';

export const outDir = join(repoRoot, 'out', 'test', 'extension');
export const runnerPath = join(outDir, 'runner', 'index');

export async function compileExtensionTests() {
  const base = join(repoRoot, 'test', 'extension');
  const suiteDir = join(base, 'suite');
  const tests = readdirSync(suiteDir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join(suiteDir, f));
  rmSync(outDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [join(base, 'runner', 'index.ts'), ...tests],
    outdir: outDir,
    outbase: base,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    external: ['vscode'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  console.log(`[vscode] compiled the runner and ${tests.length} test file(s): ${tests.map((t) => relative(suiteDir, t)).join(', ')}`);
  return { runnerPath, tests };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  await compileExtensionTests();
}
