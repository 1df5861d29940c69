/**
 * The symbol grammar: what a person can type to name a contract.
 *
 * ## Symbols
 *
 * | You type              | Means                                                        |
 * |-----------------------|--------------------------------------------------------------|
 * | `AAPL`                | US stock, routed SMART, in USD                               |
 * | `AAPL@NASDAQ`         | stock with its primary exchange (routed SMART)               |
 * | `SHOP@TSE`            | stock listed on TSE (currency from the exchange: CAD)        |
 * | `SHOP CAD`            | stock in the given currency                                  |
 * | `BRK.B`               | a share class (sent to IB as "BRK B")                        |
 * | `EUR.USD`             | forex pair on IDEALPRO (base.quote, three letters each);     |
 * |                       | `EUR/USD` the same                                           |
 * | `ES 202512 FUT@CME`   | future by contract month (YYYYMM) or expiry (YYYYMMDD)       |
 * | `ESZ5 FUT@CME`        | the same future by month code (F G H J K M N Q U V X Z) and  |
 * |                       | one- or two-digit year (the nearest year not in the past),   |
 * |                       | sent as IB's local symbol (root, month letter, last digit of |
 * |                       | the year): `VXZ6@CFE` is IB's VIX future, `6EZ6@CME` its EUR |
 * | `ESZ25@CME`           | a month code with an @exchange and no type also means FUT    |
 * | `ES FUT@CME`, `ES@CME`| every month of the future (one to pick): a root with a       |
 * |                       | futures exchange (CME, CBOT, NYMEX, COMEX, CFE...) is FUT    |
 * | `ES CONTFUT@CME`      | the continuous future: history only, across the rolls        |
 * | `SPX IND@CBOE`        | index                                                        |
 * | `265598`              | an IB contract id (conId)                                    |
 *
 * Words after the symbol may come in any order: a security type (`STK`, `IND`,
 * `FUT`, `CASH`, `CONTFUT`), a currency code (`USD`, `EUR`, `CAD`, ...), a contract month or expiry. The
 * `@EXCHANGE` part may follow the symbol or any word. Case does not matter.
 * A month or expiry alone implies `FUT`.
 *
 * Not accepted: empty text, control characters, more than 64 characters, more
 * than one exchange, type, currency or expiry, and words that are none of these.
 */
import { currentExchangeName, FUTURES_EXCHANGES } from '../facts/exchange-names';
import { futureExamples, MONTH_CODES } from '../facts/futures';
import type { SecType, SymbolSpec } from '../types';

export class SymbolSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SymbolSyntaxError';
  }
}

/** Examples for error messages, with a futures month that has not expired today. */
function examples(): string {
  const f = futureExamples(new Date());
  return `"AAPL", "AAPL@NASDAQ", "SHOP@TSE", "EUR.USD", "${f.byMonth}", "${f.byCode}", "SPX IND@CBOE" or a conId like "265598"`;
}
/** The longest symbol text read, in characters (the watchlist setting's limit too). */
export const MAX_SYMBOL_LENGTH = 64;
const SEC_TYPES: readonly SecType[] = ['STK', 'IND', 'FUT', 'CASH', 'CONTFUT'];
/** Currencies IB quotes in; a three-letter word outside this list is refused rather than guessed. */
const CURRENCIES = new Set([
  'USD',
  'EUR',
  'GBP',
  'JPY',
  'CHF',
  'CAD',
  'AUD',
  'NZD',
  'HKD',
  'SGD',
  'SEK',
  'NOK',
  'DKK',
  'CNH',
  'CNY',
  'KRW',
  'MXN',
  'ZAR',
  'PLN',
  'CZK',
  'HUF',
  'ILS',
  'TRY',
  'INR',
  'RUB',
  'SAR',
  'AED',
  'TWD',
  'BRL',
]);

/** Currency of stocks whose primary exchange is given and no currency is written. */
const EXCHANGE_CURRENCY: Record<string, string> = {
  NASDAQ: 'USD',
  NYSE: 'USD',
  ARCA: 'USD',
  AMEX: 'USD',
  BATS: 'USD',
  ISLAND: 'USD',
  IEX: 'USD',
  PINK: 'USD',
  TSE: 'CAD',
  VENTURE: 'CAD',
  LSE: 'GBP',
  IBIS: 'EUR',
  FWB: 'EUR',
  SBF: 'EUR',
  AEB: 'EUR',
  SEHK: 'HKD',
  ASX: 'AUD',
  TSEJ: 'JPY',
  EBS: 'CHF',
};

function fail(what: string): never {
  throw new SymbolSyntaxError(`${what}; expected a symbol such as ${examples()}`);
}

/**
 * The year a one- or two-digit futures year code stands for: the nearest one
 * that is not more than a year in the past, seen from `referenceYear`.
 */
export function expandYearCode(code: string, referenceYear: number): number {
  if (code.length === 2) {
    const century = Math.floor(referenceYear / 100) * 100;
    let year = century + Number(code);
    if (year < referenceYear - 1) year += 100;
    return year;
  }
  const decade = Math.floor(referenceYear / 10) * 10;
  let year = decade + Number(code);
  if (year < referenceYear - 1) year += 10;
  return year;
}

