/**
 * The stretch of bars a chart shows (the library's logical range: bar indexes, fractional), as the keys move it and
 * as a window reload restores it. Pure: the view applies what these return.
 */

/** Bar indexes, fractional, as lightweight-charts' logical range. */
export interface BarRange {
  from: number;
  to: number;
}

/**
 * A view the person chose, kept across a reload by its bars' instants rather than their indexes (after a reload the
 * bars may start later or end later): its first bar's time and its width in bars, or, when it reached the newest
 * bar, its width and how far past the newest bar it reached (it then follows the newest bar, as before).
 */
export type SavedView = { firstTime: number; bars: number } | { bars: number; pastLast: number };

/** The fewest bars keyboard zoom leaves in view. */
export const MIN_BARS = 5;
/** How much one key press zooms (the share of bars left in view zooming in). */
export const ZOOM_STEP = 0.8;

/** What a key pressed on the chart does, or undefined for a key it leaves alone. */
export type ChartKey = { bar: number | undefined } | { zoom: number } | { fit: true };

/**
 * Left/Right a bar, Home/End the first and last, Escape back to the last bar (the crosshair off); + and - zoom in
 * and out about the bar the crosshair is on (the newest without one), 0 shows every bar again.
 * `at`: the bar the crosshair is on; `last`: the newest bar's index.
 */
export function chartKey(key: string, at: number, last: number): ChartKey | undefined {
  switch (key) {
    case 'ArrowLeft':
      return { bar: Math.max(0, at - 1) };
    case 'ArrowRight':
      return { bar: Math.min(last, at + 1) };
    case 'Home':
      return { bar: 0 };
    case 'End':
      return { bar: last };
    case 'Escape':
      return { bar: undefined };
    case '+':
    case '=':
      return { zoom: ZOOM_STEP };
    case '-':
    case '_':
      return { zoom: 1 / ZOOM_STEP };
    case '0':
      return { fit: true };
    default:
      return undefined;
  }
}

/** The range to show so bar `index` is whole in view, moved by as little as it takes; undefined when it is in view. */
export function rangeShowing(range: BarRange, index: number): BarRange | undefined {
  const width = range.to - range.from;
  // a bar of room beyond it where the view is wide enough for that
  const room = Math.min(1, Math.max(0, (width - 1) / 2));
  if (index - 0.5 < range.from) return { from: index - 0.5 - room, to: index - 0.5 - room + width };
  if (index + 0.5 > range.to) return { from: index + 0.5 + room - width, to: index + 0.5 + room };
  return undefined;
}

/**
 * The range zoomed by `factor` (below 1: fewer bars, larger) about bar `anchor`, which stays where it is on the
 * screen; never fewer than MIN_BARS bars, nor (zooming out) wider than every bar and the room after the newest.
 */
export function zoomedRange(range: BarRange, factor: number, anchor: number, bars: number, roomAfter: number): BarRange {
  const width = range.to - range.from;
  const widest = Math.max(MIN_BARS, bars + roomAfter);
  const next = Math.min(widest, Math.max(Math.min(MIN_BARS, width), width * factor));
  const share = width > 0 ? Math.min(1, Math.max(0, (anchor - range.from) / width)) : 1;
  let from = anchor - share * next;
  // zoomed out, the view does not reach before the first bar nor further past the newest than its room
  from = Math.max(Math.min(from, bars - 1 + roomAfter - next), -0.5);
  return { from, to: from + next };
}

/** The view to save for a range of these bars (ascending times), or undefined without bars. */
export function viewToSave(range: BarRange, bars: readonly { time: number }[]): SavedView | undefined {
  const last = bars.length - 1;
  if (last < 0) return undefined;
  const width = range.to - range.from;
  // the newest bar whole in view (its right half too): the view follows it
  if (range.to >= last + 0.5) return { bars: width, pastLast: range.to - last };
  const first = bars[Math.min(last, Math.max(0, Math.ceil(range.from)))].time;
  return { firstTime: first, bars: width };
}

/** The range a saved view comes back as over these bars (ascending times), or undefined when none of it is left. */
export function rangeOf(saved: SavedView, bars: readonly { time: number }[]): BarRange | undefined {
  const last = bars.length - 1;
  if (last < 0) return undefined;
  if ('pastLast' in saved) return { from: last + saved.pastLast - saved.bars, to: last + saved.pastLast };
  const i = bars.findIndex((b) => b.time >= saved.firstTime);
  if (i < 0) return undefined;
  return { from: i, to: i + saved.bars };
}

/** A saved view read back from the webview's state, or undefined for anything malformed. */
export function parseSavedView(v: unknown): SavedView | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  const num = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  if (!num(o.bars) || o.bars <= 0 || o.bars > 1e6) return undefined;
  if (num(o.pastLast) && Math.abs(o.pastLast) < 1e6) return { bars: o.bars, pastLast: o.pastLast };
  if (num(o.firstTime)) return { firstTime: o.firstTime, bars: o.bars };
  return undefined;
}
