import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describeIbError, LOCAL_CODES } from '../../src/ib/errors';

describe("the extension's own codes", () => {
  const readme = readFileSync(path.join(__dirname, '../../README.md'), 'utf8');

  it("each is in the README's troubleshooting table, with a sentence and an action of its own, said as the extension's", () => {
    for (const [name, code] of Object.entries(LOCAL_CODES)) {
      assert.ok(readme.includes(`\n| ${code} | `), `${name} (${code}) has no row in the README's table`);
      const info = describeIbError(code);
      assert.equal(info.source, 'local', name);
      assert.doesNotMatch(info.message, /reported error|sent a notice|had a problem/, `${name} falls back to the generic sentence`);
      assert.ok(info.action.length > 10, name);
    }
  });

  it('are in a block IB does not use', () => {
    for (const code of Object.values(LOCAL_CODES)) assert.ok(code >= 9001 && code < 10000, String(code));
  });
});
