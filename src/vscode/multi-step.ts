import * as vscode from 'vscode';
import { showWhenCalm } from './quick-input-calm';

/** The quick input of a step open now (tests read it). */
export const openStep: { current?: vscode.QuickPick<vscode.QuickPickItem> | vscode.InputBox } = {};

export const BACK = Symbol('back');
export type StepResult<T> = T | typeof BACK | undefined;

/** What Enter on a step's pick does: settle with a result, or leave the step open. */
const STAY = Symbol('stay');

/** Shows a step's quick pick until it settles: Back (BACK), Escape (undefined), or what `accepted` makes of Enter. */
function runPick<T extends vscode.QuickPickItem, R>(
  qp: vscode.QuickPick<T>,
  back: boolean,
  accepted: (item: T | undefined) => StepResult<R> | typeof STAY,
): Promise<StepResult<R>> {
  return new Promise((resolve) => {
    if (back) qp.buttons = [vscode.QuickInputButtons.Back];
    let settled = false;
    const finish = (v: StepResult<R>) => {
      if (settled) return;
      settled = true;
      if (openStep.current === qp) openStep.current = undefined;
      qp.dispose();
      resolve(v);
    };
    qp.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(BACK));
    qp.onDidAccept(() => {
      const r = accepted(qp.activeItems[0]);
      if (r !== STAY) finish(r);
    });
    qp.onDidHide(() => finish(undefined));
    void showWhenCalm(
      qp,
      () => settled,
      () => (openStep.current = qp),
    );
  });
}

/**
 * One step of a multi-step input as a quick pick: `active` is focused (the
 * default), a Back button returns BACK from the second step on, Escape undefined.
 */
export function pickStep<T extends vscode.QuickPickItem>(options: {
  title: string;
  placeholder?: string;
  items: readonly T[];
  active?: T;
  back: boolean;
}): Promise<StepResult<T>> {
  const qp = vscode.window.createQuickPick<T>();
  qp.title = options.title;
  qp.placeholder = options.placeholder;
  qp.items = options.items;
  if (options.active) qp.activeItems = [options.active];
  return runPick(qp, options.back, (item) => item);
}

/** A typed entry of pickOrTypeStep (not one of its suggestions). */
interface TypedItem extends vscode.QuickPickItem {
  typed: true;
  why?: string;
}

/**
 * One step as a quick pick of suggestions that also takes a typed value: a
 * value typed that is not listed comes first, as typed, or with why it is
 * refused (Enter on a refused one does nothing). With Back and `active` as pickStep.
 */
export function pickOrTypeStep(options: {
  title: string;
  placeholder: string;
  suggestions: readonly vscode.QuickPickItem[];
  active?: string;
  validate: (v: string) => string | undefined;
  back: boolean;
}): Promise<StepResult<string>> {
  const qp = vscode.window.createQuickPick<vscode.QuickPickItem | TypedItem>();
  qp.title = options.title;
  qp.placeholder = options.placeholder;
  qp.items = options.suggestions;
  const active = options.suggestions.find((i) => i.label === options.active);
  if (active) qp.activeItems = [active];
  qp.onDidChangeValue((value) => {
    const v = value.trim().replace(/\s+/g, ' ');
    const listed = options.suggestions.some((i) => i.label.toLowerCase() === v.toLowerCase());
    if (!v || listed) {
      qp.items = options.suggestions;
      return;
    }
    const why = options.validate(v);
    const typed: TypedItem = { label: v, description: why ? `not accepted: ${why}` : 'as typed', alwaysShow: true, typed: true, why };
    qp.items = [typed, ...options.suggestions];
    qp.activeItems = [typed];
  });
  return runPick(qp, options.back, (item) => (!item || ('typed' in item && item.why) ? STAY : item.label));
}
