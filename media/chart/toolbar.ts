/**
 * The toolbar above the chart: title, SIMULATED badge, bar-size and duration
 * selects, the regular / extended hours toggle, reload button and the status line (with a progress bar while loading).
 */
import { barSizeSeconds, checkBarRequest, parseDuration } from '../../src/ib/bar-sizes';
import { rangeLabel } from './format';
import type { HostMessage } from './protocol';

type StatusKind = Extract<HostMessage, { type: 'status' }>['kind'];

/** A bar size picked over a range holding fewer of its bars than this widens the range. */
const MIN_BARS = 20;
/** The Extended hours box's tooltip when the market has no hours outside its regular ones. */
const NO_EXTENDED_TITLE =
  'This market has no hours outside its regular ones (forex trades around the clock, an index is calculated in its session): every bar is shown either way';

export interface ToolbarEvents {
  /** useRTH: regular trading hours only (the Extended hours box unticked). */
  onRangeChange(barSize: string, duration: string, useRTH: boolean): void;
  onReload(): void;
}

function byId<T extends HTMLElement>(id: string, kind: { new (): T }): T {
  const el = document.getElementById(id);
  if (!(el instanceof kind)) throw new Error(`the chart page has no #${id}`);
  return el;
}

/** How long after a key press a select's change counts as made by that key. */
const KEY_CHANGE_MS = 100;
/** How long the keys must rest before a select's keyed change is sent. */
const KEYS_REST_MS = 700;

export class Toolbar {
  private readonly title = byId('chart-title', HTMLElement);
  private readonly badge = byId('sim-badge', HTMLElement);
  private readonly barSize = byId('bar-size', HTMLSelectElement);
  private readonly duration = byId('duration', HTMLSelectElement);
  private readonly extended = byId('extended-hours', HTMLInputElement);
  private readonly reload = byId('reload', HTMLButtonElement);
  /** False when the market has no hours outside its regular ones (the host's 'hours'): the box is disabled. */
  private extendedOffered = true;
  /** Extended hours as the person (or the saved range) chose them: kept while a market without them shows the box clear. */
  private wantsExtended = false;
  /** The box's own tooltip, as the page has it. */
  private readonly extendedTitle = this.extended.closest('label')?.title ?? '';
  private readonly status = byId('status', HTMLElement);
  private readonly spoken = byId('status-spoken', HTMLElement);
  private readonly progress = byId('progress', HTMLElement);
  private lastStatus: { text: string; kind: StatusKind } = { text: 'Waiting for data\u2026', kind: 'info' };
  private loading = false;

