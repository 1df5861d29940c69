/**
 * Each futures product's trading week and regular (liquid) hours, in the
 * zone of its timeZoneId: the session date's minutes, negative for the
 * evening before (the calendar's Schedule). One session per weekday; a US
 * early-close day ends early; CME's equity and rates sessions run to a halt on
 * a US holiday other than New Year's Day, Good Friday and Christmas.
 */
import type { Schedule } from './calendar';
import type { Instrument } from './types';

const hm = (h: number, m = 0): number => h * 60 + m;

type FutureHours = Omit<Schedule, 'zone' | 'expiry'>;

/** CME Globex's equity index futures (ES, NQ), Chicago: IB's liquidHours for ES, 0830-1600; on a holiday halt the whole short session (until 12:00). */
const CME_EQUITY: FutureHours = {
  name: 'cme',
  start: hm(17) - hm(24),
  end: hm(16),
  rthStart: hm(8, 30),
  rthEnd: hm(16),
  holidays: 'us',
  earlyEnd: hm(12, 15),
  earlyRthEnd: hm(12, 15),
  holidayHalt: hm(12),
};

/** NYMEX energy (CL), Chicago: Globex 17:00-16:00, regular hours 08:00-13:30; closed on US holidays. */
const NYMEX_ENERGY: FutureHours = {
  name: 'nymex',
  start: hm(17) - hm(24),
  end: hm(16),
  rthStart: hm(8),
  rthEnd: hm(13, 30),
  holidays: 'us',
  earlyEnd: hm(12, 45),
  earlyRthEnd: hm(12, 45),
};

/**
 * CBOT's Treasury futures (ZN, ZB, ZF), Chicago: Globex Sunday-Friday 17:00-16:00, liquid 07:20-14:00 (the
 * open outcry pit's old hours, which IB keeps as their regular hours). Early closes and holiday halts as ES's.
 */
const CBOT_TREASURIES: FutureHours = { ...CME_EQUITY, name: 'cbot-rates', rthStart: hm(7, 20), rthEnd: hm(14) };

/** CFE's VIX futures (VX), Chicago as CFE publishes them: Sunday-Friday 17:00-16:00, liquid 08:30-15:00. */
const CFE_VIX: FutureHours = { ...CME_EQUITY, name: 'cfe', rthEnd: hm(15) };

/**
 * COMEX metals (GC) on CME Globex, New York: Sunday-Friday 18:00-17:00 with the daily hour's break, liquid
 * 08:20-13:30; like NYMEX's energy (CME's shared holiday schedule for both): closed on US holidays, an early
 * close at 13:45 New York (12:45 Chicago) on a US early-close day.
 */
const COMEX_METALS: FutureHours = {
  name: 'comex',
  start: hm(18) - hm(24),
  end: hm(17),
  rthStart: hm(8, 20),
  rthEnd: hm(13, 30),
  holidays: 'us',
  earlyEnd: hm(13, 45),
  earlyRthEnd: hm(13, 30),
};

/** By product (symbol@exchange) first, then by exchange; anything else trades CME's equity hours. */
const BY_PRODUCT: Record<string, FutureHours> = {
  'ZN@CBOT': CBOT_TREASURIES,
  'ZB@CBOT': CBOT_TREASURIES,
  'ZF@CBOT': CBOT_TREASURIES,
  'VIX@CFE': CFE_VIX,
  'GC@COMEX': COMEX_METALS,
};
const BY_EXCHANGE: Record<string, FutureHours> = { NYMEX: NYMEX_ENERGY, CBOT: CBOT_TREASURIES, CFE: CFE_VIX, COMEX: COMEX_METALS };

/** A future's schedule (before its expiry is applied), in `zone` (the IANA zone of its timeZoneId). */
export function futureSchedule(inst: Instrument, zone: string): Schedule {
  const hours = BY_PRODUCT[`${inst.symbol}@${inst.exchange}`] ?? BY_EXCHANGE[inst.exchange] ?? CME_EQUITY;
  return { ...hours, zone };
}
