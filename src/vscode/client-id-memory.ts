/**
 * The client id Use Next Client Id found free, remembered per workspace for
 * the gateway and the configured id it stood in for: a reloaded or restarted
 * window starts with it, rather than clashing again (326) with whatever holds
 * the configured one (another VS Code window, a jax service). A connection
 * made with the configured id itself forgets it.
 */
import type * as vscode from 'vscode';
import { MAX_CLIENT_ID } from '../ib/config';
import type { ConnectionSettings, ConnectionStatus } from '../ib/types';

export const CHOSEN_CLIENT_ID_KEY = 'ibGateway.chosenClientId';

interface Remembered {
  host: string;
  port: number;
  /** The configured id it stands in for. */
  configured: number;
  chosen: number;
}

function read(memento: vscode.Memento): Remembered | undefined {
  const r = memento.get<Partial<Remembered>>(CHOSEN_CLIENT_ID_KEY);
  const id = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 0 && (n as number) <= MAX_CLIENT_ID;
  if (!r || typeof r.host !== 'string' || !id(r.port) || !id(r.configured) || !id(r.chosen)) return undefined;
  return r as Remembered;
}

const sameEndpoint = (r: Remembered, s: { host: string; port: number }, configured: number) =>
  r.host === s.host && r.port === s.port && r.configured === configured;

/** The id chosen before for this gateway and configured id, if any (never for the simulated gateway). */
export function rememberedClientId(memento: vscode.Memento, target: ConnectionSettings): number | undefined {
  const r = read(memento);
  return r && !target.simulated && sameEndpoint(r, target, target.clientId) ? r.chosen : undefined;
}

/**
 * On ready: keeps the id when it is not the configured one, forgets the one kept for this endpoint when it is.
 * Not for this window's own simulated gateway (a new port each time); a simulator it did not start is a gateway like any.
 */
export function rememberClientId(memento: vscode.Memento, st: ConnectionStatus, target: ConnectionSettings): void {
  const configured = target.clientId;
  if (st.phase !== 'ready' || target.simulated) return;
  const r = read(memento);
  if (st.clientId !== configured) {
    if (r && sameEndpoint(r, st, configured) && r.chosen === st.clientId) return;
    void memento.update(CHOSEN_CLIENT_ID_KEY, { host: st.host, port: st.port, configured, chosen: st.clientId } satisfies Remembered);
  } else if (r && sameEndpoint(r, st, configured)) void memento.update(CHOSEN_CLIENT_ID_KEY, undefined);
}
