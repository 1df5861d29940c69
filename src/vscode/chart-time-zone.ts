/**
 * The zone a chart shows times in: the exchange's (from IB's contract
 * details), the local one, or UTC, by the setting jax.ib.chart.timeZone.
 */
import * as vscode from 'vscode';
import { ChartContract, zoneLabel, type ChartContractDetails } from './chart-contract';

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
  if (setting === 'exchange' && exchangeZone) return { zone: exchangeZone, label: zoneLabel(exchangeZone, exchangeId) };
  return { zone: 'UTC', label: 'UTC' };
}

/** A chart's contract (chart-contract.ts), its times shown in the zone the setting jax.ib.chart.timeZone picks. */
export class ZonedChartContract extends ChartContract {
  constructor(symbol: string, contracts: { resolve(text: string): Promise<ChartContractDetails> } | undefined, onLearnt: () => void) {
    super(symbol, contracts, onLearnt, (exchange) => chartZone(timeZoneSetting(), exchange?.zone, exchange?.id));
  }
}
