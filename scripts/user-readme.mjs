// The README the .vsix carries, which VS Code shows on the extension's details
// page: README.md without what only a clone of the repository needs (its
// set-up and test commands, the benchmarks). Those parts sit between
// `<!-- clone-only -->` and `<!-- /clone-only -->` lines in README.md.
// `npm run package` writes it to dist/README.md and packs it as the README.
//
// VS Code's details page shows that README with no base address and loads
// only https: and data: images, and it opens only http(s) and mailto links:
// a picture by a relative path is a broken image there, a relative link opens
// nothing. So the packed README carries its pictures inline (data: URIs), and
// a relative link becomes the file's path in the installed extension's folder.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const START = '<!-- clone-only -->';
const END = '<!-- /clone-only -->';

const MIME = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif' };

/**
 * README.md's text without its clone-only parts, its relative pictures inline (read by `readImage(path)`: bytes)
 * and its relative links as paths; a marker out of place, or a picture that cannot be inlined, is an error.
 */
export function userReadme(text, readImage) {
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
  const kept = out.join('\n').replace(/\n{3,}/g, '\n\n');
  const isRelative = (url) => !/^[a-z][a-z0-9+.-]*:/i.test(url) && !url.startsWith('#');
  return kept
    .replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, (whole, alt, url) => {
      if (!isRelative(url)) return whole;
      const type = MIME[url.split('.').pop().toLowerCase()];
      if (!type || !readImage) throw new Error(`README.md: the picture ${url} cannot be inlined (png, jpg or gif, read from the repository)`);
      return `![${alt}](data:${type};base64,${Buffer.from(readImage(url)).toString('base64')})`;
    })
    .replace(/(?<!!)\[([^\]]*)\]\(([^)\s#]+)(#[^)\s]*)?\)/g, (whole, label, url) =>
      isRelative(url) ? `${label} (in the extension's folder: \`${url}\`)` : whole,
    );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const target = join(root, 'dist', 'README.md');
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(
    target,
    userReadme(readFileSync(join(root, 'README.md'), 'utf8'), (path) => readFileSync(join(root, path))),
  );
}
