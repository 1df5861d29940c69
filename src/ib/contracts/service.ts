/**
 * Qualification of what a person typed into a contract IB knows, and symbol
 * search. Results are cached by spec text and by conId.
 */
import type { ContractDescription, ContractDetails } from '@stoqey/ib';
import type { Clock } from '../clock';
import { SecType } from '../ib-lib';
import { onGatewayChanged } from '../session-waits';
import { describeIbError, IbError, LOCAL_CODES, NO_SECURITY_DEFINITION } from '../errors';
import { contractMonthOf, futureExamples } from '../facts/futures';
import { silentLogger, type Logger } from '../log';
import type { IbSession, ResolvedContract, SymbolMatch, SymbolSpec } from '../types';
import { hasExpired } from './expired';
import { notConnected, toIbError } from './failures';
import { SearchBusyError, SearchDroppedError, SearchGate } from './search-gate';
import { parseSymbol, SymbolSyntaxError } from './symbol';
import { descriptionToMatch, detailsToResolved, isSecType, specToContract } from './to-contract';

/** The symbol matches several contracts; the UI asks which one is meant. */
export class AmbiguousSymbolError extends IbError {
  readonly candidates: ResolvedContract[];

  constructor(text: string, candidates: ResolvedContract[]) {
    super({
      ...describeIbError(LOCAL_CODES.ambiguousSymbol),
      message: `"${text}" matches ${candidates.length} contracts: ${candidates
        .slice(0, 5)
        .map((c) => c.display)
        .join('; ')}${candidates.length > 5 ? '; ...' : ''}.`,
      action: `Pick one, or add the exchange, currency or contract month (e.g. "AAPL@NASDAQ", "SHOP CAD", "${futureExamples(new Date()).byMonth}").`,
    });
    this.name = 'AmbiguousSymbolError';
    this.candidates = candidates;
  }
}

export interface ContractServiceOptions {
  /** Time limit for one contract-details or symbol-search answer (default 15000 ms). */
  timeoutMs?: number;
  /** How long a symbol IB does not know is answered from memory instead of asking again (default 30000 ms). */
  unknownForMs?: number;
  /** This machine's clock (tests: a fake one). */
  now?: () => number;
  /** Timers and clock for the symbol searches' turns (tests: a fake clock). */
  clock?: Clock;
}

const MAX_PATTERN = 64;
/** At most this many unknown symbols are remembered (the oldest goes first). */
const MAX_UNKNOWN = 1000;

function withoutEmpty(spec: SymbolSpec): SymbolSpec {
  return Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined && v !== '')) as unknown as SymbolSpec;
}

function cacheKey(spec: SymbolSpec): string {
  return spec.text.toUpperCase().replace(/\s+/g, ' ');
}

/**
 * A spec given as an object (not parsed from text) goes to the gateway field by field: a control
 * character inside a field would split the wire message, so such specs are refused before sending.
 */
function checkSpecFields(spec: SymbolSpec): SymbolSpec {
  for (const [field, value] of Object.entries(spec)) {
    if (typeof value !== 'string') continue;
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(value)) throw new SymbolSyntaxError(`the ${field} of the contract contains control characters`);
    if (value.length > MAX_PATTERN) throw new SymbolSyntaxError(`the ${field} of the contract is longer than ${MAX_PATTERN} characters`);
  }
  return spec;
}

/** How long a future's listed months are kept (a new month is listed once a quarter, at most once a day). */
const MONTHS_FOR_MS = 5 * 60_000;

/** The forms a spec is asked in: a future by month code as IB's local symbol with its month, then as its root and month. */
function futureForms(spec: SymbolSpec): SymbolSpec[] {
  if (spec.localSymbol === undefined || spec.root === undefined || spec.contractMonth === undefined) return [spec];
  const { localSymbol: _local, root, contractMonth, ...rest } = spec;
  return [
    { ...spec, lastTradeDateOrContractMonth: contractMonth },
    { ...rest, symbol: root, lastTradeDateOrContractMonth: contractMonth },
  ];
}

