/**
 * The headless bridge's command line (node:util parseArgs):
 *   node dist/bridge.js [--config config/jax-ingest-ib.json] [--port 8092] [--host 127.0.0.1]
 *     [--token T] [--simulated] [--sim-start last-session|now|ISO] [--sim-seed 42]
 *     [--ib-host H] [--ib-port P] [--client-id N] [--max-lines 50] [--quiet]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkClientId, checkHost, checkPort, parseJaxConfig } from '../ib/config';
import { hostOnThisMachine } from './docker-host';
import { DEFAULT_PORT } from './types';

export const USAGE = `usage: bridge [--config config/jax-ingest-ib.json] [--port ${DEFAULT_PORT}] [--host 127.0.0.1] [--token TOKEN]
              [--simulated [--sim-start last-session|now|ISO-8601] [--sim-seed 42]]
              [--ib-host 127.0.0.1] [--ib-port 7497] [--client-id 1] [--max-lines 50] [--quiet] [--help]
  --config     read the gateway's host, port and client id from a jax config's "ib" block
  --ib-host, --ib-port, --client-id
               the gateway without a config file (default 127.0.0.1:7497, client id 1)
  --simulated  start the built-in simulated gateway and connect to it (no IB account needed)
  --sim-start  the simulated clock's start (default last-session: inside the last regular session)
  --sim-seed   the simulated gateway's price seed (default 42; as the editor's jax.ib.simulator.seed)
  --port       where the bridge listens (default ${DEFAULT_PORT}; 0: any free port)
  --host       the address it listens on (default 127.0.0.1); any other address needs --token
  --token      the token clients send as "Authorization: Bearer <token>" (or IB_BRIDGE_TOKEN), 16 to 256 characters
  --max-lines  symbols bridge clients may hold at once (default 50 of IB's 100 market-data lines)
  --quiet      log warnings and errors only`;

export interface BridgeCliArgs {
  host: string;
  port: number;
  token?: string;
  ib: { host: string; port: number; clientId: number };
  simulated?: { start: string; seed: number };
  maxLines?: number;
  quiet: boolean;
  /** Things to tell the person at start (e.g. host.docker.internal was replaced). */
  notes: string[];
}

class UsageError extends Error {}

/** --help: the usage on stdout, exit 0 (a bad argument is the usage on stderr, exit 2). */
export class HelpRequest extends Error {
  constructor() {
    super(USAGE);
    this.name = 'HelpRequest';
  }
}

function integer(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || !Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got "${value.slice(0, 20)}")`);
  return n;
}

/** Parses the arguments; throws a HelpRequest for --help, else an Error whose message ends with the usage. */
export function parseBridgeArgs(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): BridgeCliArgs {
  try {
    return parse(argv, env, readFile);
  } catch (e) {
    if (e instanceof HelpRequest) throw e;
    const message = e instanceof Error ? e.message.replace(/^Unknown option/, 'unknown option') : String(e);
    throw new Error(`${message}\n${USAGE}`);
  }
}

function parse(argv: string[], env: NodeJS.ProcessEnv, readFile: (path: string) => string): BridgeCliArgs {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      config: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      token: { type: 'string' },
      simulated: { type: 'boolean' },
      'sim-start': { type: 'string' },
      'sim-seed': { type: 'string' },
      'ib-host': { type: 'string' },
      'ib-port': { type: 'string' },
      'client-id': { type: 'string' },
      'max-lines': { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) throw new HelpRequest();
  const notes: string[] = [];
  const ib = { host: '127.0.0.1', port: 7497, clientId: 1 };
  if (values.config !== undefined) {
    let text: string;
    try {
      text = readFile(values.config);
    } catch (e) {
      throw new UsageError(`cannot read the jax config ${values.config}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const check = parseJaxConfig(text);
    if (!check.ib) throw new UsageError(`the jax config ${values.config} cannot be used: ${check.problems.join('; ')}`);
    notes.push(...check.warnings.filter((w) => !/host\.docker\.internal/.test(w)));
    if (!check.ib.enabled) notes.push(`ib.enabled is false in ${values.config}; the bridge connects anyway, since it was started for that`);
    const mapped = hostOnThisMachine(check.ib.host);
    if (mapped.note) notes.push(mapped.note);
    Object.assign(ib, { host: mapped.host, port: check.ib.port, clientId: check.ib.client_id });
  }
  if (values['ib-host'] !== undefined) {
    const c = checkHost(values['ib-host'], '--ib-host');
    if (c.problem) throw new UsageError(c.problem);
    const mapped = hostOnThisMachine(c.host!);
    if (mapped.note) notes.push(mapped.note);
    ib.host = mapped.host;
  }
  const ibPort = integer(values['ib-port'], 'ib-port', 1, 65535);
  if (ibPort !== undefined) ib.port = checkPort(ibPort, '--ib-port').port ?? ib.port;
  const clientId = integer(values['client-id'], 'client-id', 0, 2 ** 31 - 1);
  if (clientId !== undefined) ib.clientId = checkClientId(clientId, '--client-id').clientId ?? ib.clientId;
  const token = values.token ?? (env.IB_BRIDGE_TOKEN && env.IB_BRIDGE_TOKEN !== '' ? env.IB_BRIDGE_TOKEN : undefined);
  const host = values.host ?? '127.0.0.1';
  if (values['sim-start'] !== undefined && !values.simulated) throw new UsageError('--sim-start needs --simulated');
  if (values['sim-seed'] !== undefined && !values.simulated) throw new UsageError('--sim-seed needs --simulated');
  const simStart = values['sim-start'] ?? 'last-session';
  if (!['now', 'last-session'].includes(simStart) && Number.isNaN(Date.parse(simStart))) {
    throw new UsageError(`--sim-start takes now, last-session or an ISO date like 2026-11-17T15:00:00Z (got "${simStart.slice(0, 40)}")`);
  }
  return {
    host,
    port: integer(values.port, 'port', 0, 65535) ?? DEFAULT_PORT,
    token,
    ib,
    simulated: values.simulated ? { start: simStart, seed: integer(values['sim-seed'], 'sim-seed', -(2 ** 31), 2 ** 31 - 1) ?? 42 } : undefined,
    maxLines: integer(values['max-lines'], 'max-lines', 1, 100),
    quiet: values.quiet ?? false,
    notes,
  };
}
