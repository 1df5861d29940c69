/**
 * Connection settings: validation with messages that name the setting, and the
 * jax config file's `{"ib": {"enabled", "host", "port", "client_id"}}` block
 * (read, checked, merged back without touching other keys).
 */
import { isIPv6 } from 'node:net';
import { applyEdits, modify, parseTree, type Node } from 'jsonc-parser';
import { printable, quoted } from './text';
import type { ConnectionSettings } from './types';

export interface SettingProblem {
  setting: 'enabled' | 'host' | 'port' | 'clientId' | string;
  message: string;
  /** A timing or switch of the connection: its default (or both delays') is used, the rest of the block applies (host, port and client id never wait on it). */
  defaultUsed?: 'its' | 'both';
}

export interface SettingsCheck {
  settings?: ConnectionSettings;
  problems: SettingProblem[];
  warnings: string[];
}

export const DEFAULT_SETTINGS: Readonly<ConnectionSettings> = { enabled: true, host: '127.0.0.1', port: 7497, clientId: 1 };

export const MAX_CLIENT_ID = 2 ** 31 - 1;
const MAX_HOST_LENGTH = 253;

/**
 * Optional numeric settings: name -> [min, max] in ms. The reconnect delays
 * are the editor's settings `jax.ib.reconnect.*`, with the limits its settings
 * editor shows (package.json; a unit test holds them together): a first delay
 * under 100 ms or a longest under a second would hammer a gateway that is
 * restarting. (The connection itself takes any delay: tests give it short ones.)
 */
export const TIMING_LIMITS: Readonly<Record<string, readonly [number, number]>> = {
  reconnectInitialDelayMs: [100, 600_000],
  reconnectMaxDelayMs: [1_000, 3_600_000],
  heartbeatIntervalMs: [1, 3_600_000],
  heartbeatTimeoutMs: [1, 3_600_000],
  connectTimeoutMs: [1, 3_600_000],
};

/** A value quoted for a message: short, printable, never the whole of a huge input. */
export function shown(value: unknown): string {
  // a string in quotes; a number, true, false or null as written ("got 99999", not "got \"99999\"")
  if (typeof value === 'string') return quoted(value);
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return printable(String(value));
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return quoted(text);
}

/** Whole numbers given as numbers, or as strings of digits (an optional leading minus). */
function wholeNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*-?\d{1,16}\s*$/.test(value)) return Number(value.trim());
  return undefined;
}

export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '0:0:0:0:0:0:0:1';
}

