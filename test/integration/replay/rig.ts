/**
 * A replay rig: the replayer at a capture's server version, the real
 * ConnectionManager connected to it over TCP through @stoqey/ib, and the
 * domain's services on top, with a clock that starts at the simulated time
 * the capture was recorded at.
 */
import { CandleService, type CandleServiceOptions } from '../../../src/ib/candles';
import { ContractService } from '../../../src/ib/contracts';
import { QuoteService } from '../../../src/ib/quotes';
import type { Logger } from '../../../src/ib/log';
import type { IbErrorInfo, ResolvedContract } from '../../../src/ib/types';
import { connectSession, type TestSession } from '../support/session';
import { capture, replayFields } from './captures';
import { OUT, Replayer } from './replayer';

/** AAPL as the contract service resolves it (the captured ticks and bars are AAPL's). */
export const AAPL: ResolvedContract = {
  conId: 265598,
  symbol: 'AAPL',
  secType: 'STK',
  exchange: 'SMART',
  primaryExchange: 'NASDAQ',
  currency: 'USD',
  timeZoneId: 'US/Eastern',
  display: 'AAPL (NASDAQ, USD)',
};

export interface RigOptions {
  serverVersion: number;
  /** The handshake's connection time; defaults to a recorded one. */
  connectionTime?: string;
  /** Simulated now (epoch ms) when the rig starts: the time of the recording. */
  simulatedStart: number;
  /** The connect burst; defaults to the recorded one of nautilus_trader's capture. */
  onStart?: ReadonlyArray<ReadonlyArray<string | number>>;
  candles?: CandleServiceOptions;
}

export interface Rig {
  replayer: Replayer;
  session: TestSession;
  contracts: ContractService;
  quotes: QuoteService;
  candles: CandleService;
  /** What the connection manager reported to a person (id -1 notices, connection errors). */
  managerErrors: IbErrorInfo[];
  /** What the services logged, "level: line". */
  logs: string[];
  /** Simulated now, epoch ms: the start plus the real time elapsed. */
  now(): number;
  /** Resolves once every frame sent so far has been read by the client (a CURRENT_TIME round trip). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** The recorded connect burst: MANAGED_ACCTS and NEXT_VALID_ID first, farm notices after. */
export function recordedConnectBurst(version: number): string[][] {
  const ids = [
    'nautilus-connect-seq-00',
    'nautilus-connect-seq-01',
    'nautilus-connect-seq-02-2104',
    'nautilus-connect-seq-07-2106',
    'nautilus-connect-seq-08-2106',
    'nautilus-connect-seq-09-2158',
  ];
  return ids.map((id) => replayFields(capture(id), version));
}

export const GMT_LOGIN = capture('rust-handshake-reply-gmt').fields[1];

export async function startRig(o: RigOptions): Promise<Rig> {
  const realStart = Date.now();
  const now = () => o.simulatedStart + (Date.now() - realStart);
  const replayer = new Replayer({
    serverVersion: o.serverVersion,
    connectionTime: o.connectionTime ?? GMT_LOGIN,
    onStart: o.onStart ?? recordedConnectBurst(o.serverVersion),
    nowSeconds: Math.floor(o.simulatedStart / 1000),
  });
  const port = await replayer.start();
  const session = await connectSession(port, 7);
  const managerErrors: IbErrorInfo[] = [];
  const sub = session.manager.onIbError((e) => managerErrors.push(e));
  const logs: string[] = [];
  const logger: Logger = {
    debug: (l) => logs.push(`debug: ${l}`),
    info: (l) => logs.push(`info: ${l}`),
    warn: (l) => logs.push(`warn: ${l}`),
    error: (l) => logs.push(`error: ${l}`),
  };
  const contracts = new ContractService(session.manager, logger);
  const quotes = new QuoteService(session.manager, contracts, logger, { now });
  const clock = { now, setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms), clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout) };
  const candles = new CandleService(session.manager, contracts, logger, { clock, ...o.candles });
  return {
    replayer,
    session,
    contracts,
    quotes,
    candles,
    managerErrors,
    logs,
    now,
    async settle() {
      const api = session.manager.api;
      if (!api) throw new Error('not connected');
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('the client stopped answering (was the stream reset?)')), 5000);
      });
      try {
        await Promise.race([api.currentTime(5000), late]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      sub.dispose();
      candles.dispose();
      quotes.dispose();
      await session.close();
      await replayer.stop();
    },
  };
}

/** Answers contract-details requests with these captures (then CONTRACT_DATA_END), at the rig's version. */
export function answerContracts(replayer: Replayer, version: number, ...captureIds: string[]): void {
  replayer.on(OUT.REQ_CONTRACT_DATA, (req, send) => {
    const reqId = Number(req.fields[2]); // [9, version 8, reqId, ...]
    for (const id of captureIds) send(replayFields(capture(id), version, reqId));
    send(['52', '1', reqId]);
  });
}

/** The request id of a REQ_MKT_DATA ([1, version 11, reqId, ...]). */
export function mktDataReqId(fields: readonly string[]): number {
  return Number(fields[2]);
}

/** The request id of a REQ_HISTORICAL_DATA at 124 and later ([20, reqId, ...]). */
export function historicalReqId(fields: readonly string[]): number {
  return Number(fields[1]);
}
