// Text in a watchlist row's hover: shown as written, wrapping at its spaces (never a no-break space, which made a
// long line break inside a word), and never read as Markdown, HTML or an icon.
import { strict as assert } from 'node:assert';
import { markdownText } from '../../src/vscode/markdown-text';

describe('text in a Markdown hover', () => {
  it('keeps its spaces as spaces', () => {
    const text = 'ES Sep 2026 (ESU6) expired on 2026-09-18, its last trade day: Use the front month instead.';
    assert.equal(markdownText(text), text);
    assert.doesNotMatch(markdownText(text), /&nbsp;|\u00a0/);
  });

  it('escapes what Markdown, HTML or an icon would take', () => {
    assert.equal(markdownText('a *b* _c_ `d` [e](f) | g ~h~'), 'a \\*b\\* \\_c\\_ \\`d\\` \\[e\\](f) \\| g \\~h\\~');
    assert.equal(markdownText('$(error) <b>x</b>'), '\\$(error) &lt;b&gt;x&lt;/b&gt;');
    assert.equal(markdownText('AT&T &lt;b&gt;'), 'AT&amp;T &amp;lt;b&amp;gt;', 'an entity in a name is shown as written');
    assert.equal(markdownText('- not a list'), '\\- not a list');
    assert.equal(markdownText('# not a heading'), '\\# not a heading');
    assert.equal(markdownText('1. not a list'), '1\\. not a list');
    assert.equal(markdownText('C:\\path'), 'C:\\\\path');
    assert.equal(markdownText('two\nlines'), 'two lines');
  });
});
