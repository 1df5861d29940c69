/**
 * The built-in universe's data: US stocks and ETFs, indices, forex pairs and
 * an ambiguous listing. Real IB conIds where they are well known, stable
 * invented ones otherwise. Futures months are computed (futures.ts).
 */
import type { Instrument } from './types';

// A US stock's order types and valid exchanges as recorded for TSLA on SMART (Nasdaq is ISLAND there, not NASDAQ).
const STOCK_ORDER_TYPES =
  'ACTIVETIM,AD,ADJUST,ALERT,ALGO,ALLOC,AON,AVGCOST,BASKET,BENCHPX,CASHQTY,COND,CONDORDER,DARKONLY,DARKPOLL,DAY,DEACT,DEACTDIS,DEACTEOD,DIS,DUR,GAT,GTC,GTD,GTT,HID,IBKRATS,ICE,IMB,IOC,LIT,LMT,LOC,MIDPX,MIT,MKT,MOC,MTL,NGCOMB,NODARK,NONALGO,OCA,OPG,OPGREROUT,PEGBENCH,PEGMID,POSTATS,POSTONLY,PREOPGRTH,PRICECHK,REL,REL2MID,RELPCTOFS,RPI,RTH,SCALE,SCALEODD,SCALERST,SIZECHK,SNAPMID,SNAPMKT,SNAPREL,STP,STPLMT,SWEEP,TRAIL,TRAILLIT,TRAILLMT,TRAILMIT,WHATIF';
// As recorded for EUR.USD.
const FX_ORDER_TYPES =
  'ACTIVETIM,AD,ADJUST,ALERT,ALGO,ALLOC,AVGCOST,BASKET,CASHQTY,COND,CONDORDER,DAY,DEACT,DEACTDIS,DEACTEOD,GAT,GTC,GTD,GTT,HID,IOC,LIT,LMT,MIT,MKT,NONALGO,OCA,REL,RELPCTOFS,SCALE,SCALERST,STP,STPLMT,TRAIL,TRAILLIT,TRAILLMT,TRAILMIT,WHATIF';
const INDEX_ORDER_TYPES =
  'ACTIVETIM,AD,ADJUST,ALERT,ALLOC,AVGCOST,BASKET,COND,CONDORDER,DAY,DEACT,DEACTDIS,DEACTEOD,GAT,GTC,GTD,GTT,LMT,NONALGO,OCA,SCALE,SCALERST,WHATIF';
const US_VALID = 'SMART,AMEX,NYSE,CBOE,PHLX,ISE,CHX,ARCA,ISLAND,DRCTEDGE,BEX,BATS,EDGEA,CSFBALGO,JEFFALGO,BYX,IEX,EDGX,FOXRIVER,PEARL,NYSENAT,LTSE,MEMX,PSX';

interface StockSeed {
  conId: number;
  symbol: string;
  primary: string;
  name: string;
  industry: string;
  category: string;
  subcategory: string;
  price: number;
  vol: number;
  avgVolume: number;
  etf?: boolean;
  headDate?: string;
  /** The index an ETF follows (its conId). */
  follows?: number;
  /** Its ISIN, where a recording shows it (CONTRACT_DATA's secIdList). */
  isin?: string;
}

function usStock(s: StockSeed): Instrument {
  return {
    conId: s.conId,
    symbol: s.symbol,
    secType: 'STK',
    exchange: 'SMART',
    primaryExchange: s.primary,
    currency: 'USD',
    localSymbol: s.symbol,
    tradingClass: s.primary === 'NASDAQ' ? 'NMS' : s.symbol,
    lastTradeDateOrContractMonth: '',
    contractMonth: '',
    multiplier: '',
    minTick: 0.01,
    longName: s.name,
    industry: s.industry,
    category: s.category,
    subcategory: s.subcategory,
    stockType: s.etf ? 'ETF' : 'COMMON',
    timeZoneId: 'US/Eastern',
    validExchanges: US_VALID,
    orderTypes: STOCK_ORDER_TYPES,
    marketRuleIds: US_VALID.split(',')
      .map(() => '26')
      .join(','),
    basePrice: s.price,
    volatility: s.vol,
    averageVolume: s.avgVolume,
    liveSubscribed: true,
    quoteOnly: false,
    headDate: s.headDate ?? '19800102',
    follows: s.follows,
    ...(s.isin ? { secIds: [['ISIN', s.isin]] as const } : {}),
  };
}

