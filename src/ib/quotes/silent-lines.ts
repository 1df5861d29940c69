/**
 * Quote lines that hear nothing at all after they were sent. IB's guide warns
 * that a market data request sent before its data farm is connected may get
 * neither data nor an error. Live, frozen and delayed data all send a line's
 * values at once (a closed market's last ones included), so a line still
 * silent after 20 s is sent again (cancelled, then asked again): then after
 * 40 s and 80 s, at most three times until it is heard. Its watchers keep
 * the values they have meanwhile; still silent after the third (five minutes
 * in all), its watchers are told (LOCAL_CODES.silentLine) and the line is
 * left open: values that come later still reach them. Not while the connection is down, IB's link
 * is lost (1100) or a market data farm is broken: those say why nothing
 * comes, and their end sends the lines again by itself. (A broken historical
 * (HMDS) farm does not hold quote lines back.)
 */
import type { Clock } from '../clock';
import type { IbSession } from '../types';
import type { WireRequest } from '../transport/wire';
import type { Line } from './lines';

/** How long a line may hear nothing after it was sent before it is sent again (doubled for each time in a row). */
export const SILENT_LINE_MS = 20_000;
/** Times a silent line is sent again before it is left to a reconnect or the watchlist's Refresh. */
export const MAX_SILENT_RESENDS = 3;

export interface SilenceContext {
  clock: Clock;
  session: IbSession;
  /** The line is still the service's, open with this request. */
  current(line: Line, request: WireRequest): boolean;
  /** Cancels the line's request and sends it again. */
  resend(line: Line): void;
  /** The line stays silent after the last time it was sent again: its watchers are told. */
  gaveUp(line: Line): void;
  log(text: string): void;
}

export class SilentLines {
  constructor(private readonly ctx: SilenceContext) {}

  /** The line was sent with this request: looked at once its pause has passed. */
  watch(line: Line, request: WireRequest): void {
    this.forget(line);
    const pause = SILENT_LINE_MS * 2 ** Math.min(line.silentResends, MAX_SILENT_RESENDS);
    line.silenceTimer = this.ctx.clock.setTimeout(() => this.check(line, request, pause), pause);
  }

  /** The line is closed: nothing more to look at. */
  forget(line: Line): void {
    if (line.silenceTimer === undefined) return;
    this.ctx.clock.clearTimeout(line.silenceTimer);
    line.silenceTimer = undefined;
  }

  private check(line: Line, request: WireRequest, waited: number): void {
    line.silenceTimer = undefined;
    if (!this.ctx.current(line, request)) return;
    if (line.state.heardSinceOpen) {
      line.silentResends = 0;
      return;
    }
    const { api, status } = this.ctx.session;
    // the farms that carry quotes; a status that does not say which: any farm
    const quoteFarms = status.quoteFarms ?? Object.keys(status.farms);
    if (!api || status.ibLink !== 'ok' || quoteFarms.some((farm) => status.farms[farm] === 'broken')) {
      // why nothing comes is known (and its end sends the line again): looked at again later
      line.silenceTimer = this.ctx.clock.setTimeout(() => this.check(line, request, waited + SILENT_LINE_MS), SILENT_LINE_MS);
      return;
    }
    const seconds = Math.round(waited / 1000);
    if (line.silentResends >= MAX_SILENT_RESENDS) {
      this.ctx.log(`quotes: ${line.contract.display} has heard nothing for ${seconds} s, sent ${line.silentResends + 1} times; left as it is`);
      // sent again later for another reason (a reconnect, a watcher joining), it starts again from 20 s
      line.silentResends = 0;
      line.gaveUpSilent = true;
      this.ctx.gaveUp(line);
      return;
    }
    line.silentResends++;
    this.ctx.log(`quotes: ${line.contract.display} has heard nothing in ${seconds} s since it was sent (no data, no error); sending it again`);
    this.ctx.resend(line);
  }
}
