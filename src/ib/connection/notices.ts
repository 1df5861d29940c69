/**
 * What an error or notice from the client means for the connection: a reset
 * (clash, corrupt stream), a fact for the status (farms, IB's link), or just
 * something to tell a person. Farms are held in one bounded map updated in
 * place, so a flood of farm notices costs a constant amount per notice.
 */
import { endsWithFarmOk, farmsConnectedIn, readFarmNotice, readIbLinkNotice } from '../connection-farms';
import { describeIbError, requestErrorRole } from '../errors';
import type { Logger } from '../log';
import { clipped } from '../text';
import type { ConnectionSettings, FarmHealth, IbErrorInfo, ResendScope } from '../types';
import { unreachable, type Attempt } from './attempt';

/** Codes that mean the incoming stream can no longer be trusted: reset the connection. */
const CORRUPT_STREAM_CODES: ReadonlySet<number> = new Set([505, 507, 509]);
/** Notices that only confirm a healthy state; shown to a person only when they end a problem. */
const QUIET_NOTICES: ReadonlySet<number> = new Set([2104, 2106, 2107, 2108, 2119, 2158]);
/** A gateway has a handful of farms; names past this many are not tracked (and said once in the log). */
export const MAX_FARMS = 32;

type NoticeKind =
  | { kind: 'request' }
  | { kind: 'unreachable' }
  | { kind: 'clash' }
  | { kind: 'version' }
  | { kind: 'corrupt' }
  | { kind: 'moved' }
  | { kind: 'link'; ibLink: 'ok' | 'lost'; dataLost: boolean }
  | { kind: 'farm'; farm: string; health: FarmHealth; carriesData: boolean; carriesQuotes: boolean }
  | { kind: 'quiet' }
  | { kind: 'other' };

/** Sorts one error or notice (reqId -1 for the connection's own). */
function classifyNotice(code: number, message: string, reqId: number): NoticeKind {
  if (CORRUPT_STREAM_CODES.has(code)) return { kind: 'corrupt' };
  if (requestErrorRole(code, reqId) !== 'connection') return { kind: 'request' };
  if (code === 502) return { kind: 'unreachable' };
  if (code === 326) return { kind: 'clash' };
  if (code === 1300) return { kind: 'moved' };
  // the client library refuses the server version the gateway answered with (it closes the socket itself)
  if (code === 503 || code === 506) return { kind: 'version' };
  const link = readIbLinkNotice(code);
  if (link) return { kind: 'link', ...link };
  const farm = readFarmNotice(code, message);
  if (farm) return { kind: 'farm', ...farm };
  if (QUIET_NOTICES.has(code)) return { kind: 'quiet' };
  return { kind: 'other' };
}

/**
 * The port a 1300 names: TWS's API port was changed in its settings, and it
 * closes the connection with "... Please reconnect on the new port - 4002".
 */
export function movedToPort(message: string | undefined): number | undefined {
  const m = /new port\D{0,8}(\d{1,5})/i.exec(message ?? '');
  const port = m ? Number(m[1]) : 0;
  return port >= 1 && port <= 65535 ? port : undefined;
}

/** Data farms by name, at most MAX_FARMS of them. */
export class FarmBoard {
  private readonly farms = new Map<string, FarmHealth>();
  /** The farms a market-data notice named (they carry quote lines). */
  private readonly quotes = new Set<string>();
  /** Notices about farms past the limit since the last clear. */
  untracked = 0;
  /** The code that said IB's link was lost (1100, 2110), while it is. */
  linkLostBy: number | undefined;

  /**
   * Records a farm's health. Returns its health before (undefined when new),
   * or 'untracked' when the farm is new and the board is full.
   */
  set(farm: string, health: FarmHealth, carriesQuotes = false): FarmHealth | undefined | 'untracked' {
    const before = this.farms.get(farm);
    if (before === undefined && this.farms.size >= MAX_FARMS) {
      this.untracked++;
      return 'untracked';
    }
    this.farms.set(farm, health);
    if (carriesQuotes) this.quotes.add(farm);
    return before;
  }

  snapshot(): Record<string, FarmHealth> {
    return Object.fromEntries(this.farms);
  }

  /** The farms known to carry quote lines (market data farms). */
  quoteFarms(): string[] {
    return [...this.quotes];
  }

  clear(): void {
    this.farms.clear();
    this.quotes.clear();
    this.untracked = 0;
    this.linkLostBy = undefined;
  }
}

/** What routing a notice may touch in the connection. */
export interface NoticeContext {
  settings(): ConnectionSettings;
  readonly farms: FarmBoard;
  readonly logger: Logger;
  setIbLink(link: 'ok' | 'lost'): void;
  /** Tells a person (onIbError). */
  report(info: IbErrorInfo): void;
  /** Farms, link or accounts changed: a status is due. */
  factsChanged(): void;
  /** A farm's report for a person; only its last one in a turn is told. */
  reportFarm(farm: string, info: IbErrorInfo): void;
  /** Live requests are to be sent again: at the end of the turn, or (afterCalm) once the farms have been calm a while. */
  resubscribeSoon(reason: string, afterCalm?: boolean, scope?: ResendScope): void;
}

