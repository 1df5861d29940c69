/**
 * The .vsix carries the licences of everything bundled into it: the build
 * writes dist/ThirdPartyNotices.txt from esbuild's metafiles, and vsce packs
 * it. The packages are found here independently (the nearest package.json
 * above each bundled file), so a package the generator misses fails the test.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** The npm package (name, folder) a bundled file belongs to: the nearest package.json with a name, below node_modules. */
function owningPackage(file: string): { name: string; dir: string } | undefined {
  for (let dir = path.dirname(path.resolve(ROOT, file)); dir.includes(`${path.sep}node_modules${path.sep}`); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name;
    if (name && dir.endsWith(`node_modules${path.sep}${name.split('/').join(path.sep)}`)) return { name, dir };
  }
  return undefined;
}

describe('third-party notices in the .vsix', function () {
  this.timeout(120000);
  let notices: string;
  const bundled = new Map<string, string>();

  before(() => {
    const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
    notices = readFileSync(path.join(ROOT, 'dist', 'ThirdPartyNotices.txt'), 'utf8');
    const metafiles = JSON.parse(readFileSync(path.join(ROOT, 'dist', 'bundle-inputs.json'), 'utf8')) as Array<{ inputs: Record<string, unknown> }>;
    for (const meta of metafiles) {
      for (const input of Object.keys(meta.inputs)) {
        const pkg = owningPackage(input);
        if (pkg) bundled.set(pkg.name, pkg.dir);
      }
    }
  });

  it('covers every bundled package with its version and the licence texts it ships', () => {
    assert.ok(bundled.size >= 5, `bundled packages: ${[...bundled.keys()].join(', ')}`);
    for (const [name, dir] of bundled) {
      const { version, license } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string; license: string };
      assert.ok(notices.includes(`\n${name} ${version}\nLicence: ${license}\n`), `${name} ${version} is listed`);
      for (const f of readdirSync(dir).filter((x) => /^(licen[cs]e|notice)/i.test(x))) {
        assert.ok(notices.includes(readFileSync(path.join(dir, f), 'utf8').trim()), `${name}: the text of ${f} is included`);
      }
    }
  });

  it('carries the notices the Apache-2.0 packages ask for: lightweight-charts with a link to TradingView', () => {
    assert.ok(bundled.has('lightweight-charts'));
    assert.match(notices, /TradingView Lightweight Charts\nCopyright \(c\) 2023 TradingView, Inc\. https:\/\/www\.tradingview\.com\//);
    assert.match(notices, /Apache License\s+Version 2\.0/);
  });

  it("bundles @stoqey/ib's IBApi without RxJS (IBApiNext is not used)", () => {
    assert.ok(bundled.has('@stoqey/ib'));
    assert.ok(!bundled.has('rxjs'), [...bundled.keys()].join(', '));
  });

  it('bundles no dotenv: the client library can never load a .env', () => {
    assert.ok(!bundled.has('dotenv'), 'dotenv is replaced by a stub in dist/ib.js');
  });

  it('is in the package vsce builds', () => {
    const ls = spawnSync(process.execPath, [require.resolve('@vscode/vsce/vsce'), 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(ls.status, 0, ls.stderr);
    assert.ok(ls.stdout.split('\n').includes('dist/ThirdPartyNotices.txt'), ls.stdout);
  });
});
