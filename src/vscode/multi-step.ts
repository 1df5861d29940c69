import * as vscode from 'vscode';
import { showWhenCalm } from './quick-input-calm';

/** The quick input of a step open now (tests read it). */
export const openStep: { current?: vscode.QuickPick<vscode.QuickPickItem> | vscode.InputBox } = {};

export const BACK = Symbol('back');
export type StepResult<T> = T | typeof BACK | undefined;

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
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<T>();
    qp.title = options.title;
    qp.placeholder = options.placeholder;
    qp.items = options.items;
    if (options.active) qp.activeItems = [options.active];
    if (options.back) qp.buttons = [vscode.QuickInputButtons.Back];
    let settled = false;
    const finish = (v: StepResult<T>) => {
      if (settled) return;
      settled = true;
      if (openStep.current === qp) openStep.current = undefined;
      qp.dispose();
      resolve(v);
    };
    qp.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(BACK));
    qp.onDidAccept(() => finish(qp.activeItems[0]));
    qp.onDidHide(() => finish(undefined));
    void showWhenCalm(
      qp,
      () => settled,
      () => (openStep.current = qp),
    );
  });
}

/** One step as a text input, with Back (from the second step on) and validation. */
export function inputStep(options: {
  title: string;
  prompt: string;
  value: string;
  validate: (v: string) => string | undefined;
  back: boolean;
}): Promise<StepResult<string>> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = options.title;
    box.prompt = options.prompt;
    box.value = options.value;
    if (options.back) box.buttons = [vscode.QuickInputButtons.Back];
    let settled = false;
    const finish = (v: StepResult<string>) => {
      if (settled) return;
      settled = true;
      if (openStep.current === box) openStep.current = undefined;
      box.dispose();
      resolve(v);
    };
    box.onDidChangeValue((v) => (box.validationMessage = options.validate(v)));
    box.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(BACK));
    box.onDidAccept(() => {
      const why = options.validate(box.value);
      if (why) box.validationMessage = why;
      else finish(box.value);
    });
    box.onDidHide(() => finish(undefined));
    void showWhenCalm(
      box,
      () => settled,
      () => (openStep.current = box),
    );
  });
}
