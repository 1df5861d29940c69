import { strict as assert } from 'node:assert';
import { install } from '@sinonjs/fake-timers';
import { onQuickInputOpening, QUICK_INPUT_CALM_MS, quickInputOpening, showWhenCalm } from '../../src/vscode/quick-input-calm';

describe('quick inputs wait for the watchlist to be calm', () => {
  let clock: ReturnType<typeof install>;
  const subs: Array<{ dispose(): void }> = [];

  beforeEach(() => {
    clock = install({ toFake: ['setTimeout', 'clearTimeout'] });
  });

  afterEach(() => {
    for (const s of subs.splice(0)) s.dispose();
    clock.uninstall();
  });

  it('every listener hears the calm; the input shows at once when none has a refresh on its way', async () => {
    const heard: number[] = [];
    subs.push(onQuickInputOpening((ms) => void heard.push(ms)));
    let shown = 0;
    showWhenCalm({ show: () => shown++ }, () => false);
    await clock.tickAsync(0);
    assert.equal(shown, 1);
    assert.deepEqual(heard, [QUICK_INPUT_CALM_MS]);
  });

  it('keeps the input open through a focus change in its first moment, then lets it close on focus out as usual', async () => {
    const input = { show: () => undefined, ignoreFocusOut: false };
    showWhenCalm(input, () => false);
    await clock.tickAsync(0);
    assert.equal(input.ignoreFocusOut, true, 'kept open while the focus may come back');
    await clock.tickAsync(QUICK_INPUT_CALM_MS);
    assert.equal(input.ignoreFocusOut, false);
    const sticky = { show: () => undefined, ignoreFocusOut: true };
    showWhenCalm(sticky, () => false);
    await clock.tickAsync(QUICK_INPUT_CALM_MS);
    assert.equal(sticky.ignoreFocusOut, true, 'an input meant to stay open stays so');
  });

  it('waits as long as the longest wait asked (a whole-list refresh still landing), then shows', async () => {
    subs.push(onQuickInputOpening(() => 120));
    subs.push(onQuickInputOpening(() => 300));
    let shown = 0;
    showWhenCalm({ show: () => shown++ }, () => false);
    await clock.tickAsync(299);
    assert.equal(shown, 0, 'not before the refresh has landed');
    await clock.tickAsync(1);
    assert.equal(shown, 1);
    let resolved = false;
    void quickInputOpening().then(() => (resolved = true));
    await clock.tickAsync(299);
    assert.equal(resolved, false);
    await clock.tickAsync(1);
    assert.equal(resolved, true);
  });

  it('an input closed or disposed while it waits is not shown', async () => {
    subs.push(onQuickInputOpening(() => 200));
    let shown = 0;
    let gone = false;
    showWhenCalm({ show: () => shown++ }, () => gone);
    await clock.tickAsync(100);
    gone = true;
    await clock.tickAsync(200);
    assert.equal(shown, 0);
  });

  it('says when the input has shown: a command that opens one ends once it can be seen', async () => {
    subs.push(onQuickInputOpening(() => 250));
    let shown = 0;
    let settled = false;
    void showWhenCalm({ show: () => shown++ }, () => false).then(() => (settled = true));
    await clock.tickAsync(249);
    assert.equal(settled, false);
    await clock.tickAsync(1);
    assert.deepEqual([shown, settled], [1, true]);
  });

  it('shows inputs in the order they were asked: one that waited longer is not shown late over a newer one', async () => {
    let wait = 500;
    subs.push(onQuickInputOpening(() => wait));
    const order: string[] = [];
    const older = showWhenCalm({ show: () => order.push('details') }, () => false);
    wait = 0; // the refresh the first one waited for has landed by the time the second is asked
    const newer = showWhenCalm({ show: () => order.push('search') }, () => false);
    await clock.tickAsync(10);
    assert.deepEqual(order, [], 'the newer waits for the older to have its turn');
    await clock.tickAsync(490);
    await Promise.all([older, newer]);
    assert.deepEqual(order, ['details', 'search'], 'the newer one is shown last, so it is the one open');
  });
});