/** Every error/info the client of the current attempt reports, before and after ready. */
export function routeNotice(ctx: NoticeContext, a: Attempt, code: number, message: string, reqId: number): void {
  const { host, port } = ctx.settings();
  const notice = classifyNotice(code, message, reqId);
  switch (notice.kind) {
    case 'request':
      ctx.logger.debug(`IB ${code} for request ${reqId}: ${message}`);
      return;
    case 'unreachable':
      a.lastError = unreachable(host, port, message);
      return; // the socket closes next; the attempt decides
    case 'version':
      a.lastError = {
        ...describeIbError(code, message),
        message: `IB Gateway/TWS at ${host}:${port} answered the handshake with a version this client does not speak (${clipped(message).slice(0, 80)}).`,
      };
      ctx.logger.warn(`handshake refused by the client library (IB ${code}): ${message}`);
      return; // the socket closes next; the attempt fails with this
    case 'clash':
      a.lastError = { ...describeIbError(326, message), message: `Client id ${a.clientId} is in use by another API client of IB Gateway/TWS.` };
      return a.ready ? a.lose(a.lastError) : a.fail(a.lastError);
    case 'moved': {
      // not tried again on the old port: the new one is the person's to take
      const to = movedToPort(message);
      a.lastError = {
        ...describeIbError(code, message),
        message: `IB Gateway/TWS at ${host} now takes API connections on port ${to ?? 'another port'}, not ${port}, and closed this one.`,
        ...(to ? { action: `Set Port to ${to} (IB: Use Port ${to} in the status bar's menu) and connect again.` } : {}),
      };
      return a.ready ? a.lose(a.lastError) : a.fail(a.lastError);
    }
    case 'corrupt': {
      const info = {
        ...describeIbError(code, message),
        message: `A message from IB Gateway/TWS at ${host}:${port} could not be read; the connection is reset.`,
      };
      ctx.logger.warn(`corrupt stream (IB ${code}): ${message}`);
      return a.ready ? a.lose(info) : a.fail(info);
    }
    case 'link':
      // a 1100 is the stronger word: only a 1101/1102 ends it
      if (notice.ibLink === 'ok') ctx.farms.linkLostBy = undefined;
      else if (ctx.farms.linkLostBy !== 1100) ctx.farms.linkLostBy = code;
      ctx.setIbLink(notice.ibLink);
      // IB's link back: the farms its notice names as connected are (no 2104 need come for a farm down before)
      for (const farm of notice.ibLink === 'ok' ? farmsConnectedIn(message) : []) ctx.farms.set(farm, 'ok');
      // reported below (the editor logs what is reported, a flood of one code cut short): here for debugging only
      ctx.logger.debug(`IB ${code}: ${message}`);
      ctx.report(describeIbError(code, message));
      ctx.factsChanged();
      // after a calm, as for a farm back: a gateway repeating 1101 would otherwise queue resends behind resends
      if (code === 1101 && a.ready) ctx.resubscribeSoon('IB connectivity restored, data lost (1101)', true);
      return;
    case 'farm': {
      const before = ctx.farms.set(notice.farm, notice.health, notice.carriesQuotes);
      if (before === 'untracked') {
        if (ctx.farms.untracked === 1) ctx.logger.warn(`more than ${MAX_FARMS} data farms reported; farm ${notice.farm} and later ones are not tracked`);
        return;
      }
      const linkBack = notice.health === 'ok' && ctx.farms.linkLostBy !== undefined && endsWithFarmOk(ctx.farms.linkLostBy);
      if (linkBack) {
        ctx.farms.linkLostBy = undefined;
        ctx.setIbLink('ok');
        ctx.logger.debug(`IB's link is back: farm ${notice.farm} is OK (IB ${code})`);
        ctx.factsChanged();
      }
      if (before === notice.health) return;
      ctx.logger.debug(`farm ${notice.farm}: ${notice.health} (IB ${code})`);
      if (!QUIET_NOTICES.has(code) || before === 'broken') ctx.reportFarm(notice.farm, describeIbError(code, message));
      ctx.factsChanged();
      if (notice.carriesData && notice.health === 'ok' && before === 'broken' && a.ready)
        ctx.resubscribeSoon(`data farm ${notice.farm} is back`, true, notice.carriesQuotes ? 'all' : 'history');
      return;
    }
    case 'quiet':
      ctx.logger.debug(`IB ${code}: ${message}`);
      return;
    case 'other':
      ctx.logger.debug(`IB ${code}: ${message}`);
      ctx.report(describeIbError(code, message));
  }
}
