// The walkthrough's pictures: drawn in the workbench theme's colours (readable on light,
// dark and high-contrast themes), and showing only what the extension really shows.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ConnectionStatus } from '../../src/ib/types';
import { statusText } from '../../src/vscode/status-view';

const ROOT = resolve(__dirname, '..', '..');

interface Step {
  id: string;
  media: { svg?: string; image?: unknown; altText?: string };
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { walkthroughs: Array<{ steps: Step[] }> };
};
const steps = manifest.contributes.walkthroughs.flatMap((w) => w.steps);

describe('walkthrough pictures', () => {
  it('every step shows an SVG through the "svg" media (the kind that gets the theme colours) with a text for screen readers', () => {
    assert.ok(steps.length >= 4);
    for (const step of steps) {
      assert.equal(step.media.image, undefined, `${step.id}: "image" media cannot follow the theme`);
      assert.match(step.media.svg ?? '', /^media\/walkthrough\/.+\.svg$/, step.id);
      assert.ok((step.media.altText ?? '').length > 10, `${step.id}: altText`);
    }
  });

  for (const step of steps) {
    it(`${step.id}: every colour is a theme colour (a var(--vscode-…) with a fallback), none fixed`, () => {
      const svg = readFileSync(join(ROOT, step.media.svg!), 'utf8');
      const colours = [...svg.matchAll(/\b(fill|stroke|color|stop-color)="([^"]*)"/g)].map((m) => m[2]);
      assert.ok(colours.length > 0);
      const fixed = colours.filter((c) => c !== 'none' && c !== 'currentColor' && !/^var\(--vscode-[\w-]+\b/.test(c));
      assert.deepEqual(fixed, [], `${step.media.svg} has fixed colours`);
    });
  }

  it('the status bar drawn in the connect step is the one a paper account with 4 streaming rows gets', () => {
    const svg = readFileSync(join(ROOT, 'media/walkthrough/connect.svg'), 'utf8');
    const status: ConnectionStatus = {
      phase: 'ready',
      host: '127.0.0.1',
      port: 7497,
      clientId: 1,
      simulated: false,
      accounts: ['DU1234567'],
      mode: 'paper',
      farms: {},
      ibLink: 'ok',
    };
    // the status bar group: its texts in order, the $(pass-filled) icon drawn as a circle between them
    const group = svg.slice(svg.indexOf('<!-- the status bar'));
    const texts = [...group.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    assert.ok(/<circle /.test(group), 'the pass-filled icon');
    assert.equal(`${texts[0]} $(pass-filled) ${texts[1]}`, statusText(status, 4, 0));
  });
});