export class ContractService {
  private readonly bySpec = new Map<string, ResolvedContract>();
  private readonly byConIdCache = new Map<number, ResolvedContract>();
  private readonly pending = new Map<string, Promise<ResolvedContract>>();
  private readonly timeoutMs: number;
  /**
   * Symbols IB said it does not know (200), until when: a client polling a
   * mistyped symbol every half second is answered from here, not by a lookup
   * each time (two gateway messages a second, and a log line each).
   */
  private readonly unknown = new Map<string, { error: IbError; until: number }>();
  private readonly unknownForMs: number;
  /** A future's months by symbol and exchange, until when (a search typed letter by letter asks each chain once). */
  private readonly months = new Map<string, { list: Promise<ResolvedContract[]>; until: number }>();
  private readonly now: () => number;
  private readonly searches: SearchGate<ContractDescription[]>;

  constructor(
    private readonly session: IbSession,
    private readonly logger: Logger = silentLogger,
    options: ContractServiceOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 15000;
    this.unknownForMs = options.unknownForMs ?? 30_000;
    this.now = options.now ?? Date.now;
    this.searches = new SearchGate(options.clock);
    // another gateway may know what the last one did not (a simulated one knows few symbols)
    onGatewayChanged(session, () => {
      this.unknown.clear();
      this.months.clear();
      this.searches.clear();
      // nor are its conIds: a simulated gateway numbers its made-up futures months its own way
      this.bySpec.clear();
      this.byConIdCache.clear();
    });
  }

  /** A contract already qualified, by conId. */
  cached(conId: number): ResolvedContract | undefined {
    return this.byConIdCache.get(conId);
  }

  /** Qualifies a spec: one match resolves; several reject with AmbiguousSymbolError; none with IbError 200. */
  async resolve(spec: string | SymbolSpec): Promise<ResolvedContract> {
    const parsed = typeof spec === 'string' ? parseSymbol(spec) : checkSpecFields(spec);
    const key = cacheKey(parsed);
    const hit = this.bySpec.get(key) ?? (parsed.conId !== undefined ? this.byConIdCache.get(parsed.conId) : undefined);
    // a continuous future stands on its front month: past that month's last trade day, IB's answer names the next
    if (hit?.secType === 'CONTFUT' && hasExpired({ ...hit, secType: 'FUT' }, this.now())) this.bySpec.delete(key);
    else if (hit) return hit;
    const known = this.unknown.get(key);
    if (known && known.until > this.now()) throw known.error;
    if (known) this.unknown.delete(key);
    let p = this.pending.get(key);
    if (!p) {
      p = this.qualify(parsed).then(
        (r) => r,
        (e: unknown) => {
          if (e instanceof IbError && e.info.code === NO_SECURITY_DEFINITION) {
            if (this.unknown.size >= MAX_UNKNOWN) this.unknown.delete(this.unknown.keys().next().value as string);
            this.unknown.set(key, { error: e, until: this.now() + this.unknownForMs });
          }
          throw e;
        },
      );
      p = p.finally(() => this.pending.delete(key));
      this.pending.set(key, p);
    }
    return p;
  }

