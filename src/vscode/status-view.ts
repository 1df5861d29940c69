/**
 * What the status bar shows for a connection status: text, markdown tooltip
 * and how loud it is. Pure (no vscode import) so it renders the same
 * everywhere; the StatusBar class puts it on screen.
 */
import { escapeMarkdown, markdownCode, plainText } from '../ib/text';
import type { ConnectionStatus } from '../ib/types';
import { formatCountdown, formatDateTime, localZoneName } from './format';

export type StatusSeverity = 'normal' | 'warning' | 'error';

export interface StatusView {
  /** Always starts with "IB". May hold $(icon) references. */
  text: string;
  /** Markdown. */
  tooltip: string;
  severity: StatusSeverity;
}

/** "SIMULATED", "LIVE", "PAPER" or "" (mode not known). */
export function modeLabel(s: ConnectionStatus): string {
  if (s.simulated) return 'SIMULATED';
  if (s.mode === 'live') return 'LIVE';
  if (s.mode === 'paper') return 'PAPER';
  return '';
}

/** Names of farms that are not healthy. */
export function brokenFarms(s: ConnectionStatus): string[] {
  return Object.entries(s.farms)
    .filter(([, h]) => h === 'broken')
    .map(([name]) => name);
}

export function statusText(s: ConnectionStatus, streaming: number, now: number): string {
  const sim = s.simulated ? ' SIMULATED' : '';
  switch (s.phase) {
    case 'disabled':
      return 'IB $(circle-slash) disabled';
    case 'disconnected':
      return `IB${sim} $(debug-disconnect) disconnected`;
    case 'connecting':
      return `IB${sim} $(sync~spin) connecting to ${plainText(s.host)}:${s.port}`;
    case 'reconnecting': {
      const attempt = s.attempt ? `attempt ${s.attempt}` : 'waiting';
      const next = s.nextAttemptAt !== undefined ? `, ${formatCountdown(s.nextAttemptAt, now)}` : '';
      // the gateway is there: another program (a VS Code window, a jax service) holds the id
      if (s.error?.code === 326) return `IB${sim} $(sync~spin) client id ${s.clientId} in use (${attempt}${next})`;
      return `IB${sim} $(sync~spin) reconnecting (${attempt}${next})`;
    }
    case 'failed':
      if (s.error?.code === 326) return `IB${sim} $(error) client id ${s.clientId} in use (326)`;
      return `IB${sim} $(error) failed${s.error ? ` (${s.error.code})` : ''}`;
    case 'ready': {
      const mode = modeLabel(s);
      // the account and farm names come from the gateway: plain text, no $(icon) or line break of theirs
      const account = plainText(s.accounts?.[0] ?? '');
      const head = ['IB', mode, account].filter(Boolean).join(' ');
      const broken = brokenFarms(s);
      if (s.ibLink === 'lost') return `${head} $(warning) IB link lost`;
      if (broken.length) return `${head} $(warning) data farm ${plainText(broken.join(', '))} down`;
      return `${head} $(pass-filled) ${streaming} streaming`;
    }
  }
}

export function statusSeverity(s: ConnectionStatus): StatusSeverity {
  if (s.phase === 'failed') return 'error';
  if (s.phase === 'ready' && !s.simulated && s.mode === 'live') return 'warning';
  if (s.phase === 'ready' && (s.ibLink === 'lost' || brokenFarms(s).length)) return 'warning';
  if (s.phase === 'reconnecting') return 'warning';
  return 'normal';
}

const PHASE_WORDS: Record<ConnectionStatus['phase'], string> = {
  disabled: 'disabled in settings',
  disconnected: 'disconnected',
  connecting: 'connecting',
  ready: 'ready',
  reconnecting: 'reconnecting',
  failed: 'failed',
};

/** The streaming count in words: the symbols past the watchlist's are those of open charts (or the bridge in the editor). */
function streamingWords(streaming: number, watchlistRows: number | undefined): string {
  const words = `${streaming} symbol${streaming === 1 ? '' : 's'}`;
  if (watchlistRows === undefined || streaming <= watchlistRows) return words;
  return `${words}: ${watchlistRows} in the watchlist, the others for open charts or the bridge`;
}

export function statusTooltip(s: ConnectionStatus, streaming: number, now: number, watchlistRows?: number): string {
  const mode = modeLabel(s);
  const lines: string[] = [];
  const title = `**IB Gateway**: ${PHASE_WORDS[s.phase]}${mode ? ` (${mode})` : ''}`;
  lines.push(title, '');
  if (s.simulated) lines.push('$(beaker) The built-in **SIMULATED** gateway: prices are not real.', '');
  if (!s.simulated && s.mode === 'live') lines.push('$(warning) **LIVE** account.', '');
  const farms = Object.entries(s.farms);
  const rows: Array<[string, string]> = [
    ['Host', markdownCode(`${s.host}:${s.port}`)],
    ['Client id', String(s.clientId)],
    ['Server version', s.serverVersion !== undefined ? String(s.serverVersion) : '—'],
    ['Accounts', s.accounts?.length ? s.accounts.map((a) => escapeMarkdown(a)).join(', ') : '—'],
    ['Connected since', s.connectedSince !== undefined ? `${formatDateTime(s.connectedSince)} ${localZoneName(s.connectedSince)}`.trim() : '—'],
  ];
  // what the gateway said of its farms and its link holds only while connected: not connected, nothing is known of them
  if (s.phase === 'ready') {
    rows.push(
      [
        'Data farms',
        farms.length
          ? farms
              .map(([n, h]) => `${escapeMarkdown(n)} ${h === 'ok' ? '$(check) ok' : h === 'broken' ? '$(error) down' : '$(circle-outline) inactive'}`)
              .join(', ')
          : '—',
      ],
      ['IB link', s.ibLink === 'ok' ? 'ok' : '$(error) lost'],
      ['Streaming', streamingWords(streaming, watchlistRows)],
    );
  } else rows.push(['Streaming', 'nothing: not connected']);
  if (s.phase === 'reconnecting') {
    rows.push(['Reconnect', `attempt ${s.attempt ?? '—'}${s.nextAttemptAt !== undefined ? `, next in ${formatCountdown(s.nextAttemptAt, now)}` : ''}`]);
  }
  lines.push('| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`), '');
  if (s.error) lines.push(`$(error) ${escapeMarkdown(s.error.message)} ${escapeMarkdown(s.error.action)}`, '');
  lines.push('Click for Connect, Disconnect, Show Log, Open Settings and the simulated gateway.');
  return lines.join('\n');
}

export function statusView(s: ConnectionStatus, streaming: number, now: number, watchlistRows?: number): StatusView {
  return { text: statusText(s, streaming, now), tooltip: statusTooltip(s, streaming, now, watchlistRows), severity: statusSeverity(s) };
}
