import * as assert from 'node:assert/strict';
import { REMAKE_HIDDEN_AFTER_ROWS, REMAKE_SHOWN_AFTER_ROWS, remakeNow, remakesSeamlessly } from '../../src/vscode/watchlist/remake-policy';

describe('when the watchlist view is made again', () => {
  const at = (drawn: number, viewShown: boolean, windowFocused: boolean, seamless = false) => remakeNow({ drawn, viewShown, windowFocused, seamless });

  it('hidden: once it has drawn enough rows to be worth it', () => {
    assert.equal(at(REMAKE_HIDDEN_AFTER_ROWS - 1, false, true), false);
    assert.equal(at(REMAKE_HIDDEN_AFTER_ROWS, false, true), true);
    assert.equal(at(REMAKE_HIDDEN_AFTER_ROWS, false, false), true);
  });

  it('shown in a window in the background: only once much more is kept', () => {
    assert.equal(at(REMAKE_SHOWN_AFTER_ROWS - 1, true, false), false);
    assert.equal(at(REMAKE_SHOWN_AFTER_ROWS, true, false), true);
    assert.ok(REMAKE_SHOWN_AFTER_ROWS > 10 * REMAKE_HIDDEN_AFTER_ROWS);
  });

  it('shown in the window a person works in, where VS Code would build the list anew: never, however much was drawn', () => {
    assert.equal(at(10_000_000, true, true), false);
  });

  it('shown in the window a person works in, where VS Code keeps its list as it was: once much is kept', () => {
    assert.equal(at(REMAKE_SHOWN_AFTER_ROWS - 1, true, true, true), false);
    assert.equal(at(REMAKE_SHOWN_AFTER_ROWS, true, true, true), true);
    assert.equal(at(REMAKE_HIDDEN_AFTER_ROWS, false, true, true), true);
  });

  it('knows which VS Code keeps its list: 1.139 and later', () => {
    assert.equal(remakesSeamlessly('1.100.3'), false);
    assert.equal(remakesSeamlessly('1.138.9'), false);
    assert.equal(remakesSeamlessly('1.139.1'), true);
    assert.equal(remakesSeamlessly('1.140.0-insider'), true);
    assert.equal(remakesSeamlessly('2.0.0'), true);
    assert.equal(remakesSeamlessly('garbage'), false);
  });
});
