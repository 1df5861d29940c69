/**
 * Lines on another gateway: a line's contract came from the gateway it was
 * resolved on, and another may number the same instrument otherwise (a
 * simulated gateway numbers its made-up futures months its own way, and that
 * conId may be another instrument on a real one). So on a new gateway a line
 * that a watcher named by text is resolved again before it is sent.
 */
import { toIbError } from '../contracts/failures';
import type { IbErrorInfo, ResolvedContract } from '../types';
import type { Line, Watcher } from './lines';
import type { QuoteState } from './tick-model';

/** What resolving a line again needs of the quote service. */
export interface ResolveAgainContext {
  resolve(text: string): Promise<ResolvedContract>;
  /** The service's lines by conId. */
  lines: Map<number, Line>;
  /** The service is not disposed. */
  live(): boolean;
  connected(): boolean;
  open(line: Line): void;
  /** A line is no longer the service's: its slot in the service's columns is given back. */
  release(line: Line): void;
  /** A new model for a line's slot (its values cleared). */
  stateFor(contract: ResolvedContract, slot: number): QuoteState;
  attachTo(watcher: Watcher, line: Line): void;
  safeError(watcher: Watcher, info: IbErrorInfo): void;
  log(text: string): void;
}

/** The gateway changed: each line a watcher named by text is to be resolved again before it is sent. */
export function markNamedLines(lines: Iterable<Line>): void {
  for (const line of lines) if ([...line.watchers].some((w) => w.named !== undefined)) line.resolveAgain = 'due';
}

/**
 * Resolves the line's symbol on this gateway, then sends it as the contract
 * found there (another conId: the line is that contract's from now on, or
 * its watchers join a line of it). Not found there: its watchers hear why and
 * nothing is sent (it is asked again on the next ready). The connection gone
 * meanwhile: tried on the next ready.
 */
export function resolveAgain(ctx: ResolveAgainContext, line: Line): void {
  const named = [...line.watchers].find((w) => w.named !== undefined)?.named;
  if (line.resolveAgain === 'asked' || named === undefined) return;
  line.resolveAgain = 'asked';
  const current = () => ctx.live() && ctx.lines.get(line.contract.conId) === line;
  ctx.resolve(named).then(
    (contract) => {
      if (!current()) return;
      line.resolveAgain = false;
      if (contract.conId !== line.contract.conId) {
        ctx.log(`quotes: ${named} is conId ${contract.conId} on this gateway (${line.contract.conId} on the last one)`);
        ctx.lines.delete(line.contract.conId);
        const other = ctx.lines.get(contract.conId);
        if (other) {
          ctx.release(line);
          for (const w of line.watchers) ctx.attachTo(w, other);
          return;
        }
        line.contract = contract;
        line.state = ctx.stateFor(contract, line.slot);
        line.endedBy = undefined;
        for (const w of line.watchers) w.latest = undefined;
        ctx.lines.set(contract.conId, line);
      }
      if (ctx.connected() && !line.request) ctx.open(line);
    },
    (e: unknown) => {
      if (!current()) return;
      // asked again on the next ready, never sent as the old contract
      line.resolveAgain = 'due';
      if (!ctx.connected()) return;
      const why = toIbError(e).info;
      line.endedBy = why;
      for (const w of line.watchers) ctx.safeError(w, why);
    },
  );
}
