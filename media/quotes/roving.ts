/**
 * One Tab stop for a group of elements, arrows between them (the roving
 * tabindex of the WAI-ARIA practices): the table's sort buttons are one stop
 * (Left/Right), its rows another (Up/Down); Home and End go to the first and
 * the last. The element last focused, by key or by click, is the group's stop.
 */

const NEXT = { row: 'ArrowRight', column: 'ArrowDown' } as const;
const PREVIOUS = { row: 'ArrowLeft', column: 'ArrowUp' } as const;

export interface Roving {
  /** After the group's elements changed: one of them, the same as before where it is still there, is the Tab stop. */
  refresh(): void;
  /** Focuses the group's stop (the element last focused). */
  focus(): void;
}

export function rovingFocus(container: HTMLElement, items: () => HTMLElement[], axis: 'row' | 'column'): Roving {
  let stop: HTMLElement | undefined;
  const makeStop = (el: HTMLElement | undefined) => {
    for (const item of items()) item.tabIndex = item === el ? 0 : -1;
    stop = el;
  };
  const refresh = () => {
    const all = items();
    makeStop(stop && all.includes(stop) ? stop : all[0]);
  };
  container.addEventListener('focusin', (e) => {
    const item = items().find((i) => i === e.target);
    if (item && item !== stop) makeStop(item);
  });
  container.addEventListener('keydown', (e) => {
    const all = items();
    const at = all.indexOf(e.target as HTMLElement);
    if (at < 0 || e.altKey || e.ctrlKey || e.metaKey) return;
    const to =
      e.key === NEXT[axis]
        ? Math.min(at + 1, all.length - 1)
        : e.key === PREVIOUS[axis]
          ? Math.max(at - 1, 0)
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? all.length - 1
              : -1;
    if (to < 0) return;
    // the page does not scroll as well
    e.preventDefault();
    makeStop(all[to]);
    all[to].focus();
  });
  refresh();
  return { refresh, focus: () => stop?.focus() };
}
