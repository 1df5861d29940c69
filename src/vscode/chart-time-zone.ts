/**
 * The zone a chart shows times in: the exchange's (from IB's contract
 * details), the local one, or UTC, by the setting jax.ib.chart.timeZone.
 */
import * as vscode from 'vscode';
import { resolveZone } from '../ib/facts/tws-zone-names';

/** The values of jax.ib.chart.timeZone. */
export const CHART_TIME_ZONES = ['exchange', 'local', 'utc'] as const;
export type TimeZoneSetting = (typeof CHART_TIME_ZONES)[number];

export interface ChartZone {
  zone: string;
  label: string;
}

export function timeZoneSetting(): TimeZoneSetting {
  const v = vscode.workspace.getConfiguration('jax.ib').get<unknown>('chart.timeZone');
  return v === 'local' || v === 'utc' ? v : 'exchange';
}

/** The zone to show with its name: the exchange's while known (else UTC until it is), local, or UTC. */
export function chartZone(setting: TimeZoneSetting, exchangeZone: string | undefined, exchangeId?: string): ChartZone {
  if (setting === 'local') {
    const local = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    return { zone: local, label: `local (${local})` };
  }
  if (setting === 'exchange' && exchangeZone) return { zone: exchangeZone, label: exchangeId ?? exchangeZone };
  return { zone: 'UTC', label: 'UTC' };
}

/** A chart's zone: the exchange's, learnt once from the contract; what was last sent to the webview. */
export class ChartTimeZone {
  private exchange: { zone: string; id: string } | undefined;
  private asking = false;
  /** The zone's name as last sent. */
  shown: string | undefined;

  constructor(
    private readonly symbol: string,
    private readonly contracts: { resolve(text: string): Promise<{ timeZoneId?: string }> } | undefined,
    private readonly onLearnt: () => void,
  ) {}

  /** Looks up the exchange's zone (IB's contract details) unless known; calls back when learnt. */
  learn(): void {
    if (this.exchange || this.asking || !this.contracts) return;
    this.asking = true;
    this.contracts.resolve(this.symbol).then(
      (c) => {
        this.asking = false;
        const zone = resolveZone(c.timeZoneId);
        if (!zone) return;
        this.exchange = { zone, id: c.timeZoneId! };
        this.onLearnt();
      },
      () => (this.asking = false),
    );
  }

  /** The zone to send now (by the setting), remembered as shown. */
  next(): ChartZone {
    const z = chartZone(timeZoneSetting(), this.exchange?.zone, this.exchange?.id);
    this.shown = z.label;
    return z;
  }
}