// One listing per line, as a table.
// prettier-ignore
const STOCKS: StockSeed[] = [
  { conId: 265598, symbol: 'AAPL', primary: 'NASDAQ', name: 'APPLE INC', industry: 'Technology', category: 'Computers', subcategory: 'Computers', price: 232.5, vol: 0.28, avgVolume: 55_000_000, headDate: '19801212' },
  { conId: 272093, symbol: 'MSFT', primary: 'NASDAQ', name: 'MICROSOFT CORP', industry: 'Technology', category: 'Software', subcategory: 'Software', price: 468.2, vol: 0.25, avgVolume: 21_000_000, headDate: '19860313' },
  { conId: 4815747, symbol: 'NVDA', primary: 'NASDAQ', name: 'NVIDIA CORP', industry: 'Technology', category: 'Semiconductors', subcategory: 'Electronic Compo-Semicon', price: 181.4, vol: 0.5, avgVolume: 190_000_000, headDate: '19990122' },
  { conId: 76792991, symbol: 'TSLA', primary: 'NASDAQ', name: 'TESLA INC', industry: 'Consumer, Cyclical', category: 'Auto Manufacturers', subcategory: 'Auto-Cars/Light Trucks', price: 402.7, vol: 0.6, avgVolume: 95_000_000, headDate: '20100629', isin: 'US88160R1014' },
  { conId: 3691937, symbol: 'AMZN', primary: 'NASDAQ', name: 'AMAZON.COM INC', industry: 'Communications', category: 'Internet', subcategory: 'E-Commerce/Products', price: 221.3, vol: 0.32, avgVolume: 42_000_000, headDate: '19970515' },
  { conId: 208813719, symbol: 'GOOGL', primary: 'NASDAQ', name: 'ALPHABET INC-CL A', industry: 'Communications', category: 'Internet', subcategory: 'Web Portals/ISP', price: 286.9, vol: 0.3, avgVolume: 30_000_000, headDate: '20040819' },
  { conId: 107113386, symbol: 'META', primary: 'NASDAQ', name: 'META PLATFORMS INC-CLASS A', industry: 'Communications', category: 'Internet', subcategory: 'Internet Content-Entmnt', price: 612.4, vol: 0.38, avgVolume: 14_000_000, headDate: '20120518' },
  { conId: 1520593, symbol: 'JPM', primary: 'NYSE', name: 'JPMORGAN CHASE & CO', industry: 'Financial', category: 'Banks', subcategory: 'Diversified Banking Inst', price: 298.1, vol: 0.22, avgVolume: 9_000_000 },
  { conId: 13977, symbol: 'XOM', primary: 'NYSE', name: 'EXXON MOBIL CORP', industry: 'Energy', category: 'Oil&Gas', subcategory: 'Oil Comp-Integrated', price: 117.6, vol: 0.24, avgVolume: 15_000_000 },
  { conId: 8894, symbol: 'KO', primary: 'NYSE', name: 'COCA-COLA CO/THE', industry: 'Consumer, Non-cyclical', category: 'Beverages', subcategory: 'Beverages-Non-alcoholic', price: 69.8, vol: 0.16, avgVolume: 13_000_000 },
  { conId: 8314, symbol: 'IBM', primary: 'NYSE', name: 'INTL BUSINESS MACHINES CORP', industry: 'Technology', category: 'Computers', subcategory: 'Computer Services', price: 305.2, vol: 0.26, avgVolume: 4_500_000 },
  { conId: 15124833, symbol: 'NFLX', primary: 'NASDAQ', name: 'NETFLIX INC', industry: 'Communications', category: 'Internet', subcategory: 'Internet Content-Entmnt', price: 108.4, vol: 0.4, avgVolume: 35_000_000, headDate: '20020523' },
  { conId: 4391, symbol: 'AMD', primary: 'NASDAQ', name: 'ADVANCED MICRO DEVICES', industry: 'Technology', category: 'Semiconductors', subcategory: 'Electronic Compo-Semicon', price: 214.9, vol: 0.55, avgVolume: 48_000_000 },
  { conId: 6459, symbol: 'DIS', primary: 'NYSE', name: 'WALT DISNEY CO/THE', industry: 'Communications', category: 'Media', subcategory: 'Multimedia', price: 112.3, vol: 0.27, avgVolume: 9_500_000 },
  { conId: 10098, symbol: 'BAC', primary: 'NYSE', name: 'BANK OF AMERICA CORP', industry: 'Financial', category: 'Banks', subcategory: 'Super-Regional Banks-US', price: 51.7, vol: 0.26, avgVolume: 38_000_000 },
  { conId: 756733, symbol: 'SPY', primary: 'ARCA', name: 'SPDR S&P 500 ETF TRUST', industry: 'Funds', category: 'Equity Fund', subcategory: 'Growth-Large Cap', price: 665.6, vol: 0.16, avgVolume: 70_000_000, etf: true, headDate: '19930129', follows: 416904 },
  { conId: 320227571, symbol: 'QQQ', primary: 'NASDAQ', name: 'INVESCO QQQ TRUST SERIES 1', industry: 'Funds', category: 'Equity Fund', subcategory: 'Growth-Large Cap', price: 605.1, vol: 0.2, avgVolume: 45_000_000, etf: true, headDate: '19990310', follows: 416843 },
  { conId: 9579970, symbol: 'IWM', primary: 'ARCA', name: 'ISHARES RUSSELL 2000 ETF', industry: 'Funds', category: 'Equity Fund', subcategory: 'Small Cap', price: 243.8, vol: 0.23, avgVolume: 32_000_000, etf: true, headDate: '20000526' },
  { conId: 51529211, symbol: 'GLD', primary: 'ARCA', name: 'SPDR GOLD SHARES', industry: 'Funds', category: 'Commodity Fund', subcategory: 'Precious Metals', price: 380.6, vol: 0.16, avgVolume: 9_000_000, etf: true, headDate: '20041118' },
  { conId: 15547841, symbol: 'TLT', primary: 'NASDAQ', name: 'ISHARES 20+ YEAR TREASURY BD', industry: 'Funds', category: 'Debt Fund', subcategory: 'Government', price: 89.9, vol: 0.14, avgVolume: 38_000_000, etf: true, headDate: '20020726' },
];