  private async qualify(spec: SymbolSpec): Promise<ResolvedContract> {
    const api = this.session.api;
    if (!api) throw notConnected();
    this.logger.debug(`contracts: qualifying "${spec.text}"`);
    let rows;
    let expired = false;
    try {
      ({ rows, expired } = await this.lookUp(api, spec));
    } catch (e) {
      const err = toIbError(e);
      // a symbol IB does not know is the asker's mistake, not the service's trouble
      if (err.info.code === NO_SECURITY_DEFINITION) this.logger.info(`contracts: "${spec.text}": ${err.message}`);
      else this.logger.warn(`contracts: "${spec.text}" failed: ${err.message}`);
      throw err;
    }
    const unique = new Map<number, ResolvedContract>();
    for (const row of rows) {
      // a continuous future is answered with its front month's details (IB may call it FUT): kept as asked
      const r = detailsToResolved(spec.secType === 'CONTFUT' ? { ...row, contract: { ...row.contract, secType: SecType.CONTFUT } } : row);
      if (r && !unique.has(r.conId)) unique.set(r.conId, expired ? { ...r, includeExpired: true } : r);
    }
    // a future asked without its month: its months, front month first (as IB's list of months gives them)
    const found = [...unique.values()].sort((a, b) =>
      a.secType === 'FUT' && b.secType === 'FUT' ? (a.lastTradeDateOrContractMonth ?? '').localeCompare(b.lastTradeDateOrContractMonth ?? '') : 0,
    );
    if (found.length === 0) {
      // IB answered with contracts, none of a kind shown here (its own "not found" is error 200, which arrives as such)
      // of a kind shown here, yet unreadable (no contract id, identifiers longer than any IB sends): not "another kind"
      if (rows.some((r) => isSecType(r.contract.secType)))
        throw new IbError(
          describeIbError(LOCAL_CODES.requestFailed, `IB's answer for "${spec.text}" could not be read (no contract id, or names longer than any IB sends).`),
        );
      const kinds = [...new Set(rows.map((r) => String(r.contract.secType ?? '?')))].join(', ');
      if (rows.length) throw new IbError(describeIbError(LOCAL_CODES.unsupportedContract, `"${spec.text}" is known to IB as ${kinds}.`));
      throw new IbError(describeIbError(200, `No security definition has been found for "${spec.text}".`));
    }
    if (found.length > 1) {
      this.logger.info(`contracts: "${spec.text}" is ambiguous (${found.length} matches)`);
      throw new AmbiguousSymbolError(spec.text, found);
    }
    const r = found[0];
    this.remember(spec, r);
    return r;
  }

  /**
   * IB's contract details for a spec, in the forms it may be known by: a future by month code is asked as IB's
   * local symbol with its month (VXZ6: IB's symbol is VIX), then as the root and month (GBLH7 on EUREX: IB's
   * local symbol is "FGBL MAR 27"); a futures month IB no longer lists, again among the expired ones (IB keeps
   * them, and their bars, two years). Each "no security definition" (200) moves on to the next form.
   */
  private async lookUp(api: NonNullable<IbSession['api']>, spec: SymbolSpec): Promise<{ rows: ContractDetails[]; expired: boolean }> {
    const forms = futureForms(spec);
    const tries = spec.secType === 'FUT' ? [false, true].flatMap((expired) => forms.map((form) => ({ form, expired }))) : [{ form: spec, expired: false }];
    let refusal: unknown;
    for (const { form, expired } of tries) {
      try {
        const rows = await api.contractDetails(specToContract(form, expired), { ms: this.timeoutMs, what: `contract lookup for "${spec.text}"` });
        return { rows, expired };
      } catch (e) {
        if (toIbError(e).info.code !== NO_SECURITY_DEFINITION) throw e;
        refusal = e;
        this.logger.debug(`contracts: "${spec.text}" is not known to IB as ${JSON.stringify(specToContract(form, expired))}`);
      }
    }
    throw (await this.pairTheOtherWay(api, spec)) ?? refusal;
  }

  /**
   * A forex pair IB does not list (200), written the other way round from IB's (USD.EUR for EUR.USD): IB lists each
   * pair once, by its market's convention. Asked once more inverted; found so, the refusal names IB's pair.
   */
  private async pairTheOtherWay(api: NonNullable<IbSession['api']>, spec: SymbolSpec): Promise<IbError | undefined> {
    if (spec.secType !== 'CASH' || spec.currency === undefined) return undefined;
    const pair = `${spec.currency}.${spec.symbol}`;
    const inverted = { ...spec, text: pair, symbol: spec.currency, currency: spec.symbol };
    const rows = await api.contractDetails(specToContract(inverted), { ms: this.timeoutMs, what: `contract lookup for "${pair}"` }).catch(() => []);
    if (!rows.some((r) => r.contract.secType === 'CASH')) return undefined;
    return new IbError({
      ...describeIbError(NO_SECURITY_DEFINITION),
      message: `IB lists this pair the other way round: ${pair} (the price of one ${spec.currency} in ${spec.symbol}), not ${spec.symbol}.${spec.currency}.`,
      action: `Ask for ${pair}; its price inverted (1 / price) is ${spec.symbol}.${spec.currency}.`,
    });
  }

