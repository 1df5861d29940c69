/**
 * Checks what the chart webview posts to the host. A webview is untrusted
 * input: anything that is not exactly a protocol message is refused.
 */
import { printable } from '../ib/text';
import type { WebviewMessage } from '../../media/chart/protocol';
import type { ConnectionStatus } from '../ib/types';

const MAX_TEXT = 50;

function isShortText(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_TEXT;
}

/** A valid webview message, or undefined. */
export function parseWebviewMessage(data: unknown): WebviewMessage | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const m = data as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'reload':
      return { type: 'reload' };
    case 'changeRange':
      if (!isShortText(m.barSize) || !isShortText(m.duration)) return undefined;
      if (m.useRTH !== undefined && typeof m.useRTH !== 'boolean') return undefined;
      return { type: 'changeRange', barSize: m.barSize, duration: m.duration, ...(m.useRTH !== undefined ? { useRTH: m.useRTH } : {}) };
    default:
      return undefined;
  }
}

/** A short, printable rendering of a refused message for the log. */
export function describeRefused(data: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(data) ?? String(data);
  } catch {
    text = String(data);
  }
  text = printable(text);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** The durations the chart offers: for bars under a minute, the longest IB serves each (its step table: 5 secs over 1 hour, 10 secs over 4, 30 secs over 8). */
export const CHART_DURATIONS = ['1800 S', '3600 S', '14400 S', '28800 S', '1 D', '2 D', '1 W', '2 W', '1 M', '3 M', '6 M', '1 Y', '2 Y', '5 Y'];

/** What a chart without bars says while not connected: what the extension waits for, else what to do. */
export function notConnectedStatus(s: ConnectionStatus): string {
  if (s.error?.code === 326 && (s.phase === 'reconnecting' || s.phase === 'failed'))
    return `Not connected: client id ${s.clientId} is in use by another VS Code window or program. Run IB: Use Next Client Id to connect with another.`;
  if (s.phase === 'connecting') return `Connecting to IB Gateway/TWS at ${s.host}:${s.port}: the chart loads once connected.`;
  if (s.phase === 'reconnecting') return `Waiting for IB Gateway/TWS at ${s.host}:${s.port} (the status bar counts down): the chart loads once connected.`;
  return 'Not connected to IB. Connect, or start the simulated gateway.';
}