/** SHOP trades in New York (USD) and Toronto (CAD): the same symbol, two contracts. */
function shopify(): Instrument[] {
  const nyse = usStock({
    conId: 195014116,
    symbol: 'SHOP',
    primary: 'NYSE',
    name: 'SHOPIFY INC - CLASS A',
    industry: 'Communications',
    category: 'Internet',
    subcategory: 'E-Commerce/Services',
    price: 152.8,
    vol: 0.55,
    avgVolume: 9_000_000,
    headDate: '20150521',
  });
  const tse: Instrument = {
    ...nyse,
    conId: 195014255,
    exchange: 'SMART',
    primaryExchange: 'TSE',
    currency: 'CAD',
    tradingClass: 'SHOP',
    timeZoneId: 'America/Toronto',
    validExchanges: 'SMART,TSE,ALPHA,CHIXCA,OMEGA,PURE',
    marketRuleIds: '4,4,4,4,4,4',
    basePrice: 213.4,
    // the same company: Toronto's price is New York's in Canadian dollars (213.4 / 152.8, about USD.CAD)
    follows: nyse.conId,
    averageVolume: 1_800_000,
    liveSubscribed: false,
  };
  return [nyse, tse];
}

/** Royal Bank of Canada on Toronto: no subscription and no delayed data for it (10168). */
function royalBank(): Instrument {
  return {
    ...usStock({
      conId: 4458964,
      symbol: 'RY',
      primary: 'TSE',
      name: 'ROYAL BANK OF CANADA',
      industry: 'Financial',
      category: 'Banks',
      subcategory: 'Commer Banks Non-US',
      price: 196.3,
      vol: 0.18,
      avgVolume: 5_000_000,
      headDate: '19950101',
    }),
    currency: 'CAD',
    tradingClass: 'RY',
    timeZoneId: 'America/Toronto',
    validExchanges: 'SMART,TSE,ALPHA,CHIXCA,OMEGA,PURE',
    marketRuleIds: '4,4,4,4,4,4',
    liveSubscribed: false,
    delayedAvailable: false,
  };
}