  /** Remembers a choice (e.g. after the person picked one of several candidates). */
  remember(spec: string | SymbolSpec, r: ResolvedContract): void {
    const parsed = typeof spec === 'string' ? parseSymbol(spec) : spec;
    this.bySpec.set(cacheKey(parsed), r);
    // a continuous future's contract id is its front month's: that id names the month
    if (r.secType !== 'CONTFUT') this.byConIdCache.set(r.conId, r);
  }

  /**
   * The listed months of a future (all of IB's contracts for the symbol on the
   * exchange), front month first. Each is remembered by conId, so picking one
   * resolves that exact contract.
   */
  async futures(symbol: string, exchange?: string): Promise<ResolvedContract[]> {
    const key = `${symbol}@${exchange ?? ''}`;
    const kept = this.months.get(key);
    if (kept && kept.until > this.now()) return [...(await kept.list)];
    const list = this.fetchMonths(symbol, exchange);
    this.months.set(key, { list, until: this.now() + MONTHS_FOR_MS });
    // a failure is not kept: the next search asks again
    list.catch(() => this.months.get(key)?.list === list && this.months.delete(key));
    return [...(await list)];
  }

  private async fetchMonths(symbol: string, exchange?: string): Promise<ResolvedContract[]> {
    const spec = checkSpecFields(withoutEmpty({ text: `${symbol} FUT${exchange ? `@${exchange}` : ''}`, symbol, secType: 'FUT', exchange }));
    const api = this.session.api;
    if (!api) throw notConnected();
    let rows;
    try {
      rows = await api.contractDetails(specToContract(spec), { ms: this.timeoutMs, what: `futures months of "${symbol}"` });
    } catch (e) {
      throw toIbError(e);
    }
    const unique = new Map<number, ResolvedContract>();
    for (const row of rows) {
      const r = detailsToResolved(row);
      if (r && r.secType === 'FUT' && !unique.has(r.conId)) unique.set(r.conId, r);
    }
    const months = [...unique.values()].sort(
      (a, b) =>
        (contractMonthOf(a) ?? '').localeCompare(contractMonthOf(b) ?? '') ||
        (a.lastTradeDateOrContractMonth ?? '').localeCompare(b.lastTradeDateOrContractMonth ?? ''),
    );
    for (const m of months) this.byConIdCache.set(m.conId, m);
    return months;
  }

  /**
   * Symbols matching a prefix or name words (IB's matching symbols), one
   * search a second as IB allows (see SearchGate); `signal` drops a search
   * still waiting for its turn (a newer text typed).
   */
  async search(pattern: string, signal?: AbortSignal): Promise<SymbolMatch[]> {
    const text = pattern.trim();
    if (text === '') return [];
    // eslint-disable-next-line no-control-regex
    if (text.length > MAX_PATTERN || /[\u0000-\u001f\u007f]/.test(text)) {
      throw new IbError({
        ...describeIbError(LOCAL_CODES.invalidRequest),
        message: `A search text must be 1 to ${MAX_PATTERN} printable characters.`,
        action: 'Type part of a symbol or company name.',
      });
    }
    const api = this.session.api;
    if (!api) throw notConnected();
    try {
      const rows = await this.searches.run(text, () => api.matchingSymbols(text, { ms: this.timeoutMs, what: `symbol search for "${text}"` }), signal);
      return rows.map(descriptionToMatch).filter((m): m is SymbolMatch => m !== undefined);
    } catch (e) {
      if (e instanceof SearchBusyError) throw new IbError({ ...describeIbError(LOCAL_CODES.searchBusy), message: e.message });
      if (e instanceof SearchDroppedError) throw new IbError({ ...describeIbError(LOCAL_CODES.stopped), message: e.message });
      throw toIbError(e);
    }
  }
}