export function checkHost(value: unknown, name: string): { host?: string; problem?: string } {
  if (typeof value !== 'string') return { problem: `${name} must be a host name or IP address (got ${shown(value)})` };
  const host = value.trim();
  if (host === '') return { problem: `${name} must not be empty: use 127.0.0.1 when IB Gateway/TWS runs on this machine` };
  if (host.length > MAX_HOST_LENGTH) return { problem: `${name} must be at most ${MAX_HOST_LENGTH} characters (got ${host.length})` };
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(host)) return { problem: `${name} must not contain spaces or control characters (got ${shown(value)})` };
  if (/[/@?#\\]/.test(host)) return { problem: `${name} must be a bare host name or IP address, without a scheme, path or user (got ${shown(value)})` };
  // a colon is IPv6's only (brackets as in a URL taken off): "localhost:4002" is a port written into the host
  if (host.includes(':') || /[[\]]/.test(host)) {
    const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
    if (!isIPv6(bare))
      return { problem: `${name} must be a host name or IP address without a port: the port goes in ${name.replace(/host$/, 'port')} (got ${shown(value)})` };
    return { host: bare };
  }
  return { host };
}

export function checkPort(value: unknown, name: string): { port?: number; problem?: string } {
  const n = wholeNumber(value);
  if (n === undefined || n < 1 || n > 65535) return { problem: `${name} must be a whole number from 1 to 65535 (got ${shown(value)})` };
  return { port: n };
}

export function checkClientId(value: unknown, name: string): { clientId?: number; problem?: string } {
  const n = wholeNumber(value);
  if (n === undefined || n < 0 || n > MAX_CLIENT_ID) {
    return {
      problem: `${name} must be a whole number from 0 to ${MAX_CLIENT_ID}, unique among the programs connected to the same gateway (got ${shown(value)})`,
    };
  }
  return { clientId: n };
}

function nonLoopbackWarning(host: string, name: string): string {
  return `${name} "${host}" is not this machine: the TWS API protocol is unencrypted, so quotes and account ids travel in clear text. Prefer an SSH tunnel to 127.0.0.1.`;
}

/**
 * Checks raw settings (keys enabled, host, port, clientId, plus the optional
 * ConnectionSettings extras). Missing keys take their defaults; each problem
 * names the setting as `<prefix>.<key>`.
 */
export function validateSettings(raw: Record<string, unknown>, prefix = 'jax.ib'): SettingsCheck {
  const problems: SettingProblem[] = [];
  const warnings: string[] = [];
  const name = (key: string): string => `${prefix}.${key}`;
  const given = (key: string): unknown => (raw[key] === undefined || raw[key] === null ? undefined : raw[key]);

  let enabled = DEFAULT_SETTINGS.enabled;
  if (given('enabled') !== undefined) {
    if (typeof raw.enabled === 'boolean') enabled = raw.enabled;
    else problems.push({ setting: 'enabled', message: `${name('enabled')} must be true or false (got ${shown(raw.enabled)})` });
  }

  const hostCheck = given('host') === undefined ? { host: DEFAULT_SETTINGS.host } : checkHost(raw.host, name('host'));
  if (hostCheck.problem) problems.push({ setting: 'host', message: hostCheck.problem });
  const portCheck = given('port') === undefined ? { port: DEFAULT_SETTINGS.port } : checkPort(raw.port, name('port'));
  if (portCheck.problem) problems.push({ setting: 'port', message: portCheck.problem });
  const idCheck = given('clientId') === undefined ? { clientId: DEFAULT_SETTINGS.clientId } : checkClientId(raw.clientId, name('clientId'));
  if (idCheck.problem) problems.push({ setting: 'clientId', message: idCheck.problem });

  // what follows never holds the block back: a bad value is said and its default used
  const blocking = problems.length;
  const extras: Partial<ConnectionSettings> = {};
  for (const [key, [min, max]] of Object.entries(TIMING_LIMITS)) {
    const value = given(key);
    if (value === undefined) continue;
    const n = wholeNumber(value);
    if (n === undefined || n < min || n > max) {
      problems.push({
        setting: key,
        defaultUsed: 'its',
        message: `${name(key)} must be a whole number of milliseconds from ${min} to ${max} (got ${shown(value)})`,
      });
    } else {
      (extras as Record<string, number>)[key] = n;
    }
  }
  for (const key of ['autoReconnect', 'simulated'] as const) {
    const value = given(key);
    if (value === undefined) continue;
    if (typeof value === 'boolean') extras[key] = value;
    else problems.push({ setting: key, defaultUsed: 'its', message: `${name(key)} must be true or false (got ${shown(value)})` });
  }
  if (extras.reconnectInitialDelayMs !== undefined && extras.reconnectMaxDelayMs !== undefined && extras.reconnectInitialDelayMs > extras.reconnectMaxDelayMs) {
    problems.push({
      setting: 'reconnectMaxDelayMs',
      defaultUsed: 'both',
      message: `${name('reconnectMaxDelayMs')} must not be smaller than ${name('reconnectInitialDelayMs')}`,
    });
    delete extras.reconnectInitialDelayMs;
    delete extras.reconnectMaxDelayMs;
  }

  if (hostCheck.host !== undefined && !isLoopbackHost(hostCheck.host)) warnings.push(nonLoopbackWarning(hostCheck.host, name('host')));
  if (blocking > 0 || hostCheck.host === undefined || portCheck.port === undefined || idCheck.clientId === undefined) {
    return { problems, warnings };
  }
  return { settings: { enabled, host: hostCheck.host, port: portCheck.port, clientId: idCheck.clientId, ...extras }, problems, warnings };
}

// ---------------------------------------------------------------- jax config file

export interface JaxIbBlock {
  enabled: boolean;
  host: string;
  port: number;
  client_id: number;
}

export interface JaxConfigCheck {
  ib?: JaxIbBlock;
  problems: string[];
  /** Things that are allowed but ignored, e.g. unknown fields inside "ib". */
  warnings: string[];
}

const JAX_FIELDS = ['enabled', 'host', 'port', 'client_id'] as const;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the "ib" block of a jax config file. Every problem names the field. */
export function parseJaxConfig(text: string): JaxConfigCheck {
  const problems: string[] = [];
  const warnings: string[] = [];
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    // the parser quotes a piece of the text: keep it printable (a NUL or newline there would reach the log as is)
    const why = printable(e instanceof Error ? e.message : String(e));
    return { problems: [`the jax config is not valid JSON: ${why}`], warnings };
  }
  if (!isPlainObject(doc)) return { problems: ['the jax config must be a JSON object with an "ib" key'], warnings };
  if (!('ib' in doc)) return { problems: ['the jax config has no "ib" block: expected {"ib": {"enabled", "host", "port", "client_id"}}'], warnings };
  const ib = doc.ib;
  if (!isPlainObject(ib)) return { problems: [`ib must be an object with enabled, host, port and client_id (got ${shown(ib)})`], warnings };

  for (const key of Object.keys(ib)) {
    if ((JAX_FIELDS as readonly string[]).includes(key)) continue;
    // a plain name as is; anything else (huge, control characters) quoted briefly, as values are
    const name = /^[A-Za-z0-9_$-]{1,40}$/.test(key) ? key : shown(key);
    warnings.push(`ib.${name} is not a known field and is ignored (known: ${JAX_FIELDS.join(', ')})`);
  }
  for (const key of JAX_FIELDS) {
    if (!(key in ib)) problems.push(`ib.${key} is missing`);
  }

  let enabled: boolean | undefined;
  if ('enabled' in ib) {
    if (typeof ib.enabled === 'boolean') enabled = ib.enabled;
    else problems.push(`ib.enabled must be true or false (got ${shown(ib.enabled)})`);
  }
  let host: string | undefined;
  if ('host' in ib) {
    const c = checkHost(ib.host, 'ib.host');
    if (c.problem) problems.push(c.problem);
    host = c.host;
    if (host !== undefined && !isLoopbackHost(host)) warnings.push(nonLoopbackWarning(host, 'ib.host'));
  }
  let port: number | undefined;
  if ('port' in ib) {
    if (typeof ib.port !== 'number') problems.push(`ib.port must be a number from 1 to 65535 (got ${shown(ib.port)})`);
    else {
      const c = checkPort(ib.port, 'ib.port');
      if (c.problem) problems.push(c.problem);
      port = c.port;
    }
  }
  let clientId: number | undefined;
  if ('client_id' in ib) {
    if (typeof ib.client_id !== 'number') problems.push(`ib.client_id must be a number from 0 to ${MAX_CLIENT_ID} (got ${shown(ib.client_id)})`);
    else {
      const c = checkClientId(ib.client_id, 'ib.client_id');
      if (c.problem) problems.push(c.problem);
      clientId = c.clientId;
    }
  }
  if (problems.length > 0 || enabled === undefined || host === undefined || port === undefined || clientId === undefined) {
    return { problems, warnings };
  }
  for (const key of ['port', 'client_id'] as const) {
    const raw = notGoInt(text, key);
    if (raw !== undefined) {
      const value = key === 'port' ? port : clientId;
      warnings.push(
        `ib.${key} is written ${printable(raw.slice(0, 40))}: read as ${value} here, but jax's Go services read it into an int and refuse it; write ${value}`,
      );
    }
  }
  return { ib: { enabled, host, port, client_id: clientId }, problems, warnings };
}

