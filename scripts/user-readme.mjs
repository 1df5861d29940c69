// The README the .vsix carries, which VS Code shows on the extension's details
// page: README.md without what only a clone of the repository needs (its
// set-up and test commands, the benchmarks). Those parts sit between
// `<!-- clone-only -->` and `<!-- /clone-only -->` lines in README.md.
// `npm run package` writes it to dist/README.md and packs it as the README.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const START = '<!-- clone-only -->';
const END = '<!-- /clone-only -->';

/** README.md's text without its clone-only parts; a marker out of place is an error, not a README cut short. */
export function userReadme(text) {
  const out = [];
  let inside = 0;
  text.split('\n').forEach((line, i) => {
    const marker = line.trim();
    if (marker === START) {
      if (inside) throw new Error(`README.md:${i + 1}: ${START} inside another (from line ${inside})`);
      inside = i + 1;
    } else if (marker === END) {
      if (!inside) throw new Error(`README.md:${i + 1}: ${END} without its ${START}`);
      inside = 0;
    } else if (!inside) out.push(line);
  });
  if (inside) throw new Error(`README.md:${inside}: ${START} is never closed`);
  // no run of blank lines where a part was
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const target = join(root, 'dist', 'README.md');
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, userReadme(readFileSync(join(root, 'README.md'), 'utf8')));
}
