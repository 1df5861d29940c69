import * as vscode from 'vscode';
import type { Logger } from '../ib/log';
import { logText } from '../ib/text';

/**
 * The log channel with every message made safe first (see logText): text
 * from the gateway cannot forge a log line or carry terminal escape codes.
 */
function safeChannel(raw: vscode.LogOutputChannel, recent?: string[]): vscode.LogOutputChannel {
  const text = (m: string): string => {
    const safe = logText(String(m));
    if (recent) {
      recent.push(`${new Date().toISOString()} ${safe}`);
      if (recent.length > RECENT_LINES) recent.splice(0, recent.length - RECENT_LINES);
    }
    return safe;
  };
  return {
    get name() {
      return raw.name;
    },
    get logLevel() {
      return raw.logLevel;
    },
    onDidChangeLogLevel: raw.onDidChangeLogLevel,
    trace: (m, ...args) => raw.trace(text(m), ...args),
    debug: (m, ...args) => raw.debug(text(m), ...args),
    info: (m, ...args) => raw.info(text(m), ...args),
    warn: (m, ...args) => raw.warn(text(m), ...args),
    error: (e, ...args) => raw.error(typeof e === 'string' ? text(e) : e, ...args),
    append: (v) => raw.append(logText(v)),
    appendLine: (v) => raw.appendLine(logText(v)),
    replace: (v) => raw.replace(logText(v)),
    clear: () => raw.clear(),
    show: (a?: unknown, b?: boolean) => (typeof a === 'boolean' || a === undefined ? raw.show(a) : raw.show(a as vscode.ViewColumn, b)),
    hide: () => raw.hide(),
    dispose: () => raw.dispose(),
  };
}

/** How many of the last log lines are kept for the extension's own tests (a failure prints them). */
const RECENT_LINES = 300;

/**
 * The "IB Gateway" log output channel, and a domain Logger that writes to it;
 * with `recent`, its last lines are also kept there (ExtensionMode.Test only).
 */
export function createLogChannel(recent?: string[]): { channel: vscode.LogOutputChannel; logger: Logger } {
  const channel = safeChannel(vscode.window.createOutputChannel('IB Gateway', { log: true }), recent);
  const logger: Logger = {
    debug: (m) => channel.debug(m),
    info: (m) => channel.info(m),
    warn: (m) => channel.warn(m),
    error: (m) => channel.error(m),
  };
  return { channel, logger };
}
