import { strict as assert } from 'node:assert';
import { clipped, escapeMarkdown, logText, markdownCode, MAX_MESSAGE_TEXT, plainText, printable, quoted } from '../../src/ib/text';

const ESC = '\u001b';

describe('text from outside', () => {
  it('printable: control characters, C1 controls and bidi overrides become visible escapes', () => {
    assert.equal(printable(`a\nb${ESC}[31mc\u0085d\u202ee`), 'a\\u000ab\\u001b[31mc\\u0085d\\u202ee');
    assert.equal(printable('DU1234567 ü €'), 'DU1234567 ü €');
  });

  it('quoted: printable and short', () => {
    assert.equal(quoted('x\ny'), '"x\\u000ay"');
    assert.equal(quoted('z'.repeat(100)), `"${'z'.repeat(37)}..."`);
  });

  it('logText: a gateway text cannot forge a log line nor colour the output', () => {
    const forged = logText(`Order rejected\n2026-11-17 10:00:00.000 [info] connected to a safe gateway\r\n${ESC}[2Jcleared`);
    const lines = forged.split('\n');
    assert.equal(lines[0], 'Order rejected');
    assert.ok(
      lines.slice(1).every((l) => l.startsWith('    ')),
      forged,
    );
    assert.ok(!forged.includes(ESC) && !forged.includes('\r'));
  });

  it('escapeMarkdown: no link, image, HTML, table cell, icon or line break of its own', () => {
    const md = escapeMarkdown('U1\n| x | [a](command:evil) ![i](http://x/i.png) <b>$(bug)`c`');
    assert.ok(!md.includes('\n'));
    assert.ok(!/(^|[^\\])[[\]()|<>`$]/.test(md), md);
  });

  it('markdownCode: a backtick cannot end the code span, a pipe cannot split the table cell', () => {
    assert.equal(markdownCode('h`o|st:1'), "`h'o\\|st:1`");
  });

  it('clipped: a gateway text of 900 KB (a decoding error quoting the message it choked on) is kept to its start and its length', () => {
    const huge = `Underrun: ${'\0'.repeat(900_000)}`;
    const c = clipped(huge);
    assert.ok(c.length < MAX_MESSAGE_TEXT + 50, String(c.length));
    assert.ok(c.startsWith('Underrun: ') && c.endsWith(`... (${huge.length} characters in all)`));
    assert.equal(clipped('short'), 'short');
  });

  it('plainText: no [text](target) link and no $(icon) in a notification or the status bar', () => {
    const t = plainText('see [here](command:workbench.action.terminal.new) $(bug)\nnext');
    assert.ok(!t.includes('](') && !t.includes('$(') && !t.includes('\n'), t);
  });
});
