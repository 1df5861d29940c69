/**
 * Bar times as TWS writes them -> the instant (UTC epoch seconds) they stand for.
 *
 * - "1700000000": epoch seconds (formatDate 2, intraday).
 * - "20230413": a date (daily and longer bars, whatever formatDate asked):
 *   UTC midnight of that date, the key the domain gives a trading day.
 * - "20250714 09:30:00 US/Eastern": server 174 on; the contract's time zone.
 * - "20230413  16:31:22" (two spaces) or one space, no zone: before 174; in
 *   the TWS login zone (the handshake's connection time). When that zone is
 *   unknown, the contract's zone is the better guess, then UTC.
 * - "20250714-13:30:00": UTC.
 * - "0714 09:30:00 US/Eastern": a captured TWS anomaly (the year lost); the
 *   year is the latest that does not put the bar after now.
 */
import { zonedTimeToEpoch } from './time-zone';
import { resolveZone } from './tws-zone-names';

export interface BarTimeContext {
  /** CONTRACT_DATA's timeZoneId ("US/Eastern"). */
  contractZone?: string;
  /** The zone of the handshake's connection time ("British Summer Time"). */
  loginZone?: string;
  /** Now, epoch ms: only for a bar date that lost its year. */
  nowMs?: number;
}

const EPOCH = /^\d{9,11}$/;
const DATE_ONLY = /^(\d{4})(\d{2})(\d{2})$/;
const UTC_DASH = /^(\d{4})(\d{2})(\d{2})-(\d{2}):(\d{2}):(\d{2})$/;
const DATE_TIME = /^(\d{4})?(\d{2})(\d{2}) +(\d{2}):(\d{2}):(\d{2})(?: +(\S.*))?$/;

function validDate(y: number, mo: number, d: number): boolean {
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Epoch seconds of a bar time, or undefined when the text is not one. */
export function parseBarTime(text: string, ctx: BarTimeContext = {}): number | undefined {
  const t = text.trim();
  if (EPOCH.test(t)) return Number(t);
  let m = DATE_ONLY.exec(t);
  if (m) {
    const [y, mo, d] = m.slice(1, 4).map(Number);
    return validDate(y, mo, d) ? Date.UTC(y, mo - 1, d) / 1000 : undefined;
  }
  m = UTC_DASH.exec(t);
  if (m) {
    const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
    return validDate(y, mo, d) && h < 24 && mi < 60 && s < 60 ? Date.UTC(y, mo - 1, d, h, mi, s) / 1000 : undefined;
  }
  m = DATE_TIME.exec(t);
  if (!m) return undefined;
  const [mo, d, h, mi, s] = m.slice(2, 7).map(Number);
  if (h >= 24 || mi >= 60 || s >= 60) return undefined;
  const zone = m[7] !== undefined ? resolveZone(m[7]) : (resolveZone(ctx.loginZone) ?? resolveZone(ctx.contractZone) ?? 'UTC');
  if (!zone) return undefined;
  if (m[1] !== undefined) {
    const y = Number(m[1]);
    if (!validDate(y, mo, d)) return undefined;
    const ms = zonedTimeToEpoch(y, mo, d, h, mi, s, zone);
    return ms === undefined ? undefined : ms / 1000;
  }
  if (ctx.nowMs === undefined) return undefined;
  const nowYear = new Date(ctx.nowMs).getUTCFullYear();
  for (const y of [nowYear + 1, nowYear, nowYear - 1]) {
    if (!validDate(y, mo, d)) continue;
    const ms = zonedTimeToEpoch(y, mo, d, h, mi, s, zone);
    if (ms !== undefined && ms <= ctx.nowMs + 86_400_000) return ms / 1000;
  }
  return undefined;
}
