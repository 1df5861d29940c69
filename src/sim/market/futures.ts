/**
 * Futures contract months, computed from a date so the universe always lists
 * live contracts: ES and NQ quarterly (third Friday of Mar/Jun/Sep/Dec, CME),
 * CL monthly (NYMEX, three business days before the 25th of the month before),
 * VIX monthly (CFE: the Wednesday 30 days before the third Friday of the month
 * after; IB's symbol VIX, trading class VX, local symbols VXZ6...), and CBOT's
 * Treasury futures ZN and ZB quarterly (the seventh business day before the
 * last business day of the month) and ZF quarterly (its last business day),
 * priced in fractions of a point (1/64, 1/32, 1/128), and COMEX gold GC
 * (futures-comex.ts) in its even months. The months
 * that expired in the last two years are listed apart: IB answers them only to
 * a request that sets includeExpired. A contract month's conId is stable: it
 * depends only on the symbol and month.
 */
import { COMEX_SEEDS } from './futures-comex';
import { isUsHoliday } from './holidays';
import { dayFromYmd, dayString, weekday } from './timezone';
import type { Instrument } from './types';

const MONTH_CODES = 'FGHJKMNQUVXZ';
/** ES's order types as TWS lists them (recorded CONTRACT_DATA of ESM5). */
const ES_ORDER_TYPES =
  'ACTIVETIM,AD,ADJUST,ALERT,ALGO,ALLOC,AVGCOST,BASKET,BENCHPX,COND,CONDORDER,DAY,DEACT,DEACTDIS,DEACTEOD,GAT,GTC,GTD,GTT,HID,ICE,IOC,LIT,LMT,LTH,MIT,MKT,MTL,NGCOMB,NONALGO,OCA,PEGBENCH,SCALE,SCALERST,SNAPMID,SNAPMKT,SNAPREL,STP,STPLMT,TRAIL,TRAILLIT,TRAILLMT,TRAILMIT,WHATIF';
const FUT_ORDER_TYPES =
  'ACTIVETIM,AD,ADJUST,ALERT,ALLOC,AVGCOST,BASKET,COND,CONDORDER,DAY,DEACT,DEACTDIS,DEACTEOD,GAT,GTC,GTD,GTT,HID,IOC,LIT,LMT,LTH,MIT,MKT,MTL,NGCOMB,NONALGO,OCA,SCALE,SCALERST,SNAPMID,SNAPMKT,SNAPREL,STP,STPLMT,TRAIL,TRAILLIT,TRAILLMT,TRAILMIT,WHATIF';

export interface FutureSeed {
  symbol: string;
  /** The local symbol's root and the trading class, where they are not the symbol (VIX: VX, its months VXZ6...). */
  root?: string;
  exchange: string;
  name: string;
  multiplier: string;
  minTick: number;
  price: number;
  vol: number;
  avgVolume: number;
  conIdBase: number;
  quarterly: boolean;
  /** The months listed (1-12) where they are not every month or, quarterly, every third (GC: the even months). */
  months?: readonly number[];
  /** The last trade day's rule where it is not the quarterly (third Friday) or NYMEX crude one. */
  expiryRule?: 'vix' | 'treasury' | 'month-end' | 'third-last';
  /** Annual carry over the spot level (log) where it is not the default's (walk.ts). */
  carry?: number;
  count: number;
  marketRule: string;
  /** The index the future is on (its conId): the future follows it. */
  follows?: number;
  /** The underlying's conId as CONTRACT_DATA names it, when known. */
  detailsUnderConId?: number;
  /** Last trading time on the expiry date, "HH:mm" in its time zone. */
  lastTradeTime?: string;
  /** IB's timeZoneId where it is not US/Central (GC: US/Eastern). */
  timeZoneId?: string;
  validExchanges?: string;
  orderTypes?: string;
}

