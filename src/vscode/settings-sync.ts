import * as vscode from 'vscode';
import { DEFAULT_SETTINGS } from '../ib/config';
import type { ConnectionSettings } from '../ib/types';
import { problemText, readSettings, SECTION, type ExtensionSettings } from './settings';

/** What the settings drive. */
export interface SettingsTargets {
  log: vscode.LogOutputChannel;
  connection: { updateSettings(s: ConnectionSettings): Promise<void>; disconnect(): Promise<void> };
  quotes: { setMarketDataType(t: ExtensionSettings['marketDataType']): void };
  watchlist: { setSymbols(symbols: readonly string[]): void };
  /** The simulated gateway's address while it runs. */
  simulatorAddress: () => { host: string; port: number } | undefined;
  /** False for a gateway on another computer the user has not confirmed yet (see trust.ts). */
  hostAllowed?: (host: string) => boolean;
}

/**
 * Keeps the domain in step with `jax.ib.*`. Invalid values are reported by
 * setting name and never applied: the last valid connection settings stay.
 */
export class SettingsSync implements vscode.Disposable {
  private settings: ExtensionSettings;
  private lastValid: ConnectionSettings;
  /** A valid connection block has been read (else the defaults are in use, not a last valid value). */
  private hadValid = false;
  private readonly sub: vscode.Disposable;
  private reported = new Set<string>();
  /** While a block of settings is written (batch), changes wait and are applied once at the end. */
  private batching = 0;
  private pending = false;

  constructor(private readonly targets: SettingsTargets) {
    this.settings = readSettings(undefined, true);
    this.hadValid = this.settings.connection !== undefined;
    this.lastValid = this.settings.connection ?? { ...DEFAULT_SETTINGS, enabled: this.settings.enabled };
    this.report();
    this.sub = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      if (this.batching > 0) this.pending = true;
      else void this.apply();
    });
  }

  get current(): ExtensionSettings {
    return this.settings;
  }

  /** The configured connection (last valid one), ignoring the simulator. */
  get configured(): ConnectionSettings {
    return this.lastValid;
  }

  /** What the connection should use now: the simulator while it runs, else the configured gateway. */
  effective(): ConnectionSettings {
    const sim = this.targets.simulatorAddress();
    const base = this.lastValid;
    return sim ? { ...base, host: sim.host, port: sim.port, simulated: true } : { ...base, simulated: false };
  }

  /** Reads the settings again (reporting new problems) without applying them. */
  read(): ExtensionSettings {
    // until a valid connection block has been read there is no last valid value: the defaults are in use
    this.settings = readSettings(undefined, !this.hadValid);
    if (this.settings.connection) this.hadValid = true;
    this.report();
    if (this.settings.connection) this.lastValid = this.settings.connection;
    else if (this.settings.enabled !== this.lastValid.enabled) this.lastValid = { ...this.lastValid, enabled: this.settings.enabled };
    return this.settings;
  }

  /** Reads the settings again and applies what is valid. */
  async apply(): Promise<void> {
    this.read();
    this.targets.quotes.setMarketDataType(this.settings.marketDataType);
    this.targets.watchlist.setSymbols(this.settings.watchlist);
    const next = this.effective();
    if (!next.simulated && this.targets.hostAllowed && !this.targets.hostAllowed(next.host)) {
      // A settings change never moves a live connection to an unconfirmed remote host: Connect asks first.
      this.targets.log.info(`jax.ib.host is ${next.host}, on another computer: disconnected until Connect is confirmed`);
      await this.targets.connection.disconnect();
    }
    await this.targets.connection.updateSettings(next);
  }

  /**
   * Writes several settings as one change (Import jax Config: host, port and
   * client id): the connection sees the whole new block once, so a live
   * connection makes at most one new connection, never one per field.
   */
  async batch<T>(write: () => Promise<T>): Promise<T> {
    this.batching++;
    try {
      return await write();
    } finally {
      this.batching--;
      if (this.batching === 0 && this.pending) {
        this.pending = false;
        await this.apply();
      }
    }
  }

  /** Shows each new problem once (by its text; the new ones of a change in one message) and logs warnings. */
  private report(): void {
    const now = new Set<string>();
    const fresh: Array<{ text: string; setting: string }> = [];
    for (const p of this.settings.problems) {
      const text = problemText(p);
      now.add(text);
      if (this.reported.has(text)) continue;
      this.targets.log.error(`settings: ${text}`);
      fresh.push({ text, setting: p.setting });
    }
    if (fresh.length) {
      const message = fresh.length === 1 ? `IB: ${fresh[0].text}` : `IB: ${fresh.length} settings are not valid: ${fresh.map((f) => f.text).join(' ')}`;
      void vscode.window.showErrorMessage(message, 'Open Settings').then((picked) => {
        if (picked) void vscode.commands.executeCommand('workbench.action.openSettings', fresh.length === 1 ? fresh[0].setting : 'jax.ib');
      });
    }
    for (const w of this.settings.warnings) {
      if (this.reported.has(w)) continue;
      now.add(w);
      this.targets.log.warn(`settings: ${w}`);
      void vscode.window.showWarningMessage(`IB: ${w}`);
    }
    for (const w of this.settings.warnings) now.add(w);
    this.reported = now;
  }

  dispose(): void {
    this.sub.dispose();
  }
}
