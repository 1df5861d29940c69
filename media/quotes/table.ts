/**
 * The quote table: one row per watchlist symbol, sortable by any column.
 * The host sends the fields that changed; the row's text is worked out here,
 * and only cells whose text changed are written, so a hover or a selection
 * survives the stream. Click a row for its details, double-click for its chart.
 * The sort chosen is saved with the webview's state: the page is let go while
 * the view is hidden (no retainContextWhenHidden), and the new one, or the one
 * after a window reload, sorts the same way.
 */
import { applyChanges, QUOTE_COLUMNS, type QuoteColumn, type QuoteFields, type QuoteTableHostMessage, type QuoteTableRow } from './protocol';
import { tableRow } from './row-view';
import { rovingFocus } from './roving';
import { localZoneName } from '../../src/vscode/format';

/** Saved with setState: the sort (none: the watchlist's order). */
interface QuoteTableState {
  sortKey: QuoteColumn;
  ascending: boolean;
}

declare function acquireVsCodeApi(): { postMessage(message: unknown): void; getState(): unknown; setState(state: QuoteTableState): void };
const vscode = acquireVsCodeApi();

interface Shown {
  tr: HTMLTableRowElement;
  cells: Map<QuoteColumn, HTMLTableCellElement>;
  row: QuoteTableRow;
}

const table = document.getElementById('quotes') as HTMLTableElement;
const body = table.tBodies[0];
const shown = new Map<string, Shown>();
/** Each row's fields as the host last told them. */
const fields = new Map<string, QuoteFields>();
let order: string[] = [];
const NUMERIC = new Set<QuoteColumn>(QUOTE_COLUMNS.filter(([, , numeric]) => numeric).map(([key]) => key));
const COLUMNS = new Set<string>(QUOTE_COLUMNS.map(([key]) => key));

/** The sort saved by this view's page before (hidden and shown again, a window reload); anything else (none, an older version's) is no sort. */
function savedSort(v: unknown): QuoteTableState | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const { sortKey: key, ascending: up } = v as Record<string, unknown>;
  return typeof key === 'string' && COLUMNS.has(key) && typeof up === 'boolean' ? { sortKey: key as QuoteColumn, ascending: up } : undefined;
}
const saved = savedSort(vscode.getState());
let sortKey: QuoteColumn | undefined = saved?.sortKey;
let ascending = saved?.ascending ?? true;

const headRow = table.tHead!.rows[0];
/** The sorted column's heading says which way (aria-sort), the others nothing. */
function showSort(): void {
  for (const h of Array.from(headRow.cells)) {
    if (sortKey && h.dataset.key === sortKey) h.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    else h.removeAttribute('aria-sort');
  }
}

for (const [key, label, numeric] of QUOTE_COLUMNS) {
  const th = document.createElement('th');
  th.scope = 'col';
  th.dataset.key = key;
  if (numeric) th.className = 'num';
  const button = document.createElement('button');
  button.type = 'button';
  // the times are this computer's: the heading names the zone (the charts show the exchange's)
  const zone = key === 'time' ? localZoneName(Date.now()) : '';
  button.textContent = zone ? `${label} (${zone})` : label;
  if (zone) button.dataset.zone = zone;
  button.title = `Sort by ${label}`;
  button.addEventListener('click', () => {
    ascending = sortKey === key ? !ascending : true;
    sortKey = key;
    vscode.setState({ sortKey, ascending });
    showSort();
    arrange();
  });
  th.append(button);
  headRow.append(th);
}
// a sort saved before: its heading says so now, the rows come sorted
showSort();
// the sort buttons are one Tab stop, the rows another: arrows move within each
rovingFocus(headRow, () => Array.from(headRow.querySelectorAll('button')), 'row');
const rowStops = rovingFocus(body, () => Array.from(body.rows), 'column');
// the view focused (its Focus command, or back from the details a row opened): the keyboard is on its row again,
// not on the page, one Tab before the sort buttons
window.addEventListener('focus', () => {
  if (document.activeElement === document.body || document.activeElement === null) rowStops.focus();
});

/** The time heading names this computer's zone: again when it changes (daylight saving time begins or ends while open). */
let zoneCheckedAt = Date.now();
function checkZone(now: number): void {
  if (now - zoneCheckedAt < 60_000) return;
  zoneCheckedAt = now;
  const button = headRow.querySelector<HTMLButtonElement>('th[data-key="time"] button');
  const zone = localZoneName(now);
  if (!button || !zone || button.dataset.zone === zone) return;
  button.dataset.zone = zone;
  button.textContent = button.textContent!.replace(/\(.*\)$/, `(${zone})`);
}

let rowIds = 0;