const SEEDS: FutureSeed[] = [
  {
    symbol: 'ES',
    exchange: 'CME',
    name: 'E-mini S&P 500',
    multiplier: '50',
    minTick: 0.25,
    price: 6672.4, // SPX's base: the carry makes the difference
    vol: 0.16,
    avgVolume: 1_400_000,
    conIdBase: 649_180_000,
    quarterly: true,
    count: 3,
    // recorded ESM5: validExchanges "CME,QBALGO", one market rule each, underConId 11004968, last trade 08:30 US/Central
    marketRule: '67,67',
    validExchanges: 'CME,QBALGO',
    orderTypes: ES_ORDER_TYPES,
    follows: 416904,
    detailsUnderConId: 11004968,
    lastTradeTime: '08:30',
  },
  {
    symbol: 'NQ',
    exchange: 'CME',
    name: 'E-mini NASDAQ 100',
    multiplier: '20',
    minTick: 0.25,
    price: 24530.8, // NDX's base
    vol: 0.2,
    avgVolume: 550_000,
    conIdBase: 649_190_000,
    quarterly: true,
    count: 2,
    marketRule: '67',
    follows: 416843,
    // CME's equity index futures stop trading at 08:30 Chicago on the expiry date, as ES does
    lastTradeTime: '08:30',
  },
  {
    symbol: 'CL',
    exchange: 'NYMEX',
    name: 'Light Sweet Crude Oil',
    multiplier: '1000',
    minTick: 0.01,
    price: 59.8,
    vol: 0.35,
    avgVolume: 300_000,
    conIdBase: 649_200_000,
    quarterly: false,
    count: 3,
    marketRule: '32',
  },
  {
    symbol: 'VIX',
    root: 'VX',
    exchange: 'CFE',
    name: 'CBOE Volatility Index',
    multiplier: '1000',
    minTick: 0.05,
    price: 18.4, // over the index's base: the carry of a VIX future
    vol: 0.9,
    avgVolume: 220_000,
    conIdBase: 649_210_000,
    quarterly: false,
    expiryRule: 'vix',
    count: 3,
    marketRule: '32',
    follows: 13455763,
    // CFE: trading in an expiring VX month ends at 08:00 Chicago on its final settlement date
    lastTradeTime: '08:00',
  },
  // CBOT's Treasury futures: $1000 a point, prices in 32nds of a point and their fractions; their own path (no
  // index). Trading in an expiring month ends at 12:01 Chicago (CME's contract specs). Deferred months trade a
  // little under the front (positive carry: the coupon earns more than financing costs). Their market rule ids
  // are placeholders: no capture of a Treasury future's CONTRACT_DATA (the simulator serves no REQ_MARKET_RULE).
  {
    symbol: 'ZN',
    exchange: 'CBOT',
    name: '10-Year T-Note',
    multiplier: '1000',
    minTick: 0.015625, // 1/64: half a 32nd
    price: 111.5,
    vol: 0.055,
    avgVolume: 1_600_000,
    conIdBase: 649_220_000,
    quarterly: true,
    expiryRule: 'treasury',
    carry: -0.01,
    count: 3,
    marketRule: '110',
    lastTradeTime: '12:01',
  },
  {
    symbol: 'ZB',
    exchange: 'CBOT',
    name: 'U.S. Treasury Bond',
    multiplier: '1000',
    minTick: 0.03125, // 1/32
    price: 117.5,
    vol: 0.1,
    avgVolume: 380_000,
    conIdBase: 649_230_000,
    quarterly: true,
    expiryRule: 'treasury',
    carry: -0.01,
    count: 3,
    marketRule: '111',
    lastTradeTime: '12:01',
  },
  {
    symbol: 'ZF',
    exchange: 'CBOT',
    name: '5-Year T-Note',
    multiplier: '1000',
    minTick: 0.0078125, // 1/128: a quarter of a 32nd
    price: 108,
    vol: 0.035,
    avgVolume: 850_000,
    conIdBase: 649_240_000,
    quarterly: true,
    // the 2- and 5-year notes trade until the contract month's last business day
    expiryRule: 'month-end',
    carry: -0.01,
    count: 3,
    marketRule: '112',
    lastTradeTime: '12:01',
  },
  ...COMEX_SEEDS,
];

/** Does the future list this contract month (1-12)? */
function listsMonth(seed: FutureSeed, month: number): boolean {
  return seed.months ? seed.months.includes(month) : !seed.quarterly || month % 3 === 0;
}

function isBusinessDay(day: number): boolean {
  const wd = weekday(day);
  return wd !== 0 && wd !== 6 && !isUsHoliday(day);
}

function thirdFriday(year: number, month: number): number {
  const first = dayFromYmd(year, month, 1);
  return first + ((5 - weekday(first) + 7) % 7) + 14;
}

/** CL: trading stops 3 business days before the 25th of the month before the contract month (4 if the 25th is not a business day). */
function crudeExpiry(year: number, month: number): number {
  const d25 = dayFromYmd(year, month - 1, 25);
  let d = d25;
  let needed = isBusinessDay(d25) ? 3 : 4;
  while (needed > 0) {
    d--;
    if (isBusinessDay(d)) needed--;
  }
  return d;
}

/** VX: the Wednesday 30 days before the third Friday of the month after (the business day before when that is a holiday). */
function vixExpiry(year: number, month: number): number {
  let d = thirdFriday(year, month + 1) - 30;
  while (!isBusinessDay(d)) d--;
  return d;
}

/** The contract month's last business day. */
function lastBusinessDay(year: number, month: number): number {
  let d = dayFromYmd(year, month + 1, 0);
  while (!isBusinessDay(d)) d--;
  return d;
}

/** GC: the third-to-last business day of the contract month. */
function thirdLastBusinessDay(year: number, month: number): number {
  let d = lastBusinessDay(year, month);
  for (let needed = 2; needed > 0; ) {
    d--;
    if (isBusinessDay(d)) needed--;
  }
  return d;
}

/** ZN, ZB: the seventh business day before the last business day of the contract month. */
function treasuryExpiry(year: number, month: number): number {
  let d = lastBusinessDay(year, month);
  for (let needed = 7; needed > 0; ) {
    d--;
    if (isBusinessDay(d)) needed--;
  }
  return d;
}

