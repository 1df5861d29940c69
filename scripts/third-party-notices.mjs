// Third-party notices for what the bundles carry: every npm package whose
// code esbuild put into dist/ (read from the builds' metafiles), with its
// version, licence, home and the licence and notice files it ships. The
// bundles drop licence comments (legalComments: 'none'), so this file is what
// carries them into the .vsix (dist/ThirdPartyNotices.txt).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Notices a package asks for but does not ship in its npm tarball.
 * lightweight-charts (Apache-2.0) asks for the attribution notice of its
 * repository's NOTICE file and a link to https://www.tradingview.com/.
 */
const EXTRA_NOTICES = {
  'lightweight-charts':
    'TradingView Lightweight Charts\nCopyright (c) 2023 TradingView, Inc. https://www.tradingview.com/\n\nCharts in this extension are drawn with TradingView Lightweight Charts: https://www.tradingview.com/',
};

const MIT_TEXT = `Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.`;

/** The package folders (relative to the repository) that esbuild's metafiles name as inputs, sorted by package name. */
export function bundledPackages(metafiles) {
  const dirs = new Map();
  for (const meta of metafiles) {
    for (const input of Object.keys(meta.inputs)) {
      const m = input.match(/^(.*node_modules\/(@[^/]+\/[^/]+|[^/@][^/]*))\//);
      if (m) dirs.set(m[1], m[2]);
    }
  }
  return [...dirs].map(([dir, name]) => ({ dir, name })).sort((a, b) => a.name.localeCompare(b.name) || a.dir.localeCompare(b.dir));
}

function authorOf(pkg) {
  const a = pkg.author;
  return typeof a === 'string' ? a : a?.name;
}

function homeOf(pkg) {
  const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  return (
    pkg.homepage ??
    repo
      ?.replace(/^git\+/, '')
      .replace(/^git:\/\//, 'https://')
      .replace(/^git@github\.com:/, 'https://github.com/')
      .replace(/\.git$/, '')
  );
}

/** The licence and notice files a package ships. */
function legalFiles(root, dir) {
  return readdirSync(join(root, dir))
    .filter((f) => /^(licen[cs]e|notice|copying)(\.|-|$)/i.test(f))
    .sort()
    .map((f) => ({ name: f, text: readFileSync(join(root, dir, f), 'utf8').trim() }));
}

/** The text of ThirdPartyNotices.txt for these packages. */
export function noticesText(root, packages) {
  const parts = [
    'IB Gateway for VS Code: third-party notices',
    '',
    'The extension bundles the following open-source packages. Each is listed with',
    'its version, licence and home, followed by the licence and notice texts it',
    'ships (or, where it ships none, the text of the licence it names).',
  ];
  for (const { dir, name } of packages) {
    const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    const files = legalFiles(root, dir);
    parts.push('', '='.repeat(78), `${name} ${pkg.version}`, `Licence: ${pkg.license ?? 'not stated'}`);
    const home = homeOf(pkg);
    if (home) parts.push(`Home: ${home}`);
    const author = authorOf(pkg);
    if (author) parts.push(`Author: ${author}`);
    parts.push('='.repeat(78));
    if (EXTRA_NOTICES[name]) parts.push('', 'NOTICE', '', EXTRA_NOTICES[name]);
    for (const f of files) parts.push('', f.name, '', f.text);
    if (!files.length) {
      if (pkg.license === 'MIT')
        parts.push(
          '',
          `(The package ships no licence file. The MIT License, as its package.json names it:)`,
          '',
          `Copyright (c) ${author ?? `the ${name} authors`}`,
          '',
          MIT_TEXT,
        );
      else
        throw new Error(
          `${name} ${pkg.version} ships no licence file and names ${pkg.license ?? 'no licence'}: add its text to scripts/third-party-notices.mjs`,
        );
    }
  }
  return parts.join('\n') + '\n';
}
