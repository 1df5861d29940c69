// Typing into the symbol picker of a command as a person does, for the tests of the symbol search.
import * as vscode from 'vscode';
import type { IbGatewayTestApi } from '../../../src/vscode/api';
import { waitFor } from './helpers';

export type Picker = NonNullable<ReturnType<IbGatewayTestApi['test']['symbolPicker']>>;

/**
 * Runs a command, types `text` into its symbol search, waits until the rows
 * satisfy `ready`, checks them with `look`, then presses Enter.
 */
export async function typeAndEnter<T>(
  api: IbGatewayTestApi,
  command: string,
  text: string,
  ready: (p: Picker) => boolean,
  look?: (p: Picker) => void,
): Promise<T> {
  const result = Promise.resolve(vscode.commands.executeCommand<T>(command));
  const picker = await waitFor(() => api.test.symbolPicker(), `the search of ${command}`);
  picker.type(text);
  const p = await waitFor(
    () => {
      const now = api.test.symbolPicker();
      return now && now.value === text && !now.busy && ready(now) ? now : undefined;
    },
    () => `rows for "${text}" (${JSON.stringify(api.test.symbolPicker()?.rows())})`,
    30_000,
  );
  look?.(p);
  // a round trip through the window: what it did with the rows before (its own choice of active row, which it
  // reports back) is heard first, and the look must still hold, as for a person reading the list before Enter
  await vscode.env.clipboard.readText();
  look?.(api.test.symbolPicker() ?? p);
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  return result;
}
