/**
 * What the .vsix carries for the extension's details page: VS Code shows the
 * packaged README there, so every image it shows by a relative path must be
 * packaged too (a missing one is a broken picture on the page a user reads
 * first), and so must every file it links to. The file list is vsce's own (`vsce ls`, what `npm run package` packs).
 * That README is README.md without its clone-only parts (scripts/user-readme.mjs): a user reads how to install,
 * configure and use it, not how to run the repository's tests and benchmarks.
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

/** What `npm run package` makes of README.md's text (scripts/user-readme.mjs). */
async function userReadme(): Promise<(text: string) => string> {
  return ((await import(path.join(ROOT, 'scripts', 'user-readme.mjs'))) as { userReadme(text: string): string }).userReadme;
}

/** The README `npm run package` packs. */
async function packedReadme(): Promise<string> {
  return (await userReadme())(readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
}

describe('the .vsix and its README', function () {
  this.timeout(120_000);

  it('packs the README a user reads: how to install, configure and use it, without the clone-only set-up, tests and benchmarks', async () => {
    const readme = await packedReadme();
    const headings = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    for (const kept of [
      'Install',
      'Configure IB Gateway or TWS',
      'Your first quote in a minute',
      'Commands',
      'Settings',
      'The jax bridge',
      'Troubleshooting by error code',
    ])
      assert.ok(headings.includes(kept), `"${kept}" is in the packaged README (${headings.join(', ')})`);
    for (const dropped of ['Set-up in two commands', 'Tests', 'Performance']) assert.ok(!headings.includes(dropped), `"${dropped}" is not`);
    assert.doesNotMatch(readme, /clone-only|npm test\b|npm run bench/, 'no marker, test or bench command left');
    // the whole README keeps them, for a clone
    const whole = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    assert.match(whole, /^## Set-up in two commands$/m);
    assert.match(whole, /^npm test /m);
    // and the package script packs this one
    const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    assert.match(scripts.package, /node scripts\/user-readme\.mjs && vsce package .*--readme-path dist\/README\.md/);
  });

  it('refuses a README whose clone-only marker is out of place, rather than pack it cut short', async () => {
    const strip = await userReadme();
    assert.throws(() => strip('# A\n<!-- clone-only -->\n## Tests\n'), /never closed/);
    assert.throws(() => strip('# A\n<!-- /clone-only -->\n'), /without its/);
    assert.throws(() => strip('<!-- clone-only -->\n<!-- clone-only -->\n<!-- /clone-only -->\n'), /inside another/);
    assert.equal(strip('# A\n\n<!-- clone-only -->\n## Tests\nnpm test\n<!-- /clone-only -->\n\n## B\n'), '# A\n\n## B\n');
  });

  it('packs every image the README shows by a relative path, and no screenshot it does not show', async () => {
    const packed = packedFiles();
    const readme = await packedReadme();
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((u) => !/^[a-z]+:/i.test(u));
    assert.ok(images.length >= 2, `the README shows its screenshots (${images.join(', ')})`);
    for (const image of images) assert.ok(packed.has(image), `${image} is in the .vsix`);
    const screenshots = [...packed].filter((f) => f.startsWith('docs/screenshots/'));
    assert.deepEqual(screenshots.sort(), [...new Set(images)].filter((i) => i.startsWith('docs/screenshots/')).sort(), 'only what the README shows');
  });

  it('packs every file the README links to by a relative path, so no link on the details page is broken', async () => {
    const packed = packedFiles();
    const readme = await packedReadme();
    const links = [...readme.matchAll(/(?<!!)\[[^\]]*\]\(([^)\s#]+)(#[^)\s]*)?\)/g)].map((m) => m[1]).filter((u) => !/^[a-z]+:/i.test(u));
    assert.ok(links.includes('examples/go/ibbridge.go'), `the README links to the Go client (${links.join(', ')})`);
    for (const link of links) assert.ok(packed.has(link), `${link} is in the .vsix (a link to a folder cannot open there: link a file)`);
  });
});
