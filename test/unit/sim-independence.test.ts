/**
 * The simulator is an oracle: it imports nothing from the extension's domain
 * (src/ib) nor VS Code, and the lint rule that says so really fails.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('sim: independence from the domain', function () {
  this.timeout(60_000);

  it('no file under src/sim imports src/ib or vscode', () => {
    const offenders = files('src/sim').filter((f) => /from\s+'(vscode|(\.{1,2}\/)+(src\/)?ib(\/[^']*)?)'/.test(readFileSync(f, 'utf8')));
    assert.deepEqual(offenders, []);
  });

  it('lint refuses a simulator file that imports the domain or vscode, and lets @stoqey/ib-like names and its own modules through', async () => {
    // the probe is not on disk, so without the type-aware parser options (they need a file of a tsconfig project)
    const eslint = new ESLint({
      overrideConfig: {
        languageOptions: { parserOptions: { projectService: false, project: null } },
        rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
      },
    });
    const lint = async (code: string): Promise<string[]> => {
      const [result] = await eslint.lintText(code, { filePath: 'src/sim/handlers/probe.ts' });
      return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
    };
    assert.equal((await lint("import { BAR_SIZES } from '../../ib/bar-sizes';\nexport const a = BAR_SIZES;\n")).length, 1);
    assert.equal((await lint("import * as vscode from 'vscode';\nexport const a = vscode;\n")).length, 1);
    assert.deepEqual(await lint("import { WHAT_TO_SHOW } from '../facts/historical-rules';\nexport const a = WHAT_TO_SHOW;\n"), []);
    assert.deepEqual(await lint("import { EventName } from '@stoqey/ib';\nexport const a = EventName;\n"), []);
  });
});
