/**
 * What a chart learns once from its instrument's contract details (IB's, through the
 * contract service): the exchange's time zone, and the price increment (minTick) that
 * sets the decimals its prices are shown with, as the watchlist row shows them, and whether it is a stock (whose
 * bars outside its session are pre-market and after hours).
 * Free of vscode: which zone is shown (the setting) comes in as `zoneOf`.
 */
import { resolveZone } from '../ib/facts/tws-zone-names';
import type { ChartZone } from './chart-time-zone';

/** The contract details a chart uses. */
/**
 * The name a chart gives the exchange's zone: IB's id where it names a region (US/Eastern, Europe/London), else
 * the zone it resolves to. An older TWS's abbreviation (EST, "EST (Eastern Standard Time)") would say EST in July.
 */
export function zoneLabel(zone: string, id: string | undefined): string {
  return id !== undefined && id.includes('/') && !/\s/.test(id) ? id : zone;
}

export interface ChartContractDetails {
  timeZoneId?: string;
  minTick?: number;
  secType?: string;
}

/** The exchange's zone: its IANA name and IB's id for it. */
export interface ExchangeZone {
  zone: string;
  id: string;
}

export class ChartContract {
  private exchange: ExchangeZone | undefined;
  private increment: number | undefined;
  /** A stock's hours outside its session are pre-market and after hours; a future's or an index's are not. */
  private stock = false;
  private learnt = false;
  private asking = false;
  /** The zone's name as last sent. */
  private shownZone: string | undefined;

  constructor(
    private readonly symbol: string,
    private readonly contracts: { resolve(text: string): Promise<ChartContractDetails> } | undefined,
    /** Called when the contract told something (the init is then sent again). */
    private readonly onLearnt: () => void,
    /** The zone to show, given the exchange's while it is known. */
    private readonly zoneOf: (exchange: ExchangeZone | undefined) => ChartZone,
  ) {}

  /** Looks the contract up (IB's contract details) unless its facts are known; calls back when learnt. */
  learn(): void {
    if (this.learnt || this.asking || !this.contracts) return;
    this.asking = true;
    this.contracts.resolve(this.symbol).then(
      (c) => {
        this.asking = false;
        const zone = resolveZone(c.timeZoneId);
        if (zone) this.exchange = { zone, id: c.timeZoneId! };
        if (c.minTick !== undefined && c.minTick > 0 && Number.isFinite(c.minTick)) this.increment = c.minTick;
        this.stock = c.secType === 'STK';
        if (!this.exchange && this.increment === undefined && !this.stock) return;
        this.learnt = true;
        this.onLearnt();
      },
      () => (this.asking = false),
    );
  }

  /** What the init message carries of the contract: the zone to show now (remembered as shown), the price increment once known. */
  initFacts(): { timeZone: ChartZone; minTick?: number; stockHours?: true } {
    const timeZone = this.zoneOf(this.exchange);
    this.shownZone = timeZone.label;
    return { timeZone, ...(this.increment !== undefined ? { minTick: this.increment } : {}), ...(this.stock ? { stockHours: true as const } : {}) };
  }

  /** For the chart's snapshot: the zone's name as last sent, and the price increment once known. */
  get info(): { timeZone?: string; minTick?: number } {
    return { timeZone: this.shownZone, ...(this.increment !== undefined ? { minTick: this.increment } : {}) };
  }
}
