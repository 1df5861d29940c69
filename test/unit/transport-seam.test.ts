/**
 * One seam to @stoqey/ib: only src/ib/transport loads or calls the library,
 * and the lint rule that says so really fails elsewhere.
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

describe('transport: the one seam to @stoqey/ib', function () {
  this.timeout(60_000);

  it('outside src/ib/transport, the product names the library only in type imports', () => {
    const product = [...files('src/ib'), ...files('src/vscode'), ...files('src/bridge'), 'src/extension.ts'].filter(
      (f) => !f.startsWith(join('src', 'ib', 'transport')),
    );
    const offenders = product.filter((f) => {
      const text = readFileSync(f, 'utf8');
      return /^import\s+(?!type\b)[^;]*from\s+'@stoqey\/ib/m.test(text) || /require\('@stoqey\/ib/.test(text);
    });
    assert.deepEqual(offenders, []);
  });

  it('lint refuses a value import or a require of the library outside the transport, and lets types through', async () => {
    // the probes are not on disk, so without the type-aware parser options (they need a file of a tsconfig project)
    const eslint = new ESLint({
      overrideConfig: {
        languageOptions: { parserOptions: { projectService: false, project: null } },
        rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
      },
    });
    const lint = async (code: string, filePath: string): Promise<string[]> => {
      const [result] = await eslint.lintText(code, { filePath });
      return result.messages
        .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
        .map((m) => m.message);
    };
    const valueImport = "import { IBApi } from '@stoqey/ib';\nexport const a = IBApi;\n";
    const required = "export const a: unknown = require('@stoqey/ib');\n";
    const typeImport = "import type { Contract } from '@stoqey/ib';\nexport const a: Contract = {};\n";
    for (const where of ['src/ib/quotes/probe.ts', 'src/vscode/probe.ts', 'src/bridge/probe.ts']) {
      assert.equal((await lint(valueImport, where)).length, 1, where);
      assert.equal((await lint(required, where)).length, 1, where);
      assert.deepEqual(await lint(typeImport, where), [], where);
    }
    assert.deepEqual(await lint(valueImport, 'src/ib/transport/probe.ts'), []);
  });
});
