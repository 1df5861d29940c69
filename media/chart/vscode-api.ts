/**
 * The webview side of VS Code's messaging: acquireVsCodeApi() may be called
 * once per page, so it is wrapped here and shared.
 */
import type { WebviewMessage } from './protocol';

export interface VsCodeApi<State> {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: State): void;
}

declare global {
  // Provided by VS Code inside every webview.
  function acquireVsCodeApi<State = unknown>(): VsCodeApi<State>;
}

/** The VS Code API, or a no-op stand-in when the page is opened outside a webview. */
export function getVsCodeApi<State>(): VsCodeApi<State> {
  if (typeof acquireVsCodeApi === 'function') return acquireVsCodeApi<State>();
  let saved: unknown;
  return {
    postMessage: () => undefined,
    getState: () => saved,
    setState: (s) => {
      saved = s;
    },
  };
}
