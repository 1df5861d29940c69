/**
 * The headless bridge: one IB connection (to a gateway, or to the built-in
 * simulator with --simulated) served to the jax services over HTTP. Stops
 * cleanly on SIGINT/SIGTERM. With --simulated it reads simulator fault
 * commands on stdin: "restart N" (a gateway restart, down N seconds), "drop",
 * "status".
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { CandleService, ConnectionManager, ContractService, gatewayClockPerConnection, QuoteService, type Logger } from '../ib';
import { NoticeThrottle } from '../ib/notice-throttle';
import { lastSessionStart } from '../sim/demo-start';
import { createMarket, createUniverse } from '../sim/market';
import { SimServer } from '../sim/server';
import { HelpRequest, parseBridgeArgs, type BridgeCliArgs } from './cli-args';
import { checkBinding } from './auth';
import { Bridge } from './server';

function version(): string {
  for (const p of [path.join(__dirname, '..', 'package.json'), path.join(__dirname, '..', '..', 'package.json')]) {
    try {
      const v = (JSON.parse(readFileSync(p, 'utf8')) as { version?: unknown }).version;
      if (typeof v === 'string') return v;
    } catch {
      // next place
    }
  }
  return '0.0.0';
}

function simStart(text: string, seed: number): number {
  const now = Date.now();
  if (text === 'now') return now;
  if (text === 'last-session') return lastSessionStart(createMarket({ seed, universe: createUniverse({ now }) }), now);
  return Date.parse(text);
}

export async function main(argv = process.argv.slice(2)): Promise<void> {
  let args: BridgeCliArgs;
  try {
    args = parseBridgeArgs(argv);
  } catch (e) {
    if (e instanceof HelpRequest) {
      console.log(e.message);
      return;
    }
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 2;
    return;
  }
  // flags that cannot serve together (another address without a token, a short token): a usage error too
  const binding = checkBinding(args.host, args.token);
  if (binding) {
    console.error(`the bridge did not start: ${binding}`);
    process.exitCode = 2;
    return;
  }
  const stamp = (): string => new Date().toISOString().slice(11, 23);
  const say = (level: string) => (m: string) => console.log(`${stamp()} ${level} ${m}`);
  const logger: Logger = { debug: () => undefined, info: args.quiet ? () => undefined : say('info'), warn: say('warn'), error: say('error') };
  for (const note of args.notes) logger.info(note);

  let sim: SimServer | undefined;
  const ib = { ...args.ib };
  if (args.simulated) {
    sim = new SimServer({ port: 0, seed: args.simulated.seed, clock: { start: simStart(args.simulated.start, args.simulated.seed) } });
    const a = await sim.start();
    Object.assign(ib, { host: a.host, port: a.port });
    logger.info(
      `simulated gateway on ${a.host}:${a.port}, clock ${new Date(sim.clock.now()).toISOString()}, seed ${args.simulated.seed} (stdin: restart N, drop, status)`,
    );
  }
  const connection = new ConnectionManager({ enabled: true, ...ib, simulated: sim !== undefined, autoReconnect: true }, logger);
  // the gateway's notices (1100, a farm down, ...), a flood of one code cut short
  const notices = new NoticeThrottle((line, warn) => (warn ? logger.warn(line) : logger.info(line)));
  connection.onIbError((e) => (e.reqId ?? -1) < 0 && notices.log(e.code, `IB ${e.code}: ${e.raw ?? e.message}`, e.category !== 'information'));
  const contracts = new ContractService(connection, logger);
  // the gateway's clock, for quote times and for when a forming bar ends (a simulated gateway runs at another time)
  const gatewayClock = gatewayClockPerConnection(connection);
  const quotes = new QuoteService(connection, contracts, logger, { now: gatewayClock.now });
  const candles = new CandleService(connection, contracts, logger, { gatewayNow: gatewayClock.now });
  const bridge = new Bridge(
    { connection, contracts, quotes, candles },
    {
      host: args.host,
      port: args.port,
      token: args.token,
      version: version(),
      connectionControl: 'own',
      maxLines: args.maxLines,
      logger,
      simulator: sim ? { host: ib.host, port: ib.port } : undefined,
    },
  );

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: stopping`);
    await bridge.stop().catch(() => undefined);
    quotes.dispose();
    candles.dispose();
    gatewayClock.dispose();
    await connection.disconnect();
    connection.dispose();
    await sim?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  try {
    const { url } = await bridge.start();
    console.log(`jax bridge serving at ${url}`);
  } catch (e) {
    // on standard error, like every reason the bridge did not start (a port in use)
    console.error(`${stamp()} error ${e instanceof Error ? e.message : String(e)}`);
    await sim?.stop();
    connection.dispose();
    process.exit(1);
  }
  // the headless bridge never gives up on its gateway: whatever failed (a client id still held by a
  // session the gateway has not seen end, a wrong port, a POST /connect elsewhere), it tries again with
  // the backoff until a POST /disconnect (keepTrying logs that it does)
  connection.onStatus((s) => {
    // after the turn that published it (the connection is mid-step now)
    if (s.phase === 'failed') queueMicrotask(() => connection.keepTrying({ anyFailure: true }));
  });
  connection.connect().catch((e: unknown) => {
    logger.warn(`not connected to ${ib.host}:${ib.port}: ${e instanceof Error ? e.message : String(e)}`);
  });
  if (sim) {
    const rl = readline.createInterface({ input: process.stdin, terminal: false });
    rl.on('line', (line) => {
      const [name, arg] = line.trim().split(/\s+/);
      const seconds = Number(arg) > 0 ? Number(arg) : 5;
      if (name === 'restart') sim!.faults.restart(seconds * 1000);
      else if (name === 'drop') sim!.faults.dropAll();
      else if (name === 'status') logger.info(`gateway ${connection.status.phase}, bridge clients ${bridge.clients}, lines ${quotes.activeLines}`);
      else if (name === 'quit') void stop('quit');
      else if (name !== '') logger.info(`unknown command "${name}": restart N, drop, status, quit`);
    });
  }
}

if (require.main === module) void main();
