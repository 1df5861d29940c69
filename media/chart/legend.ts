/**
 * The OHLC + volume legend over the chart: the bar under the crosshair, or the
 * last bar when the pointer is elsewhere.
 */
import type { Candle } from '../../src/ib/types';
import { formatSize, gridFor, type Decimals } from '../../src/vscode/format';
import { formatBarTime, formatChange, formatPrice, UTC_ZONE, type TimeZoneChoice } from './format';

interface Field {
  label: HTMLElement;
  value: HTMLElement;
}

export class Legend {
  private readonly title: HTMLElement;
  private readonly time: HTMLElement;
  private readonly session: HTMLElement;
  private readonly fields: Record<'O' | 'H' | 'L' | 'C' | 'V', Field>;
  private readonly change: HTMLElement;

  constructor(private readonly root: HTMLElement) {
    root.replaceChildren();
    const line1 = this.el('div', 'legend-head');
    this.title = this.el('span', 'legend-title', line1);
    this.time = this.el('span', 'legend-time', line1);
    this.session = this.el('span', 'legend-session', line1);
    const line2 = this.el('div', 'legend-values');
    const field = (name: string): Field => {
      const wrap = this.el('span', 'legend-field', line2);
      const label = this.el('span', 'legend-label', wrap);
      label.textContent = name;
      return { label, value: this.el('span', 'legend-value', wrap) };
    };
    this.fields = { O: field('O'), H: field('H'), L: field('L'), C: field('C'), V: field('Vol') };
    this.change = this.el('span', 'legend-change', line2);
    root.append(line1, line2);
  }

  setTitle(text: string): void {
    this.title.textContent = text;
  }

  /** Shows one bar; previous is the bar before it (for the change), hovering says where it came from. */
  show(
    bar: Candle | undefined,
    previous: Candle | undefined,
    precision: Decimals,
    barSeconds: number | undefined,
    hovering: boolean,
    tz: TimeZoneChoice = UTC_ZONE,
    /** False when no bar carries volume (IB sends none for forex or indexes): no Vol field, not "Vol 0". */
    hasVolume = true,
    /** The bar is outside regular hours: a stock's before its session (pre-market) or after it; another's, outside. */
    outside?: 'pre' | 'post' | 'outside',
  ): void {
    this.root.dataset.source = hovering ? 'crosshair' : 'last';
    this.session.textContent = outside === 'pre' ? 'Pre-market' : outside === 'post' ? 'After hours' : outside ? 'Outside regular hours' : '';
    this.session.hidden = outside === undefined;
    if (!bar) {
      delete this.root.dataset.time;
      this.time.textContent = '';
      for (const f of Object.values(this.fields)) f.value.textContent = '\u2013';
      this.change.textContent = '';
      this.root.dataset.direction = 'flat';
      return;
    }
    this.root.dataset.time = String(bar.time);
    this.time.textContent = formatBarTime(bar.time, barSeconds, tz);
    this.fields.O.value.textContent = formatPrice(bar.open, precision);
    this.fields.H.value.textContent = formatPrice(bar.high, precision);
    this.fields.L.value.textContent = formatPrice(bar.low, precision);
    this.fields.C.value.textContent = formatPrice(bar.close, precision);
    // no traded volume (forex midpoints, bid or ask; indexes): no Vol field at all, as there is no volume pane
    this.fields.V.value.textContent = hasVolume ? formatSize(bar.volume) : '';
    (this.fields.V.label.parentElement as HTMLElement).hidden = !hasVolume;
    const reference = previous ? previous.close : bar.open;
    // a previous close off the grid the bar is on (a midpoint) is measured from as it is, not rounded
    const changeDecimals = gridFor(reference, precision);
    this.change.textContent = formatChange(bar.close, reference, changeDecimals);
    // what the change is measured against: the bar before (with extended hours, its close is the after-hours one)
    this.change.title = previous ? `Change from the previous bar's close (${formatPrice(previous.close, changeDecimals)})` : "Change from this bar's open";
    this.root.dataset.direction = bar.close > reference ? 'up' : bar.close < reference ? 'down' : 'flat';
  }

  /**
   * The bar shown in words, for a screen reader: "2026-11-17 10:10 US/Eastern, open 595.18, high 595.60, low 595.04,
   * close 595.06, volume 539K, down 0.12 (0.02%)" (the legend itself reads "O595.18 H595.60 ...").
   */
  spoken(): string {
    if (this.root.dataset.time === undefined) return '';
    const v = (k: 'O' | 'H' | 'L' | 'C' | 'V') => this.fields[k].value.textContent ?? '';
    const withVolume = !(this.fields.V.label.parentElement as HTMLElement).hidden;
    const direction = this.root.dataset.direction;
    const change = (this.change.textContent ?? '').replace(/[+\u2212-]/g, '');
    return [
      this.time.textContent,
      this.session.hidden ? '' : this.session.textContent,
      `open ${v('O')}`,
      `high ${v('H')}`,
      `low ${v('L')}`,
      `close ${v('C')}`,
      withVolume ? `volume ${v('V')}` : '',
      direction === 'up' || direction === 'down' ? `${direction} ${change}` : 'unchanged',
    ]
      .filter(Boolean)
      .join(', ');
  }

  private el(tag: string, cls: string, parent?: HTMLElement): HTMLElement {
    const e = document.createElement(tag);
    e.className = cls;
    parent?.append(e);
    return e;
  }
}