/**
 * ib.<key>'s number as the file spells it when Go's encoding/json would not
 * read it into an int (7497.0, 7.497e3, 1e0), else undefined. The last of
 * repeated keys counts, as JSON.parse takes it.
 */
function notGoInt(text: string, key: string): string | undefined {
  const last = (node: Node | undefined, name: string): Node | undefined => node?.children?.filter((p) => p.children?.[0]?.value === name).pop()?.children?.[1];
  const value = last(last(parseTree(text), 'ib'), key);
  const raw = value?.type === 'number' ? text.slice(value.offset, value.offset + value.length) : undefined;
  return raw !== undefined && !/^-?\d+$/.test(raw) ? raw : undefined;
}

/**
 * Writes the settings into a jax config file's "ib" block, keeping every other
 * key (top level and unknown fields inside "ib") and their order. Throws when
 * the existing text is not a JSON object, rather than overwrite a file it cannot read,
 * and when the settings are not valid, rather than write a file it would refuse to read.
 */
export function toJaxConfig(existingText: string | undefined, s: ConnectionSettings): string {
  // never write what parseJaxConfig would refuse to read back
  const invalid = [
    typeof s.enabled === 'boolean' ? undefined : `ib.enabled must be true or false (got ${shown(s.enabled)})`,
    checkHost(s.host, 'ib.host').problem,
    typeof s.port === 'number' ? checkPort(s.port, 'ib.port').problem : `ib.port must be a number (got ${shown(s.port)})`,
    typeof s.clientId === 'number' ? checkClientId(s.clientId, 'ib.client_id').problem : `ib.client_id must be a number (got ${shown(s.clientId)})`,
  ].filter((p): p is string => p !== undefined);
  if (invalid.length > 0) throw new Error(`the jax config was left unchanged: ${invalid.join('; ')}`);
  const values = { enabled: s.enabled, host: s.host, port: s.port, client_id: s.clientId };
  if (existingText === undefined || existingText.trim() === '') return `${JSON.stringify({ ib: values }, null, 2)}\n`;
  let doc: unknown;
  try {
    doc = JSON.parse(existingText);
  } catch (e) {
    throw new Error(`the existing jax config is not valid JSON and was left unchanged: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!isPlainObject(doc)) throw new Error('the existing jax config is not a JSON object and was left unchanged');
  // only the four values change: every other byte (keys, their order, numbers, indentation, line ends) stays as written
  const eol = existingText.includes('\r\n') ? '\r\n' : '\n';
  const indent = /\n([ \t]+)\S/.exec(existingText)?.[1] ?? '  ';
  const formattingOptions = { insertSpaces: !indent.startsWith('\t'), tabSize: indent.startsWith('\t') ? 1 : indent.length, eol };
  const edit = (text: string, at: string[], value: unknown) => applyEdits(text, modify(text, at, value, { formattingOptions }));
  if (!isPlainObject(doc.ib)) return edit(existingText, ['ib'], values);
  return Object.entries(values).reduce(
    // 7497.0 equals 7497 but is written again: jax's Go services refuse it
    (text, [key, value]) => ((doc.ib as Record<string, unknown>)[key] === value && !notGoInt(existingText, key) ? text : edit(text, ['ib', key], value)),
    existingText,
  );
}
