import * as vscode from 'vscode';
import type { Logger } from '../ib/log';

/** The "IB Gateway" log output channel, and a domain Logger that writes to it. */
export function createLogChannel(): { channel: vscode.LogOutputChannel; logger: Logger } {
  const channel = vscode.window.createOutputChannel('IB Gateway', { log: true });
  const logger: Logger = {
    debug: (m) => channel.debug(m),
    info: (m) => channel.info(m),
    warn: (m) => channel.warn(m),
    error: (m) => channel.error(m),
  };
  return { channel, logger };
}