  constructor(events: ToolbarEvents) {
    const send = () => events.onRangeChange(this.barSize.value, this.duration.value, !this.wantsExtended);
    // The arrow keys on a closed select change its value at every press: a person stepping from "5 mins" to "1 day"
    // passes six bar sizes, and each would be a history request to IB. A change made by a key is sent once the keys
    // rest (KEYS_REST_MS), or at once on Enter or when the select loses focus; a change made by the pointer at once.
    let keyAt = -Infinity;
    let pending: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      if (pending === undefined) return;
      clearTimeout(pending);
      pending = undefined;
      send();
    };
    const changed = () => {
      if (pending !== undefined) clearTimeout(pending);
      pending = undefined;
      if (performance.now() - keyAt < KEY_CHANGE_MS) pending = setTimeout(flush, KEYS_REST_MS);
      else send();
    };
    for (const select of [this.barSize, this.duration]) {
      select.addEventListener('keydown', (e) => {
        keyAt = performance.now();
        if (e.key === 'Enter') flush();
      });
      select.addEventListener('blur', flush);
    }
    this.barSize.addEventListener('change', () => {
      this.fitDurations();
      this.widenForBars();
      changed();
    });
    this.duration.addEventListener('change', changed);
    this.extended.addEventListener('change', () => {
      this.wantsExtended = this.extended.checked;
      changed();
    });
    this.reload.addEventListener('click', () => events.onReload());
  }

  setTitle(text: string): void {
    this.title.textContent = text;
    this.title.title = text;
    document.title = text;
  }

  setSimulated(simulated: boolean): void {
    this.badge.hidden = !simulated;
    document.body.classList.toggle('simulated', simulated);
  }

  setRange(barSizes: string[], barSize: string, durations: string[], duration: string, useRTH = true): void {
    fill(this.barSize, barSizes, barSize);
    fill(this.duration, durations, duration);
    this.showExtended(!useRTH);
    this.fitDurations();
  }

  /**
   * Only pairs IB accepts can be chosen: durations that do not fit the bar
   * size are disabled (saying why), and a bar size that does not fit the
   * duration moves the duration to the nearest one that does.
   */
  private fitDurations(): void {
    const bar = this.barSize.value;
    const fits: HTMLOptionElement[] = [];
    for (const o of Array.from(this.duration.options)) {
      const why = checkBarRequest(bar, o.value);
      o.disabled = why !== undefined;
      o.title = why ? `Not with ${bar} bars: ${why}` : '';
      if (!why) fits.push(o);
    }
    if (!checkBarRequest(bar, this.duration.value) || !fits.length) return;
    const seconds = (o: { value: string }) => parseDuration(o.value)?.seconds ?? 0;
    const now = seconds(this.duration);
    const below = fits.filter((o) => seconds(o) <= now);
    this.duration.value = (below.length ? below[below.length - 1] : fits[0]).value;
  }

  /**
   * A person picked a bar size the range holds only a few of (1 day bars over
   * 1 day: one candle): the range widens to the shortest offered one that
   * holds at least MIN_BARS of them (by the calendar), or the longest that fits.
   */
  private widenForBars(): void {
    const bar = barSizeSeconds(this.barSize.value);
    const seconds = (o: { value: string }) => parseDuration(o.value)?.seconds ?? 0;
    if (!bar || seconds(this.duration) / bar >= MIN_BARS) return;
    const fits = Array.from(this.duration.options).filter((o) => !o.disabled && seconds(o) > seconds(this.duration));
    const enough = fits.filter((o) => seconds(o) / bar >= MIN_BARS).sort((a, b) => seconds(a) - seconds(b));
    const wider = enough[0] ?? fits.sort((a, b) => seconds(b) - seconds(a))[0];
    if (wider) this.duration.value = wider.value;
  }

  /** Whether the market trades outside its regular hours: when it does not, every bar is shown either way. */
  offerExtendedHours(offered: boolean): void {
    this.extendedOffered = offered;
    this.showExtended(this.wantsExtended);
    const label = this.extended.closest('label');
    if (label) label.title = offered ? this.extendedTitle : NO_EXTENDED_TITLE;
  }

  /** Puts the selects back to a range (one they already offer). */
  select(barSize: string, duration: string, useRTH = true): void {
    this.barSize.value = barSize;
    this.duration.value = duration;
    this.showExtended(!useRTH);
    this.fitDurations();
  }

  /** The box ticked for extended hours where the market has them; where it has none, clear and disabled. */
  private showExtended(wanted: boolean): void {
    this.wantsExtended = wanted;
    this.extended.checked = wanted && this.extendedOffered;
    this.extended.disabled = !this.extendedOffered;
  }

  /** The range a person picked (or the one init set). */
  get range(): { barSize: string; duration: string; useRTH: boolean } {
    return { barSize: this.barSize.value, duration: this.duration.value, useRTH: !this.wantsExtended };
  }

  setStatus(text: string, kind: StatusKind): void {
    this.lastStatus = { text, kind };
    if (!this.loading) this.showStatus(text, kind);
  }

  setLoading(loading: boolean): void {
    this.loading = loading;
    this.progress.hidden = !loading;
    document.body.classList.toggle('loading', loading);
    if (loading) this.showStatus('Loading\u2026', 'info');
    else this.showStatus(this.lastStatus.text, this.lastStatus.kind);
  }

  private showStatus(text: string, kind: StatusKind): void {
    // the spoken status (a polite live region) changes with what the chart is, not with each new bar's count
    const spoken = spokenStatus(text);
    if (this.spoken.textContent !== spoken) this.spoken.textContent = spoken;
    this.status.textContent = text;
    this.status.title = text;
    this.status.dataset.kind = kind;
  }
}

/** A status as a screen reader is told it: without the bar count that ticks up with every new bar. */
function spokenStatus(text: string): string {
  return text.replace(/ \u00b7 [\d,]+ bars?( kept)?$/, '');
}

function fill(select: HTMLSelectElement, values: string[], selected: string): void {
  const list = values.includes(selected) || !selected ? [...values] : [selected, ...values];
  select.replaceChildren(
    ...list.map((v) => {
      const o = document.createElement('option');
      o.value = v;
      o.textContent = rangeLabel(v);
      return o;
    }),
  );
  select.value = selected;
  select.disabled = list.length === 0;
}