/** Parses what a person typed into a spec (see the grammar above). Throws SymbolSyntaxError. */
export function parseSymbol(input: string, referenceYear = new Date().getUTCFullYear()): SymbolSpec {
  if (typeof input !== 'string') fail('the symbol is not text');
  const text = input.trim();
  if (text.length === 0) fail('the symbol is empty');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(text)) fail('the symbol contains control characters');
  if (text.length > MAX_SYMBOL_LENGTH) fail(`the symbol is longer than ${MAX_SYMBOL_LENGTH} characters`);
  const upper = text.toUpperCase();

  if (/^\d+$/.test(upper)) {
    const conId = Number(upper);
    if (!Number.isSafeInteger(conId) || conId <= 0 || conId > 2_147_483_647) fail(`"${text}" is not a valid contract id (a positive whole number)`);
    return { text, conId };
  }

  // Pull out the one "@EXCHANGE" part, wherever it is attached.
  let exchange: string | undefined;
  const words: string[] = [];
  for (const raw of upper.split(/\s+/)) {
    const parts = raw.split('@');
    if (parts.length > 2) fail(`"${raw}" has more than one "@"`);
    if (parts.length === 2) {
      if (exchange !== undefined) fail('more than one "@EXCHANGE" is given');
      if (!/^[A-Z][A-Z0-9.]{0,15}$/.test(parts[1])) fail(`"@${parts[1]}" is not an exchange name (letters, like "@NASDAQ")`);
      // a name IB no longer accepts is written as it is now ("@ISLAND" -> "@NASDAQ")
      exchange = currentExchangeName(parts[1]);
      if (parts[0] !== '') words.push(parts[0]);
      else if (words.length === 0) fail('the symbol is missing before "@"');
    } else {
      words.push(raw);
    }
  }
  if (words.length === 0) fail('the symbol is missing');

  const [firstWord, ...rest] = words;
  let symbolWord = firstWord;
  let secType: SecType | undefined;
  let currency: string | undefined;
  let month: string | undefined;
  for (const w of rest) {
    if ((SEC_TYPES as readonly string[]).includes(w)) {
      if (secType) fail(`more than one security type is given ("${secType}" and "${w}")`);
      secType = w as SecType;
    } else if (/^\d{6}$|^\d{8}$/.test(w)) {
      if (month) fail(`more than one contract month is given ("${month}" and "${w}")`);
      if (!validMonth(w)) fail(`"${w}" is not a contract month YYYYMM or an expiry YYYYMMDD`);
      month = w;
    } else if (CURRENCIES.has(w)) {
      if (currency) fail(`more than one currency is given ("${currency}" and "${w}")`);
      currency = w;
    } else {
      fail(`"${w}" is not a security type (STK, IND, FUT, CASH, CONTFUT), a currency (USD, EUR, CAD, ...) or a contract month (YYYYMM)`);
    }
  }

  // Forex: BASE.QUOTE, or BASE/QUOTE as most charting sites write it (both sides currencies IB quotes)
  const slashed = /^([A-Z]{3})\/([A-Z]{3})$/.exec(symbolWord);
  const dotted = /^([A-Z]{3,5})[./]([A-Z]{3})$/.exec(symbolWord);
  // BTC.USD, XAU.USD: written as a pair, but IB lists crypto (PAXOS) and metals (CMDTY) as other kinds
  if (dotted && !CURRENCIES.has(dotted[1]) && CURRENCIES.has(dotted[2]) && (secType === undefined || secType === 'CASH'))
    fail(`"${symbolWord}" is not a forex pair IB quotes (${dotted[1]} is not a currency); crypto (BTC, ETH) and metals (XAU) are not shown by this extension`);
  const fx =
    (dotted && symbolWord[dotted[1].length] === '.' && dotted[1].length === 3 ? dotted : null) ??
    (slashed && CURRENCIES.has(slashed[1]) && CURRENCIES.has(slashed[2]) ? slashed : null);
  if (fx && (secType === undefined || secType === 'CASH')) {
    if (month) fail('a forex pair has no contract month');
    if (currency && currency !== fx[2]) fail(`the pair "${symbolWord}" is quoted in ${fx[2]}, not ${currency}`);
    return { text, symbol: fx[1], secType: 'CASH', exchange: exchange ?? 'IDEALPRO', currency: fx[2] };
  }

  // Futures by month code: ESZ5, ESZ25, VXZ6@CFE, 6EZ6@CME (a root starting with a digit only with its exchange).
  // IB's local symbol names the month on its exchange, whatever IB's symbol is (VIX's months are VXZ6...), so
  // it is sent as that, without a symbol or month: root, month letter and the last digit of the year.
  const code = /^([A-Z0-9][A-Z0-9]{0,4}?)([FGHJKMNQUVXZ])(\d{1,2})$/.exec(symbolWord);
  const root = code && /[A-Z]/.test(code[1]) && (/^[A-Z]/.test(code[1]) || exchange !== undefined) ? code[1] : undefined;
  if (code && root && !month && (secType === 'FUT' || (secType === undefined && exchange !== undefined))) {
    const year = expandYearCode(code[3], referenceYear);
    const monthNo = MONTH_CODES.indexOf(code[2]) + 1;
    return withoutUndefined({
      text,
      localSymbol: `${root}${code[2]}${year % 10}`,
      secType: 'FUT',
      exchange,
      currency,
      root,
      contractMonth: `${year}${String(monthNo).padStart(2, '0')}`,
    });
  }

  // a listing numbered rather than named (Tencent 700@SEHK, Toyota 7203@TSEJ) needs its exchange: a bare number is a conId
  const numbered = exchange !== undefined && /^\d{1,8}$/.test(symbolWord);
  if (!numbered && !/^[A-Z][A-Z0-9.\-/]{0,14}$/.test(symbolWord)) {
    if (/^[A-Z][A-Z0-9.\-/]*$/.test(symbolWord)) fail(`"${symbolWord}" is longer than any IB symbol (at most 15 characters)`);
    // starting with a digit: a listing's number (700@SEHK) or a future's root (6EZ6@CME) needs its exchange
    const needs = /^\d+$/.test(symbolWord)
      ? 'a listing\'s number needs its @EXCHANGE, like "700@SEHK"'
      : 'a future whose root starts with a digit needs its @EXCHANGE, like "6EZ6@CME"';
    fail(`"${symbolWord}" is not a symbol (letters and digits, starting with a letter${exchange === undefined ? `; ${needs}` : ''})`);
  }

  if (secType === 'CONTFUT') {
    if (month) fail('a continuous future (CONTFUT) has no contract month: it runs across the months');
    return withoutUndefined({ text, symbol: symbolWord, secType: 'CONTFUT', exchange, currency });
  }
  if (month && secType !== undefined && secType !== 'FUT') fail(`a contract month only fits a future (FUT), not ${secType}`);
  // a future without its month ("ES FUT@CME", "ES@CME"): all its months, one to pick (IB answers with each)
  const futureRoot = secType === 'FUT' || (secType === undefined && exchange !== undefined && FUTURES_EXCHANGES.has(exchange));
  if (month || futureRoot) {
    if (!month && exchange === undefined) {
      const f = futureExamples(new Date(), symbolWord, 'CME');
      fail(`a future needs its exchange, like "${symbolWord} FUT@CME", or a contract month, like "${f.byMonth}" or "${f.byCode}"`);
    }
    return withoutUndefined({ text, symbol: symbolWord, secType: 'FUT', exchange, currency, lastTradeDateOrContractMonth: month });
  }
  if (secType === 'CASH') fail(`a forex pair is written BASE.QUOTE, like "EUR.USD", not "${symbolWord}"`);
  if (secType === 'IND') {
    return withoutUndefined({ text, symbol: symbolWord, secType: 'IND', exchange, currency });
  }
  // Stock; a US share class "BRK.B" is "BRK B" at IB. Elsewhere IB keeps the dot (TECK.B on TSE, BT.A on LSE).
  const shareClass = /^([A-Z]+)\.([A-Z])$/.exec(symbolWord);
  const us = (exchange === undefined || exchange === 'SMART' || EXCHANGE_CURRENCY[exchange] === 'USD') && (currency === undefined || currency === 'USD');
  if (shareClass && us) symbolWord = `${shareClass[1]} ${shareClass[2]}`;
  if (exchange === undefined || exchange === 'SMART') {
    return { text, symbol: symbolWord, secType: 'STK', exchange: 'SMART', currency: currency ?? 'USD' };
  }
  return withoutUndefined({
    text,
    symbol: symbolWord,
    secType: 'STK',
    exchange: 'SMART',
    primaryExchange: exchange,
    currency: currency ?? EXCHANGE_CURRENCY[exchange],
  });
}

function validMonth(w: string): boolean {
  const year = Number(w.slice(0, 4));
  const m = Number(w.slice(4, 6));
  if (year < 1990 || year > 2100 || m < 1 || m > 12) return false;
  if (w.length === 8) {
    const d = Number(w.slice(6, 8));
    const last = new Date(Date.UTC(year, m, 0)).getUTCDate();
    if (d < 1 || d > last) return false;
  }
  return true;
}

function withoutUndefined(spec: SymbolSpec): SymbolSpec {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(spec)) if (v !== undefined) out[k] = v;
  return out as unknown as SymbolSpec;
}

/** What a text names, or undefined where the grammar does not read it (for a question, not a refusal). */
export function readSymbol(text: string): SymbolSpec | undefined {
  try {
    return parseSymbol(text);
  } catch {
    return undefined;
  }
}

/** A future written without its month ("ES FUT@CME", "ES@CME"): it names all its months, no one of them. */
export function namesAllMonths(p: SymbolSpec | undefined): boolean {
  return p?.secType === 'FUT' && !p.lastTradeDateOrContractMonth && !p.localSymbol;
}