function index(conId: number, symbol: string, exchange: string, name: string, price: number, vol: number): Instrument {
  return {
    conId,
    symbol,
    secType: 'IND',
    exchange,
    primaryExchange: exchange,
    currency: 'USD',
    localSymbol: symbol,
    tradingClass: symbol,
    lastTradeDateOrContractMonth: '',
    contractMonth: '',
    multiplier: '',
    minTick: 0.01,
    longName: name,
    industry: 'Indices',
    category: 'Equity Index',
    subcategory: 'Broad',
    stockType: '',
    timeZoneId: 'US/Eastern',
    validExchanges: exchange,
    orderTypes: INDEX_ORDER_TYPES,
    marketRuleIds: '',
    basePrice: price,
    volatility: vol,
    averageVolume: 0,
    liveSubscribed: true,
    quoteOnly: false,
    headDate: '19900102',
  };
}

/** `marketRule`: EUR.USD's 3188 as recorded (Dec 2023); for the pairs with no recording 239, EUR.USD's in an older answer (Dec 2022). */
function forex(conId: number, base: string, quote: string, name: string, price: number, minTick: number, vol: number, marketRule = '239'): Instrument {
  const pair = `${base}.${quote}`;
  return {
    conId,
    symbol: base,
    secType: 'CASH',
    exchange: 'IDEALPRO',
    primaryExchange: '',
    currency: quote,
    localSymbol: pair,
    tradingClass: pair,
    lastTradeDateOrContractMonth: '',
    contractMonth: '',
    multiplier: '',
    minTick,
    quoteTick: Number((minTick / 5).toPrecision(12)),
    longName: name,
    industry: '',
    category: '',
    subcategory: '',
    stockType: '',
    timeZoneId: 'US/Eastern',
    validExchanges: 'IDEALPRO',
    orderTypes: FX_ORDER_TYPES,
    marketRuleIds: marketRule,
    // IDEALPRO takes fractional amounts: minSize, sizeIncrement, suggestedSizeIncrement 0.01 (recorded for EUR.USD)
    sizeRules: ['0.01', '0.01', '0.01'],
    basePrice: price,
    volatility: vol,
    averageVolume: 0,
    liveSubscribed: true,
    quoteOnly: true,
    headDate: '20050103',
  };
}

export function staticInstruments(): Instrument[] {
  return [
    ...STOCKS.map(usStock),
    ...shopify(),
    royalBank(),
    index(416904, 'SPX', 'CBOE', 'S&P 500 Stock Index', 6672.4, 0.16),
    // VIX needs CBOE's index subscription for the API, which the simulated account lacks: 10089.
    { ...index(13455763, 'VIX', 'CBOE', 'CBOE Volatility Index', 17.2, 0.9), apiSubscriptionMissing: true },
    index(416843, 'NDX', 'NASDAQ', 'NASDAQ 100 Stock Index', 24530.8, 0.2),
    forex(12087792, 'EUR', 'USD', 'European Monetary Union Euro', 1.1568, 0.00005, 0.07, '3188'),
    forex(12087797, 'GBP', 'USD', 'British pound', 1.3112, 0.00005, 0.08),
    forex(15016059, 'USD', 'JPY', 'US dollar', 156.42, 0.005, 0.09),
  ];
}

/**
 * Synthetic listings for load tests and benchmarks: "SIM001".."SIMnnn", US
 * stocks on NASDAQ with conIds from 990001, prices and volatilities spread
 * deterministically. Not in the default universe.
 */
export function syntheticStocks(count: number): Instrument[] {
  const out: Instrument[] = [];
  for (let i = 1; i <= Math.min(Math.max(0, Math.floor(count)), 999); i++) {
    const symbol = `SIM${String(i).padStart(3, '0')}`;
    out.push(
      usStock({
        conId: 990000 + i,
        symbol,
        primary: 'NASDAQ',
        name: `SIMULATED LISTING ${i}`,
        industry: 'Technology',
        category: 'Software',
        subcategory: 'Software',
        price: 20 + ((i * 37) % 480),
        vol: 0.2 + ((i * 7) % 40) / 100,
        avgVolume: 1_000_000 + ((i * 131) % 50) * 100_000,
      }),
    );
  }
  return out;
}
