/**
 * Bars as TWS sends them -> candles in shares, at their instant: the
 * negotiated server version decides the volume's unit, the handshake's login
 * zone and the contract's zone the time (see facts/units and facts/bar-time).
 * Bars that cannot be read (TWS writes "?" prices, or empty ones in a
 * keep-up-to-date update, when it has none) are left out and counted, so an
 * answer says once how many it dropped rather than once per bar; an answer
 * that had bars but none readable is a failure (unreadableBarsError), not an
 * empty list that would read as "the market had no bars".
 */
import { describeIbError, IbError, LOCAL_CODES } from '../errors';
import { barTimeContext, unitContext } from '../facts/session';
import { barVolumeInShares } from '../facts/units';
import type { Logger } from '../log';
import type { WireBar } from '../transport/wire';
import type { Candle, IbSession, ResolvedContract } from '../types';
import { dailyTime, toCandle } from './merge';

export class BarReader {
  /** Bars that could not be read, per request, until the answer ends. */
  private readonly unreadable = new Map<number, { count: number; time: string }>();

  constructor(
    private readonly session: IbSession,
    private readonly now: () => number,
    private readonly logger: Logger,
  ) {}

  /** One bar of request `reqId`, or undefined (counted) when it cannot be read. Daily bars are keyed by UTC midnight of their date. */
  read(reqId: number, contract: ResolvedContract, daily: boolean, bar: WireBar): Candle | undefined {
    const { time, open, high, low, close, volume, wap } = bar;
    const candle = toCandle(time, open, high, low, close, volume, barTimeContext(this.session, contract, this.now()), wap);
    if (!candle) {
      const u = this.unreadable.get(reqId);
      if (u) u.count++;
      else this.unreadable.set(reqId, { count: 1, time: String(time).slice(0, 40) });
      return undefined;
    }
    candle.volume = barVolumeInShares(candle.volume, unitContext(this.session, contract));
    if (daily) candle.time = dailyTime(candle.time);
    return candle;
  }

  /** Says in one line how many bars of the answer were left out, if any; that count (0 when none). */
  report(reqId: number, contract: ResolvedContract, level: 'warn' | 'debug' = 'warn'): number {
    const u = this.unreadable.get(reqId);
    if (!u) return 0;
    this.unreadable.delete(reqId);
    this.logger[level](`candles: ${u.count} bar(s) of ${contract.display} could not be read (first at ${JSON.stringify(u.time)}) and are left out`);
    return u.count;
  }
}

/** The failure of an answer whose `count` bars (one or more) could none be read; which bar is in the log, not in the sentence. */
export function unreadableBarsError(contract: ResolvedContract, count: number): IbError {
  const name = contract.display;
  const message = count === 1 ? `IB sent 1 bar for ${name}, but it could not be read.` : `IB sent ${count} bars for ${name}, but none of them could be read.`;
  return new IbError({ ...describeIbError(LOCAL_CODES.unreadableBars), message });
}
