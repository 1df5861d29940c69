import * as vscode from 'vscode';
import { validateSettings, type SettingProblem } from '../ib/config';
import { checkBarRequest, normaliseBarSize, parseDuration } from '../ib/bar-sizes';
import type { ConnectionSettings, MarketDataTypeSetting } from '../ib/types';
import { DEFAULT_PORT as BRIDGE_DEFAULT_PORT } from '../bridge/types';
import { CHART_TIME_ZONES } from './chart-time-zone';
import {
  DEFAULT_BAR_SIZE,
  DEFAULT_DURATION,
  MARKET_DATA_TYPES,
  MAX_SYMBOL_LENGTH,
  MAX_WATCHLIST,
  PORT_RANGE,
  SECTION,
  SEED_RANGE,
  SIMULATOR_DEFAULTS,
} from './setting-values';

export { SECTION };

/** Everything under `jax.ib.*`, checked. Invalid values never reach the domain. */
export interface ExtensionSettings {
  /** The connection settings, or undefined when one of them is invalid (see problems). */
  connection: ConnectionSettings | undefined;
  enabled: boolean;
  autoConnect: boolean;
  watchlist: string[];
  marketDataType: MarketDataTypeSetting;
  chart: { barSize: string; duration: string };
  simulator: { port: number; seed: number; autoStart: boolean };
  /** The jax bridge in the editor (a bad port is a problem; the default is used meanwhile). */
  bridge: { enabled: boolean; port: number };
  /** Each names the full setting, e.g. "jax.ib.port". */
  problems: SettingProblem[];
  warnings: string[];
}

/** validateSettings' names for the extras, as they are spelled under jax.ib. */
const SETTING_NAMES: Record<string, string> = {
  autoReconnect: 'reconnect.enabled',
  reconnectInitialDelayMs: 'reconnect.initialDelayMs',
  reconnectMaxDelayMs: 'reconnect.maxDelayMs',
};

export function fullSettingName(name: string): string {
  const short = SETTING_NAMES[name] ?? name;
  return short.startsWith(`${SECTION}.`) ? short : `${SECTION}.${short}`;
}