function expiryOf(seed: FutureSeed, year: number, month: number): number {
  if (seed.expiryRule === 'vix') return vixExpiry(year, month);
  if (seed.expiryRule === 'treasury') return treasuryExpiry(year, month);
  if (seed.expiryRule === 'month-end') return lastBusinessDay(year, month);
  if (seed.expiryRule === 'third-last') return thirdLastBusinessDay(year, month);
  if (seed.quarterly) {
    let d = thirdFriday(year, month);
    while (!isBusinessDay(d)) d--;
    return d;
  }
  return crudeExpiry(year, month);
}

function contract(seed: FutureSeed, year: number, month: number, expiry: number): Instrument {
  const ym = `${year}${String(month).padStart(2, '0')}`;
  return {
    conId: seed.conIdBase + (year - 2000) * 12 + month,
    symbol: seed.symbol,
    secType: 'FUT',
    exchange: seed.exchange,
    primaryExchange: seed.exchange,
    currency: 'USD',
    localSymbol: `${seed.root ?? seed.symbol}${MONTH_CODES[month - 1]}${year % 10}`,
    tradingClass: seed.root ?? seed.symbol,
    lastTradeDateOrContractMonth: dayString(expiry),
    lastTradeTime: seed.lastTradeTime,
    contractMonth: ym,
    multiplier: seed.multiplier,
    minTick: seed.minTick,
    longName: seed.name,
    industry: '',
    // IB leaves industry, category and subcategory empty for futures (recorded ESM5)
    category: '',
    subcategory: '',
    stockType: '',
    timeZoneId: seed.timeZoneId ?? 'US/Central',
    validExchanges: seed.validExchanges ?? seed.exchange,
    orderTypes: seed.orderTypes ?? FUT_ORDER_TYPES,
    marketRuleIds: seed.marketRule,
    basePrice: seed.price,
    volatility: seed.vol,
    averageVolume: seed.avgVolume,
    liveSubscribed: true,
    quoteOnly: false,
    headDate: dayString(expiry - 400),
    follows: seed.follows,
    cycleDays: seed.months ? Math.round(365 / seed.months.length) : seed.quarterly ? 91 : 30,
    detailsUnderConId: seed.detailsUnderConId,
    ...(seed.carry === undefined ? {} : { carry: seed.carry }),
  };
}

/** The next `count` unexpired contract months of each future, as of `nowMs`; their conIds moved by `conIdShift`. */
export function futuresAsOf(nowMs: number, conIdShift = 0): Instrument[] {
  const today = Math.floor(nowMs / 86_400_000);
  const now = new Date(nowMs);
  const out: Instrument[] = [];
  for (const seed of SEEDS) {
    let year = now.getUTCFullYear();
    let month = now.getUTCMonth() + 1;
    let found = 0;
    for (let guard = 0; found < seed.count && guard < 48; guard++) {
      if (listsMonth(seed, month)) {
        const expiry = expiryOf(seed, year, month);
        if (expiry >= today) {
          const c = contract(seed, year, month, expiry);
          out.push(conIdShift ? { ...c, conId: c.conId + conIdShift } : c);
          found++;
        }
      }
      month++;
      if (month > 12) {
        month = 1;
        year++;
      }
    }
  }
  return out;
}

/** IB keeps an expired futures month this many days (two years), for includeExpired requests: its details and bars. */
const EXPIRED_KEPT_DAYS = 730;

/** The months of each future that expired before `nowMs` and within the last two years, latest first; conIds moved by `conIdShift`. */
export function expiredFuturesAsOf(nowMs: number, conIdShift = 0): Instrument[] {
  const today = Math.floor(nowMs / 86_400_000);
  const now = new Date(nowMs);
  const out: Instrument[] = [];
  for (const seed of SEEDS) {
    // from two months ahead: a month can expire in the month before its own (CL)
    let year = now.getUTCFullYear() + (now.getUTCMonth() >= 10 ? 1 : 0);
    let month = ((now.getUTCMonth() + 2) % 12) + 1;
    for (let guard = 0; guard < 30; guard++) {
      if (listsMonth(seed, month)) {
        const expiry = expiryOf(seed, year, month);
        if (expiry < today && expiry >= today - EXPIRED_KEPT_DAYS) {
          const c = contract(seed, year, month, expiry);
          out.push(conIdShift ? { ...c, conId: c.conId + conIdShift } : c);
        }
      }
      month--;
      if (month < 1) {
        month = 12;
        year--;
      }
    }
  }
  return out;
}

/**
 * The contract month before `inst` in its future's cycle, as it was listed
 * (its expiry is where `inst` became the front month); its conId is not moved
 * by a universe's shift. Undefined for a future the simulator does not list.
 */
export function previousMonth(inst: Instrument): Instrument | undefined {
  const seed = SEEDS.find((s) => s.symbol === inst.symbol && s.exchange === inst.exchange);
  const ym = /^(\d{4})(\d{2})$/.exec(inst.contractMonth);
  if (!seed || !ym) return undefined;
  let year = Number(ym[1]);
  let month = Number(ym[2]);
  do {
    month--;
    if (month < 1) {
      month = 12;
      year--;
    }
  } while (!listsMonth(seed, month));
  return contract(seed, year, month, expiryOf(seed, year, month));
}