function add(row: QuoteTableRow): Shown {
  const tr = document.createElement('tr');
  tr.dataset.symbol = row.symbol;
  tr.tabIndex = -1;
  tr.setAttribute('aria-keyshortcuts', 'Enter Shift+Enter');
  // named by its symbol, its cells read after: the tooltip (the whole quote, for a pointer) is neither its name nor read again
  tr.setAttribute('aria-describedby', 'no-description');
  const cells = new Map<QuoteColumn, HTMLTableCellElement>();
  for (const [key, , numeric] of QUOTE_COLUMNS) {
    const td = document.createElement(key === 'symbol' ? 'th' : 'td') as HTMLTableCellElement;
    if (key === 'symbol') {
      (td as HTMLTableCellElement & { scope: string }).scope = 'row';
      td.id = `symbol-${++rowIds}`;
      tr.setAttribute('aria-labelledby', td.id);
    }
    td.dataset.key = key;
    if (numeric) td.className = 'num';
    tr.append(td);
    cells.set(key, td);
  }
  tr.addEventListener('click', () => vscode.postMessage({ type: 'details', symbol: row.symbol }));
  tr.addEventListener('dblclick', () => vscode.postMessage({ type: 'chart', symbol: row.symbol }));
  // Enter: the details, as a click; Shift+Enter (or Ctrl/Cmd+Enter): the chart, as a double click
  tr.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    vscode.postMessage(e.shiftKey || e.ctrlKey || e.metaKey ? { type: 'chart', symbol: row.symbol } : { type: 'details', symbol: row.symbol, byKey: true });
  });
  const s = { tr, cells, row };
  shown.set(row.symbol, s);
  return s;
}

function update(row: QuoteTableRow): void {
  const s = shown.get(row.symbol) ?? add(row);
  s.row = row;
  for (const [key, td] of s.cells) {
    const text = row.cells[key];
    if (td.textContent !== text) td.textContent = text;
  }
  if (s.tr.title !== row.title) s.tr.title = row.title;
  if (s.tr.dataset.direction !== row.direction) s.tr.dataset.direction = row.direction;
}

/**
 * A number column sorts by its number, the time column by the time (a row
 * without one, "—", last in either direction); the others by their text.
 */
function sortValue(s: Shown): number | string | undefined {
  if (!sortKey) return undefined;
  if (NUMERIC.has(sortKey) || sortKey === 'time') return s.row.sort[sortKey];
  return sortKey === 'symbol' ? s.row.symbol : s.row.cells[sortKey];
}

/** Puts the rows in the watchlist's order, or sorted by the chosen column; moves nodes only when the order changes. */
function arrange(): void {
  const rows = order.map((sym) => shown.get(sym)).filter((s): s is Shown => s !== undefined);
  if (sortKey) {
    rows.sort((a, b) => {
      const x = sortValue(a);
      const y = sortValue(b);
      if (x === undefined || x === '') return 1;
      if (y === undefined || y === '') return -1;
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return ascending ? c : -c;
    });
  }
  const now = Array.from(body.rows);
  if (now.length === rows.length && rows.every((s, i) => now[i] === s.tr)) return;
  // a row moved out and in again loses the focus: the row a person is on keeps it through a new order
  const focused = document.activeElement instanceof HTMLTableRowElement && body.contains(document.activeElement) ? document.activeElement : undefined;
  body.replaceChildren(...rows.map((s) => s.tr));
  rowStops.refresh();
  if (focused?.isConnected) focused.focus({ preventScroll: true });
}

window.addEventListener('message', (e: MessageEvent<QuoteTableHostMessage>) => {
  const m = e.data;
  if (m?.type === 'simulated' && typeof m.on === 'boolean') document.getElementById('sim-badge')!.hidden = !m.on;
  if (m?.type === 'offline' && typeof m.text === 'string') {
    const note = document.getElementById('offline')!;
    note.textContent = m.text;
    note.hidden = !m.text;
  }
  if (!m || m.type !== 'rows' || !Array.isArray(m.rows)) return;
  // whole rows, in answer to this page's ready: anything that reached it before (sent to the page it replaced) goes
  if (m.reset === true) fields.clear();
  for (const change of m.rows) {
    if (!change || typeof change.symbol !== 'string' || !change.set || typeof change.set !== 'object') continue;
    const f = fields.get(change.symbol) ?? {};
    applyChanges(f, change.set);
    fields.set(change.symbol, f);
    update(tableRow(change.symbol, f));
  }
  if (Array.isArray(m.order)) {
    order = m.order.filter((x) => typeof x === 'string');
    for (const sym of [...shown.keys()]) if (!order.includes(sym)) shown.delete(sym);
    for (const sym of [...fields.keys()]) if (!order.includes(sym)) fields.delete(sym);
  }
  arrange();
  checkZone(Date.now());
  shownDay = dayOf(Date.now());
  document.getElementById('empty')!.hidden = order.length > 0;
  document.body.dataset.rows = String(order.length);
});

/** This computer's day, as the time column reads it ("today": a time without its date). */
const dayOf = (now: number): string => new Date(now).toDateString();
/** The day the rows were last written for. */
let shownDay = dayOf(Date.now());

/**
 * A new day (past midnight here): every row's time is written again, so a
 * quote of yesterday shows its date though it has not changed since (a closed
 * market's last values).
 */
setInterval(() => {
  const now = Date.now();
  if (dayOf(now) === shownDay) return;
  shownDay = dayOf(now);
  for (const [symbol, f] of fields) update(tableRow(symbol, f, now));
  arrange();
}, 30_000);

vscode.postMessage({ type: 'ready' });
