import type { Logger } from '../../src/ib/log';

/** A logger that keeps every line with its level, for a test to read what the domain said. */
export function recordingLogger(): Logger & { readonly lines: Array<{ level: 'debug' | 'info' | 'warn' | 'error'; text: string }> } {
  const lines: Array<{ level: 'debug' | 'info' | 'warn' | 'error'; text: string }> = [];
  return {
    lines,
    debug: (text) => lines.push({ level: 'debug', text }),
    info: (text) => lines.push({ level: 'info', text }),
    warn: (text) => lines.push({ level: 'warn', text }),
    error: (text) => lines.push({ level: 'error', text }),
  };
}
