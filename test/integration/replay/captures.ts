/**
 * The recorded TWS messages: test/fixtures/tws-captures.json and the
 * project's own additions in
 * test/fixtures/tws-captures-more.json, each with its source.
 *
 * A capture's recorded reqId belongs to its recording; replay gives it the id
 * of the request being answered (withReqId). Most captures do not state the
 * server version they were recorded at: REPLAY_VERSIONS says which version
 * each one is replayed at and why (the fields that exist at that version,
 * the unit or format it shows, the client that recorded it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Capture {
  id: string;
  source: string;
  recorded_server_version: number | null;
  direction: 'from-tws' | 'to-tws';
  message: string;
  fields: string[];
  notes?: string;
  derived?: string;
}

const ROOT = join(__dirname, '..', '..', '..');

/** Messages recorded from real TWS and IB Gateway, each with its source (what they mean: docs/real-tws-facts.md). */
export const SHARED_CAPTURES = join(ROOT, 'test', 'fixtures', 'tws-captures.json');
export const PROJECT_CAPTURES = join(ROOT, 'test', 'fixtures', 'tws-captures-more.json');

function load(path: string): Capture[] {
  const data: unknown = JSON.parse(readFileSync(path, 'utf8'));
  const list = Array.isArray(data) ? data : (data as { captures?: unknown }).captures;
  if (!Array.isArray(list)) throw new Error(`${path}: expected a list of captures`);
  return list as Capture[];
}

let all: Capture[] | undefined;

/** Every capture, shared ones first. */
export function captures(): Capture[] {
  all ??= [...load(SHARED_CAPTURES), ...load(PROJECT_CAPTURES)];
  return all;
}

export function capture(id: string): Capture {
  const c = captures().find((x) => x.id === id);
  if (!c) throw new Error(`no capture ${id}`);
  return c;
}

/**
 * The server version a capture is replayed at, when it does not say. The
 * client here (@stoqey/ib 1.6) offers up to 193, so a TWS newer than that
 * answers 193 and sends what 193 means.
 */
const REPLAY_VERSIONS: ReadonlyArray<[RegExp, number, string]> = [
  // the first that matches wins
  // its fields fit 178 on (a trailing pendingPriceRevision) or, if that last empty
  // field is a test-string artifact like its neighbours', anything up to 176
  [/^rust-execution-data-tsla-old$/, 178, 'fields fit 178 and later'],
  // rust-ibapi's recorder header says 173 for its 2025 recordings; its unit-test
  // messages have no message-version field and carry size rules (>= 164) and
  // two-space zone-less dates (< 174), and bar volume in lots (< 175).
  [/^rust-/, 173, 'rust-ibapi recordings at 173; lots and zone-less dates fit < 174'],
  // issue #236 (April 2025): sizes in shares (>= 159), volume in lots (< 220).
  [/^rust236-/, 173, 'rust-ibapi of April 2025; sizes in shares, volume in lots'],
  // ib_async 2025: zone-suffixed dates (>= 174), bar volume in shares (>= 175),
  // start/end in the HISTORICAL_DATA header (< 196).
  [/^ibasync161-/, 178, 'ib_async 2025: zone suffix and shares, header dates'],
  [/^nautilus-/, 176, 'IB Python client of 2023 (nautilus_trader)'],
  [/^ibinsync(209|166|239)-/, 157, 'ib_insync of 2019-2020'],
  [/^(ezibpy7|nodeib21)-/, 157, 'a 2016 server: no advancedOrderRejectJson'],
  [/^(lean607|ibinsync268)-/, 157, 'no advancedOrderRejectJson: before 166'],
];

export function replayVersion(c: Capture): number {
  if (c.recorded_server_version) return c.recorded_server_version;
  for (const [re, v] of REPLAY_VERSIONS) if (re.test(c.id)) return v;
  return 173;
}

/** Index of the request id in each message's fields (after the message id). */
const REQ_ID_AT: Readonly<Record<string, number>> = {
  TICK_PRICE: 2,
  TICK_SIZE: 2,
  TICK_STRING: 2,
  TICK_GENERIC: 2,
  MARKET_DATA_TYPE: 2,
  ERR_MSG: 2,
  TICK_SNAPSHOT_END: 2,
  CONTRACT_DATA_END: 2,
  ACCOUNT_SUMMARY: 2,
  ACCOUNT_SUMMARY_END: 2,
  TICK_REQ_PARAMS: 1,
  HISTORICAL_DATA: 1,
  HISTORICAL_DATA_UPDATE: 1,
  CONTRACT_DATA: 1,
  SYMBOL_SAMPLES: 1,
  HISTORICAL_TICKS: 1,
  HISTORICAL_TICKS_BID_ASK: 1,
  HISTORICAL_TICKS_LAST: 1,
  TICK_BY_TICK: 1,
  HISTORICAL_NEWS: 1,
};

/** The capture's fields with the request id of the request being answered. */
export function withReqId(c: Capture, reqId: number): string[] {
  const at = REQ_ID_AT[c.message];
  if (at === undefined) throw new Error(`${c.id}: ${c.message} carries no request id here`);
  const fields = [...c.fields];
  fields[at] = String(reqId);
  return fields;
}

/**
 * Captures copied from test strings that end in "\0\0": the last, empty
 * field is the string's, not TWS's (their CONTRACT_DATA_END, written the same
 * way, reads ["52", "1", "9001", ""], one field more than IB's layout).
 */
const TRAILING_EMPTY_ARTIFACT = new Set(['rust-contract-data-tsla-smart', 'rust-contract-data-tsla-amex']);

/**
 * Captures whose source text was cut off: the bar count says more bars than
 * the text kept. Replayed with the count of the complete bars (8 fields each
 * below HISTORICAL_DATA_END), as TWS would have sent a shorter answer.
 */
const TRUNCATED_BARS = new Set(['ibasync161-historical-data-30min-zone', 'ibinsync239-historical-data-unknown-prices']);

function withCompleteBars(fields: string[]): string[] {
  // 17, reqId, start, end, count, then bars
  const bars = Math.floor((fields.length - 5) / 8);
  const out = fields.slice(0, 5 + bars * 8);
  out[4] = String(bars);
  return out;
}

/** ERR_MSG's fields after the text: advancedOrderRejectJson from 166 (errorTime, from 194, is past this client). */
const ADVANCED_ORDER_REJECT = 166;

/**
 * A capture as TWS sends it at `version`. Only ERR_MSG's trailing fields
 * differ between the versions replayed here: TWS adds the (empty)
 * advancedOrderRejectJson from 166, and a recording made at a newer version
 * may carry more empty fields after it. The text and code are untouched.
 */
export function atVersion(fields: readonly string[], message: string, version: number): string[] {
  if (message !== 'ERR_MSG' || fields[1] !== '2') return [...fields];
  const head = fields.slice(0, 5);
  return version >= ADVANCED_ORDER_REJECT ? [...head, fields[5] ?? ''] : head;
}

/** A capture's fields as TWS sends them at `version`, with the request id of the request answered (when given). */
export function replayFields(c: Capture, version: number, reqId?: number): string[] {
  let fields = reqId === undefined ? [...c.fields] : withReqId(c, reqId);
  if (TRAILING_EMPTY_ARTIFACT.has(c.id) && fields[fields.length - 1] === '') fields = fields.slice(0, -1);
  if (TRUNCATED_BARS.has(c.id)) fields = withCompleteBars(fields);
  return atVersion(fields, c.message, version);
}
