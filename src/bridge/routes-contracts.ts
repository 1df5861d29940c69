/**
 * Contract lookup for clients that pick what to watch: IB's symbol search
 * (a future listed as its months, as in the editor's picker), and a future's
 * listed months. Each match carries `symbol_text`, the text to pass back to
 * /quotes, /candles and the streams for exactly that contract.
 */
import type { FastifyInstance } from 'fastify';
import { searchWithMonths } from '../ib/contracts/search-months';
import { specForMatch, exactSpecs } from '../ib/contracts/symbol-text';
import { IbError, NO_SECURITY_DEFINITION } from '../ib/errors';
import { contractMonthOf } from '../ib/facts/futures';
import type { ResolvedContract, SymbolMatch } from '../ib/types';
import { HttpError } from './http-errors';
import { dataErrors } from './schemas';
import type { BridgeContext } from './server';
import { requireServable } from './stream-status';

const text = { type: 'string' } as const;

const searchMatch = {
  type: 'object',
  required: ['con_id', 'symbol', 'sec_type', 'symbol_text', 'primary_exchange', 'currency', 'description', 'derivative_sec_types'],
  properties: {
    symbol_text: { type: 'string', description: 'what to pass to /quotes, /candles and the streams for this contract, e.g. "AAPL", "EUR.USD", "SPX IND@CBOE"' },
    con_id: { type: 'integer', description: "IB's contract id" },
    symbol: text,
    sec_type: { type: 'string', description: 'STK, CASH, IND, FUT, ...' },
    primary_exchange: text,
    currency: text,
    description: text,
    derivative_sec_types: { type: 'array', items: text, description: 'FUT here: GET /contracts/futures/{symbol} lists its months' },
    local_symbol: { type: 'string', description: "a future's month: e.g. ESZ6" },
    contract_month: { type: 'string', description: "a future's month: YYYYMM" },
  },
} as const;

const searchResult = {
  type: 'object',
  required: ['query', 'matches', 'count'],
  properties: { query: text, count: { type: 'integer' }, matches: { type: 'array', items: searchMatch } },
} as const;

const futureMonth = {
  type: 'object',
  required: ['con_id', 'symbol', 'symbol_text', 'exchange', 'currency'],
  properties: {
    symbol_text: { type: 'string', description: 'what to pass to /quotes, /candles and the streams for this month, e.g. "ES 202612 FUT@CME"' },
    con_id: { type: 'integer' },
    symbol: text,
    local_symbol: { type: 'string', description: 'e.g. ESZ6' },
    contract_month: { type: 'string', description: 'YYYYMM' },
    last_trade_date: { type: 'string', description: 'YYYYMMDD' },
    exchange: text,
    currency: text,
    multiplier: text,
    name: text,
  },
} as const;

const futuresResult = {
  type: 'object',
  required: ['symbol', 'exchange', 'months', 'count', 'continuous'],
  properties: {
    symbol: text,
    exchange: { type: 'string', description: 'as asked; empty: every exchange' },
    count: { type: 'integer' },
    months: { type: 'array', items: futureMonth, description: 'front month first' },
    continuous: {
      type: 'string',
      description:
        "the symbol text of IB's continuous future on the front month's exchange (ES CONTFUT@CME): /candles takes it for bars across the rolls; history only (/quotes answers 9017)",
    },
  },
} as const;

/** A search match as the bridge sends it (snake_case like every other field of the API). */
function searchMatchJson(m: SymbolMatch, all: readonly SymbolMatch[]) {
  return {
    symbol_text: specForMatch(m, all),
    con_id: m.conId,
    symbol: m.symbol,
    sec_type: m.secType,
    // every key always there (empty where IB sent nothing), as in the other answers
    primary_exchange: m.primaryExchange ?? '',
    currency: m.currency ?? '',
    description: m.description ?? '',
    derivative_sec_types: m.derivativeSecTypes ?? [],
  };
}

/** Months as JSON, each with the text that asks for exactly it (exactSpecs: classes that share a month are named by conId). */
function withTexts<T>(months: readonly ResolvedContract[], json: (c: ResolvedContract, symbolText: string) => T): T[] {
  const texts = exactSpecs(months);
  return months.map((c, i) => json(c, texts[i]));
}

