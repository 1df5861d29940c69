/**
 * The days and months the time axis labelled, written on the page (data-day-marks, data-month-marks) for people
 * inspecting it and for tests: a day's label must fall at the zone's midnight.
 */
import { zonedParts } from './format';

const pad = (n: number): string => String(n).padStart(2, '0');

export class AxisMarks {
  private readonly days = new Set<number>();

  constructor(private readonly container: HTMLElement) {}

  /** A label the axis drew: `type` is lightweight-charts' TickMarkType (1 month, 2 day of the month). */
  note(instant: number, type: number, zone: string): void {
    if (type === 2 && !this.days.has(instant) && this.days.size < 200) {
      this.days.add(instant);
      const p = zonedParts(instant, zone);
      const text = `${p.y}-${pad(p.mo)}-${pad(p.d)} ${pad(p.h)}:${pad(p.mi)}`;
      const before = this.container.dataset.dayMarks;
      this.container.dataset.dayMarks = before ? `${before},${text}` : text;
    }
    if (type === 1) {
      const p = zonedParts(instant, zone);
      const month = `${p.y}-${pad(p.mo)}`;
      const marks = this.container.dataset.monthMarks ? this.container.dataset.monthMarks.split(',') : [];
      if (!marks.includes(month) && marks.length < 400) this.container.dataset.monthMarks = [...marks, month].join(',');
    }
  }

  /** The bars were given again: the axis labels them anew. */
  clear(): void {
    this.days.clear();
    delete this.container.dataset.dayMarks;
    delete this.container.dataset.monthMarks;
  }
}
