/**
 * What the .vsix carries for the extension's details page: VS Code shows the
 * packaged README there, so every image it shows by a relative path must be
 * packaged too (a missing one is a broken picture on the page a user reads
 * first), and so must every file it links to. The file list is vsce's own (`vsce ls`, what `npm run package` packs).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** The files `npm run package` packs, as vsce lists them. */
function packedFiles(): Set<string> {
  const ls = spawnSync(process.execPath, [require.resolve('@vscode/vsce/vsce'), 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(ls.status, 0, ls.stderr);
  return new Set(
    ls.stdout
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean),
  );
}

describe('the .vsix and its README', function () {
  this.timeout(120_000);

  it('packs every image the README shows by a relative path, and no screenshot it does not show', () => {
    const packed = packedFiles();
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((u) => !/^[a-z]+:/i.test(u));
    assert.ok(images.length >= 2, `the README shows its screenshots (${images.join(', ')})`);
    for (const image of images) assert.ok(packed.has(image), `${image} is in the .vsix`);
    const screenshots = [...packed].filter((f) => f.startsWith('docs/screenshots/'));
    assert.deepEqual(screenshots.sort(), [...new Set(images)].filter((i) => i.startsWith('docs/screenshots/')).sort(), 'only what the README shows');
  });

  it('packs every file the README links to by a relative path, so no link on the details page is broken', () => {
    const packed = packedFiles();
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/(?<!!)\[[^\]]*\]\(([^)\s#]+)(#[^)\s]*)?\)/g)].map((m) => m[1]).filter((u) => !/^[a-z]+:/i.test(u));
    assert.ok(links.includes('docs/performance.md'), `the README links to its notes (${links.join(', ')})`);
    for (const link of links) assert.ok(packed.has(link), `${link} is in the .vsix (a link to a folder cannot open there: link a file)`);
  });
});