/** A symbol a watchlist may hold: a short printable string. */
export function symbolProblem(text: unknown): string | undefined {
  if (typeof text !== 'string') return 'is not a string';
  const t = text.trim();
  if (!t) return 'is empty';
  if (t.length > MAX_SYMBOL_LENGTH) return `is longer than ${MAX_SYMBOL_LENGTH} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(t)) return 'holds control characters';
  return undefined;
}

function isInteger(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

/**
 * The settings as they are now, each problem said with what is used instead.
 * `first`: read at activation, where there is no earlier valid value: a bad
 * connection setting means the connection's defaults until it is fixed.
 */
export function readSettings(config: vscode.WorkspaceConfiguration = vscode.workspace.getConfiguration(SECTION), first = false): ExtensionSettings {
  const problems: SettingProblem[] = [];
  const raw: Record<string, unknown> = {
    enabled: config.get('enabled'),
    host: config.get('host'),
    port: config.get('port'),
    clientId: config.get('clientId'),
    autoReconnect: config.get('reconnect.enabled'),
    reconnectInitialDelayMs: config.get('reconnect.initialDelayMs'),
    reconnectMaxDelayMs: config.get('reconnect.maxDelayMs'),
  };
  const checked = validateSettings(raw);
  for (const p of checked.problems) {
    const full = fullSettingName(p.setting);
    // the connection keeps its last valid block (settings-sync.ts); a timing's default is used with the rest of it
    const instead = p.defaultUsed
      ? `${p.defaultUsed === 'both' ? 'the defaults of both are' : 'its default is'} used`
      : first
        ? 'the connection uses the default settings until it is fixed'
        : 'the last valid value stays in use';
    // every name in the message as it is spelled under jax.ib (reconnect.initialDelayMs, not reconnectInitialDelayMs)
    const text = Object.keys(SETTING_NAMES).reduce((m, k) => m.split(`${SECTION}.${k}`).join(fullSettingName(k)), p.message);
    problems.push({ setting: full, message: `${text.replace(/\.$/, '')}; ${instead}` });
  }
  const problem = (key: string, message: string): void => {
    problems.push({ setting: `${SECTION}.${key}`, message: `${SECTION}.${key} ${message}` });
  };

  const autoConnectRaw = config.get('autoConnect');
  if (autoConnectRaw !== undefined && typeof autoConnectRaw !== 'boolean') {
    problem('autoConnect', 'must be true or false; true is used');
  }

  const watchRaw = config.get<unknown>('watchlist');
  const watchlist: string[] = [];
  if (watchRaw !== undefined && !Array.isArray(watchRaw)) {
    problem('watchlist', 'must be a list of symbols; the watchlist is empty meanwhile');
  } else if (Array.isArray(watchRaw)) {
    for (const entry of watchRaw.slice(0, MAX_WATCHLIST)) {
      const why = symbolProblem(entry);
      if (why) {
        problem('watchlist', `an entry ${why}; it is skipped`);
        continue;
      }
      const t = (entry as string).trim();
      if (!watchlist.includes(t)) watchlist.push(t);
    }
    if (watchRaw.length > MAX_WATCHLIST) problem('watchlist', `holds more than ${MAX_WATCHLIST} symbols; the rest are skipped`);
  }

  const mdtRaw = config.get<unknown>('marketDataType') ?? 'auto';
  let marketDataType: MarketDataTypeSetting = 'auto';
  if (typeof mdtRaw === 'string' && (MARKET_DATA_TYPES as readonly string[]).includes(mdtRaw)) marketDataType = mdtRaw as MarketDataTypeSetting;
  else problem('marketDataType', `must be one of ${MARKET_DATA_TYPES.join(', ')}; auto is used`);

  const barRaw = config.get<unknown>('chart.defaultBarSize') ?? DEFAULT_BAR_SIZE;
  const durRaw = config.get<unknown>('chart.defaultDuration') ?? DEFAULT_DURATION;
  let barSize = DEFAULT_BAR_SIZE;
  let duration = DEFAULT_DURATION;
  const bar = typeof barRaw === 'string' ? normaliseBarSize(barRaw) : undefined;
  if (bar) barSize = bar;
  else problem('chart.defaultBarSize', `is not an IB bar size such as "5 mins" or "1 day"; "${DEFAULT_BAR_SIZE}" is used`);
  const dur = typeof durRaw === 'string' ? parseDuration(durRaw) : undefined;
  if (dur) duration = dur.text;
  else problem('chart.defaultDuration', `is not an IB duration such as "1 D" or "2 W"; "${DEFAULT_DURATION}" is used`);
  if (bar && dur) {
    const why = checkBarRequest(barSize, duration);
    if (why) {
      problem('chart.defaultBarSize', `does not fit the default duration: ${why}; "${DEFAULT_BAR_SIZE}" over "${DEFAULT_DURATION}" is used`);
      barSize = DEFAULT_BAR_SIZE;
      duration = DEFAULT_DURATION;
    }
  }

  const simPortRaw = config.get<unknown>('simulator.port') ?? SIMULATOR_DEFAULTS.port;
  const simSeedRaw = config.get<unknown>('simulator.seed') ?? SIMULATOR_DEFAULTS.seed;
  const simulator: ExtensionSettings['simulator'] = { ...SIMULATOR_DEFAULTS, autoStart: config.get<unknown>('simulator.autoStart') === true };
  const offUnlessTrue = (key: string): void => {
    const raw = config.get<unknown>(key);
    if (raw !== undefined && typeof raw !== 'boolean') problem(key, 'must be true or false; false is used');
  };
  offUnlessTrue('simulator.autoStart');
  offUnlessTrue('bridge.enabled');
  const zoneRaw = config.get<unknown>('chart.timeZone');
  if (zoneRaw !== undefined && !(CHART_TIME_ZONES as readonly unknown[]).includes(zoneRaw))
    problem('chart.timeZone', `must be one of ${CHART_TIME_ZONES.join(', ')}; exchange is used`);
  if (isInteger(simPortRaw, 0, PORT_RANGE[1])) simulator.port = simPortRaw;
  else problem('simulator.port', `must be a whole number from 0 (any free port) to ${PORT_RANGE[1]}; 0 is used`);
  if (isInteger(simSeedRaw, ...SEED_RANGE)) simulator.seed = simSeedRaw;
  else problem('simulator.seed', `must be a whole number from ${SEED_RANGE[0]} to ${SEED_RANGE[1]}; ${SIMULATOR_DEFAULTS.seed} is used`);

  const bridgePortRaw = config.get<unknown>('bridge.port') ?? BRIDGE_DEFAULT_PORT;
  const bridge = { enabled: config.get<unknown>('bridge.enabled') === true, port: BRIDGE_DEFAULT_PORT };
  if (isInteger(bridgePortRaw, ...PORT_RANGE)) bridge.port = bridgePortRaw;
  else problem('bridge.port', `must be a whole number from ${PORT_RANGE[0]} to ${PORT_RANGE[1]} (${BRIDGE_DEFAULT_PORT} is used meanwhile)`);

  const enabledRaw = config.get<unknown>('enabled');
  return {
    connection: checked.settings,
    enabled: checked.settings ? checked.settings.enabled : enabledRaw !== false,
    autoConnect: autoConnectRaw !== false,
    watchlist,
    marketDataType,
    chart: { barSize, duration },
    simulator,
    bridge,
    problems,
    warnings: checked.warnings,
  };
}

/** Where a setting is written: the workspace when it already holds the value there, else the user settings. */
export function targetFor(key: string): vscode.ConfigurationTarget {
  const inspected = vscode.workspace.getConfiguration(SECTION).inspect(key);
  if (inspected?.workspaceFolderValue !== undefined) return vscode.ConfigurationTarget.WorkspaceFolder;
  if (inspected?.workspaceValue !== undefined) return vscode.ConfigurationTarget.Workspace;
  return vscode.ConfigurationTarget.Global;
}

export async function writeSetting(key: string, value: unknown, target: vscode.ConfigurationTarget = targetFor(key)): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update(key, value, target);
}

/** The sentence for a problem; it names the setting. */
export function problemText(p: SettingProblem): string {
  return /[.!]$/.test(p.message) ? p.message : `${p.message}.`;
}
