import * as assert from 'node:assert/strict';
import { REMAKE_HIDDEN_AFTER_ROWS, REMAKE_UNSEEN_AFTER_ROWS, remakeNow } from '../../src/vscode/watchlist/remake-policy';

describe('when the watchlist view is made again', () => {
  it('hidden: once it has drawn enough rows to be worth it', () => {
    assert.equal(remakeNow({ drawn: REMAKE_HIDDEN_AFTER_ROWS - 1, viewShown: false, windowFocused: true }), false);
    assert.equal(remakeNow({ drawn: REMAKE_HIDDEN_AFTER_ROWS, viewShown: false, windowFocused: true }), true);
    assert.equal(remakeNow({ drawn: REMAKE_HIDDEN_AFTER_ROWS, viewShown: false, windowFocused: false }), true);
  });

  it('shown in a window in the background: only once much more is kept', () => {
    assert.equal(remakeNow({ drawn: REMAKE_UNSEEN_AFTER_ROWS - 1, viewShown: true, windowFocused: false }), false);
    assert.equal(remakeNow({ drawn: REMAKE_UNSEEN_AFTER_ROWS, viewShown: true, windowFocused: false }), true);
    assert.ok(REMAKE_UNSEEN_AFTER_ROWS > 10 * REMAKE_HIDDEN_AFTER_ROWS);
  });

  it('shown in the window a person works in: never, however much was drawn', () => {
    assert.equal(remakeNow({ drawn: 10_000_000, viewShown: true, windowFocused: true }), false);
  });
});
