/**
 * What the .vsix carries for the extension's details page. VS Code shows the
 * packaged README there with no base address, loading only https: and data:
 * pictures and opening only http(s) and mailto links: so the packed README
 * carries its screenshots inline and names a packed file by its path rather
 * than linking to it. The file list is vsce's own (`vsce ls`, what `npm run package` packs).
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
type Strip = (text: string, readImage?: (file: string) => Buffer) => string;
async function userReadme(): Promise<Strip> {
  return ((await import(path.join(ROOT, 'scripts', 'user-readme.mjs'))) as { userReadme: Strip }).userReadme;
}

/** The README `npm run package` packs. */
async function packedReadme(): Promise<string> {
  return (await userReadme())(readFileSync(path.join(ROOT, 'README.md'), 'utf8'), (file) => readFileSync(path.join(ROOT, file)));
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

  it('shows its screenshots inline, as the details page can load them (no picture by a path), and packs no screenshot file', async () => {
    const readme = await packedReadme();
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
    assert.ok(images.length >= 2, 'the README shows its screenshots');
    for (const image of images) assert.match(image.slice(0, 40), /^(data:image\/png;base64,|https:)/, 'a picture the details page loads');
    // each is the screenshot README.md shows, byte for byte
    const shown = [...readFileSync(path.join(ROOT, 'README.md'), 'utf8').matchAll(/!\[[^\]]*\]\((docs\/[^)\s]+)\)/g)].map((m) => m[1]);
    assert.deepEqual(
      images.map((i) => Buffer.from(i.slice(i.indexOf(',') + 1), 'base64')),
      shown.map((f) => readFileSync(path.join(ROOT, f))),
    );
    assert.deepEqual(
      [...packedFiles()].filter((f) => f.startsWith('docs/')),
      [],
    );
    const strip = await userReadme();
    assert.throws(() => strip('![x](a.svg)', () => Buffer.alloc(1)), /cannot be inlined/);
  });

  it('links to nothing the details page cannot open: a packed file is named by its path in the extension folder', async () => {
    const packed = packedFiles();
    const readme = await packedReadme();
    const links = [...readme.matchAll(/(?<!!)\[[^\]]*\]\(([^)\s#]+)(#[^)\s]*)?\)/g)].map((m) => m[1]);
    for (const link of links) assert.match(link, /^(https?|mailto):/, `${link} opens from the details page`);
    const named = [...readme.matchAll(/in the extension's folder: `([^`]+)`/g)].map((m) => m[1]);
    assert.deepEqual(named, ['examples/go/ibbridge.go']);
    for (const file of named) assert.ok(packed.has(file), `${file}, named as in the extension's folder, is packed`);
    assert.ok(packed.has('examples/go/ibbridge.go') && packed.has('examples/go/go.mod'), 'the Go client is packed');
    assert.ok(!packed.has('dist/sim.js'), "the simulator's command line runs from a clone, not from the extension");
  });
});