/** A future's month among the search's matches (in place of IB's month-less FUT row). */
function searchMonthJson(c: ResolvedContract, symbolText: string) {
  return {
    symbol_text: symbolText,
    con_id: c.conId,
    symbol: c.symbol,
    sec_type: c.secType,
    primary_exchange: c.exchange,
    currency: c.currency,
    description: c.longName ?? '',
    derivative_sec_types: [],
    local_symbol: c.localSymbol,
    contract_month: contractMonthOf(c),
  };
}

/** A future's month as the bridge sends it. */
function futureMonthJson(c: ResolvedContract, symbolText: string) {
  return {
    symbol_text: symbolText,
    con_id: c.conId,
    symbol: c.symbol,
    local_symbol: c.localSymbol,
    contract_month: contractMonthOf(c),
    last_trade_date: c.lastTradeDateOrContractMonth,
    exchange: c.exchange,
    currency: c.currency,
    multiplier: c.multiplier,
    name: c.longName,
  };
}

const ROOT = /^[A-Z0-9]{1,12}$/;
const EXCHANGE = /^[A-Z0-9]{1,16}$/;

export function registerContractRoutes(app: FastifyInstance, ctx: BridgeContext): void {
  const { connection, contracts } = ctx.services;
  const ready = () => requireServable(connection.status);

  app.get<{ Querystring: { q: string } }>(
    '/contracts/search',
    {
      schema: {
        summary: "Symbol search (IB's matching symbols); a future as its months, front month first (all of them at /contracts/futures/{symbol})",
        querystring: {
          type: 'object',
          properties: { q: { type: 'string', minLength: 1, maxLength: 64, description: 'part of a symbol or name' } },
          required: ['q'],
          additionalProperties: false,
        },
        response: { 200: searchResult, ...dataErrors },
      },
    },
    async (req) => {
      ready();
      const { matches, entries } = await searchWithMonths(contracts, req.query.q);
      const listed = entries.flatMap((e) => (e.kind === 'months' ? withTexts(e.months, searchMonthJson) : [searchMatchJson(e.match, matches)]));
      return { query: req.query.q, matches: listed, count: listed.length };
    },
  );

  app.get<{ Params: { symbol: string }; Querystring: { exchange?: string } }>(
    '/contracts/futures/:symbol',
    {
      schema: {
        summary: "A future's listed months, front month first (e.g. ES on CME), each with the symbol text that asks for it",
        params: {
          type: 'object',
          properties: { symbol: { type: 'string', minLength: 1, maxLength: 12, description: 'the root, e.g. ES, CL, GC' } },
          required: ['symbol'],
        },
        querystring: {
          type: 'object',
          properties: {
            exchange: { type: 'string', minLength: 1, maxLength: 16, description: 'e.g. CME, NYMEX, COMEX; left out, every exchange IB lists it on' },
          },
          additionalProperties: false,
        },
        response: { 200: futuresResult, ...dataErrors },
      },
    },
    async (req) => {
      const symbol = req.params.symbol.toUpperCase();
      const exchange = req.query.exchange?.toUpperCase();
      if (!ROOT.test(symbol)) throw new HttpError(400, `"${req.params.symbol}" is not a futures root: letters and digits, e.g. ES, CL, GC.`);
      if (exchange !== undefined && !EXCHANGE.test(exchange))
        throw new HttpError(400, `"${req.query.exchange}" is not an exchange: letters and digits, e.g. CME.`);
      ready();
      const none = new HttpError(
        404,
        `IB lists no futures for ${symbol}${exchange ? ` on ${exchange}` : ''}: check the root (ES, CL, GC) and the exchange (CME, NYMEX, COMEX).`,
      );
      const months = await contracts.futures(symbol, exchange).catch((e: unknown) => {
        // 200, no security definition: the same answer as an empty list
        throw e instanceof IbError && e.code === NO_SECURITY_DEFINITION ? none : e;
      });
      if (!months.length) throw none;
      const continuous = `${months[0].symbol} CONTFUT@${months[0].exchange}`;
      return { symbol, exchange: exchange ?? '', months: withTexts(months, futureMonthJson), count: months.length, continuous };
    },
  );
}
