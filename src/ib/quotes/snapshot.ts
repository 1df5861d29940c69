/**
 * One quote with a time limit (a snapshot request): a clear IbError rather
 * than a hang. Under 'auto', a contract without a live subscription is asked
 * again as delayed, and remembered as delayed-only.
 */
import { notConnected } from '../contracts/failures';
import { resolvedToContract } from '../contracts/to-contract';
import { IbError } from '../errors';
import { unitContext } from '../facts/session';
import { TickUnits } from '../facts/units';
import type { MarketDataOwner, ReadOnlyWire } from '../transport/wire';
import type { IbSession, Quote, ResolvedContract } from '../types';
import { NEEDS_API_SUBSCRIPTION, NOT_SUBSCRIBED, NotSubscribed, SHOWING_DELAYED } from './lines';
import { QuoteState, typeBeforeReport } from './tick-model';

/** What a snapshot needs of the quote service. */
export interface SnapshotContext {
  session: IbSession;
  /** The market-data type number to ask with (delayed: the fallback's). */
  typeFor(delayed: boolean): number;
  /** Sends the market-data type where the wire does not have it yet. */
  sendType(api: ReadOnlyWire, type: number): void;
  /** Snapshots in flight: how to end each (the service ends them when disposed). */
  snapshots: Set<(error?: Error) => void>;
  /** The setting is 'auto': a refused live subscription falls back to delayed data. */
  auto(): boolean;
  /** conIds that answered "not subscribed" under auto. */
  delayedOnly: Set<number>;
  /** The time of the ticks now arriving. */
  now(): number;
}

export async function snapshotWithFallback(ctx: SnapshotContext, contract: ResolvedContract, text: string, timeoutMs: number): Promise<Quote> {
  const fellBack = ctx.auto() && ctx.delayedOnly.has(contract.conId);
  try {
    return await snapshotOnce(ctx, contract, text, timeoutMs, fellBack);
  } catch (e) {
    if (e instanceof NotSubscribed && ctx.auto() && !fellBack) {
      ctx.delayedOnly.add(contract.conId);
      return snapshotOnce(ctx, contract, text, timeoutMs, true).catch((e2: unknown) => {
        throw e2 instanceof NotSubscribed ? new IbError(e2.info) : e2;
      });
    }
    throw e instanceof NotSubscribed ? new IbError(e.info) : e;
  }
}

function snapshotOnce(ctx: SnapshotContext, contract: ResolvedContract, text: string, timeoutMs: number, delayed: boolean): Promise<Quote> {
  const api = ctx.session.api;
  if (!api) return Promise.reject(notConnected());
  const type = ctx.typeFor(delayed);
  const state = new QuoteState(typeBeforeReport(type), contract.secType, contract.minTick);
  let units: TickUnits | undefined;
  /** 10167: live was asked and TWS answers with delayed data on the same request (a fallback, as a streaming line's). */
  let showingDelayed = false;
  return new Promise<Quote>((resolve, reject) => {
    const done = (error?: Error) => {
      if (!ctx.snapshots.delete(done)) return;
      request.forget();
      if (error) reject(error);
      else resolve(state.toQuote(text, contract.conId, (delayed || showingDelayed) && ctx.auto()));
    };
    const owner: MarketDataOwner = {
      tick: (tickType, value, str) => {
        units ??= new TickUnits(unitContext(ctx.session, contract));
        state.apply(tickType, units.inShares(tickType, value), str, ctx.now());
      },
      dataType: (t) => void state.setReportedType(t),
      snapshotEnd: () => done(),
      error: ({ role, info }) => {
        if (role === 'error' && info.code === SHOWING_DELAYED && !delayed && ctx.auto()) {
          showingDelayed = true;
          ctx.delayedOnly.add(contract.conId);
        }
        // a notice, or delayed data follows
        if (role !== 'error' || info.code === SHOWING_DELAYED || (info.code === NEEDS_API_SUBSCRIPTION && type >= 3)) return;
        done(NOT_SUBSCRIBED.has(info.code) ? new NotSubscribed(info) : new IbError(info));
      },
      // the time limit, or the connection ended
      end: (info) => done(new IbError(info)),
    };
    ctx.snapshots.add(done);
    ctx.sendType(api, type);
    const request = api.marketData(owner, resolvedToContract(contract), true, { ms: timeoutMs, what: `snapshot for ${contract.display}` });
  });
}
