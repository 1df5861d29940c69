/**
 * The simulator on the command line:
 *   node dist/sim.js --port 7497 --seed 42 [--host 127.0.0.1]
 *     [--start now|last-session|ISO] [--speed 1] [--tick-ms 250] [--no-limits] [--quiet] [--synthetic N]
 *     [--server-version 193]
 * Prints its address, one line per request, and reads fault commands on stdin
 * (type "help").
 */
import * as readline from 'node:readline';
import { lastSessionStart } from './demo-start';
import { createMarket, createUniverse } from './market';
import { SimServer, type SimOptions } from './server';

const USAGE = `usage: sim [--port 7497] [--host 127.0.0.1] [--seed 42] [--start now|last-session|ISO-8601] [--speed 1] [--tick-ms 250] [--no-limits] [--quiet] [--synthetic N] [--server-version 157..193] [--help]`;

const COMMANDS = `commands:
  drop                  drop every client connection
  restart N             drop every connection and refuse new ones for N seconds
  lost                  1100: connectivity between IB and the gateway lost (data stops)
  restored              1102: restored, data maintained
  restored-data-lost    1101: restored, data lost (every subscription ends)
  link-broken N         2110: the gateway's link to IB's servers broken (data stops), 2104 OK after N seconds
  farm-blip N           2103 market data farm broken, 2104 OK after N seconds
  hmds-blip N           2105 historical data farm broken, 2106 OK after N seconds (quotes go on)
  live-lost             10182 for every keepUpToDate bar subscription (its updates stop)
  live-refused N        as live-lost, and for N seconds every new one is answered 10182 before any bar
  silent N              the next N market data lines are accepted and never answered (no data, no error)
  stall N               send nothing for N seconds
  delay MS              answer every request MS milliseconds late (0 = off)
  garble                send every client one garbled frame
  status                clients and open lines
  help                  this list
  quit                  stop the simulator`;

/** --help: the usage on stdout, exit 0 (a bad argument is the usage on stderr, exit 2). */
export class HelpRequest extends Error {
  constructor() {
    super(USAGE);
    this.name = 'HelpRequest';
  }
}

export interface CliArgs {
  options: SimOptions;
  start: string;
  quiet: boolean;
}

export function parseArgs(argv: string[]): CliArgs {
  const options: SimOptions = { port: 7497 };
  let start = 'now';
  let quiet = false;
  let speed: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
      return v;
    };
    const num = (): number => {
      const v = Number(value());
      if (!Number.isFinite(v)) throw new Error(`${arg} needs a number\n${USAGE}`);
      return v;
    };
    switch (arg) {
      case '--port':
        options.port = num();
        break;
      case '--host':
        options.host = value();
        break;
      case '--seed':
        options.seed = num();
        break;
      case '--start':
        start = value();
        break;
      case '--speed':
        speed = num();
        break;
      case '--tick-ms':
        options.tickIntervalMs = num();
        break;
      case '--no-limits':
        options.limits = { messagesPerSecond: 0, maxMarketDataLines: 0, historicalPacing: false, currentTimeOncePerSecond: false };
        break;
      case '--quiet':
        quiet = true;
        break;
      case '--synthetic':
        options.syntheticStocks = num();
        break;
      case '--server-version':
        options.serverVersion = num();
        break;
      case '--help':
      case '-h':
        throw new HelpRequest();
      default:
        throw new Error(`unknown option ${arg}\n${USAGE}`);
    }
  }
  const startMs = resolveStart(start, options.seed ?? 42);
  options.clock = { start: startMs, speed };
  if (options.serverVersion !== undefined && !(Number.isInteger(options.serverVersion) && options.serverVersion >= 157 && options.serverVersion <= 193)) {
    throw new Error(`--server-version must be a whole number from 157 to 193\n${USAGE}`);
  }
  return { options, start, quiet };
}

function resolveStart(text: string, seed: number): number {
  const now = Date.now();
  if (text === 'now') return now;
  if (text === 'last-session') return lastSessionStart(createMarket({ seed, universe: createUniverse({ now }) }), now);
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new Error(`--start takes now, last-session or an ISO date (got "${text}")\n${USAGE}`);
  return t;
}

function command(server: SimServer, line: string, print: (s: string) => void): boolean {
  const [name, arg] = line.trim().split(/\s+/);
  const n = Number(arg);
  const seconds = Number.isFinite(n) && n > 0 ? n : 5;
  switch (name) {
    case '':
      return true;
    case 'drop':
      server.faults.dropAll();
      break;
    case 'restart':
      server.faults.restart(seconds * 1000);
      break;
    case 'lost':
      server.faults.connectivityLost();
      break;
    case 'restored':
      server.faults.connectivityRestored(false);
      break;
    case 'restored-data-lost':
      server.faults.connectivityRestored(true);
      break;
    case 'link-broken':
      server.faults.serverLinkBroken(seconds * 1000);
      break;
    case 'farm-blip':
      server.faults.farmBlip(seconds * 1000);
      break;
    case 'hmds-blip':
      server.faults.hmdsBlip(seconds * 1000);
      break;
    case 'live-lost':
      server.faults.liveUpdatesLost();
      break;
    case 'silent':
      server.faults.silentLines(Number.isFinite(n) && n > 0 ? n : 1);
      break;
    case 'live-refused':
      server.faults.liveUpdatesRefused(seconds * 1000);
      break;
    case 'stall':
      server.faults.stall(seconds * 1000);
      break;
    case 'delay':
      server.faults.delayReplies(Number.isFinite(n) && n >= 0 ? n : 0);
      break;
    case 'garble':
      server.faults.garble();
      break;
    case 'status':
      print(`clients ${server.clientCount()}, market-data lines ${server.activeMarketData().length}, keepUpToDate ${server.activeHistorical().length}`);
      break;
    case 'help':
      print(COMMANDS);
      break;
    case 'quit':
    case 'exit':
      return false;
    default:
      print(`unknown command "${name}"; type help`);
  }
  return true;
}

async function main(): Promise<void> {
  let args: CliArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof HelpRequest) {
      console.log(`${USAGE}\n${COMMANDS}`);
      process.exit(0);
    }
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(2);
  }
  const stamp = (): string => new Date().toISOString().slice(11, 23);
  const server = new SimServer({ ...args.options, log: args.quiet ? undefined : (line) => console.log(`${stamp()} ${line}`) });
  const addr = await server.start();
  const startIso = new Date(server.clock.now()).toISOString();
  console.log(
    `IB Gateway simulator (TWS API server versions 157..${args.options.serverVersion ?? 193}) on ${addr.host}:${addr.port}, seed ${args.options.seed ?? 42}, clock ${startIso}${args.options.clock?.speed ? ` x${args.options.clock.speed}` : ''}`,
  );
  console.log(
    `instruments: ${server.market.universe
      .all()
      .map((i) => `${i.localSymbol || i.symbol}${i.secType === 'STK' && i.currency !== 'USD' ? ` (${i.primaryExchange}, ${i.currency})` : ''}`)
      .join(', ')}`,
  );
  console.log('type help for fault commands');
  const stop = async (): Promise<void> => {
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  if (process.stdin.readable) {
    const rl = readline.createInterface({ input: process.stdin, terminal: false });
    rl.on('line', (line) => {
      if (!command(server, line, (s) => console.log(s))) {
        rl.close();
        void stop();
      }
    });
  }
}

if (require.main === module) void main();
