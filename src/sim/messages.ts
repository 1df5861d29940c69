/**
 * Message ids of the TWS API. Names follow @stoqey/ib: OUT ids are what a
 * client sends (the simulator receives them), IN ids are what a client
 * receives (the simulator sends them).
 */

/** Client -> gateway (@stoqey/ib's OUT_MSG_ID). */
export const OUT = {
  REQ_MKT_DATA: 1,
  CANCEL_MKT_DATA: 2,
  PLACE_ORDER: 3,
  CANCEL_ORDER: 4,
  REQ_OPEN_ORDERS: 5,
  REQ_ACCOUNT_DATA: 6,
  REQ_EXECUTIONS: 7,
  REQ_IDS: 8,
  REQ_CONTRACT_DATA: 9,
  REQ_MKT_DEPTH: 10,
  CANCEL_MKT_DEPTH: 11,
  REQ_NEWS_BULLETINS: 12,
  CANCEL_NEWS_BULLETINS: 13,
  SET_SERVER_LOGLEVEL: 14,
  REQ_AUTO_OPEN_ORDERS: 15,
  REQ_ALL_OPEN_ORDERS: 16,
  REQ_MANAGED_ACCTS: 17,
  REQ_FA: 18,
  REPLACE_FA: 19,
  REQ_HISTORICAL_DATA: 20,
  EXERCISE_OPTIONS: 21,
  REQ_SCANNER_SUBSCRIPTION: 22,
  CANCEL_SCANNER_SUBSCRIPTION: 23,
  REQ_SCANNER_PARAMETERS: 24,
  CANCEL_HISTORICAL_DATA: 25,
  REQ_CURRENT_TIME: 49,
  REQ_REAL_TIME_BARS: 50,
  CANCEL_REAL_TIME_BARS: 51,
  REQ_FUNDAMENTAL_DATA: 52,
  CANCEL_FUNDAMENTAL_DATA: 53,
  REQ_CALC_IMPLIED_VOLAT: 54,
  REQ_CALC_OPTION_PRICE: 55,
  CANCEL_CALC_IMPLIED_VOLAT: 56,
  CANCEL_CALC_OPTION_PRICE: 57,
  REQ_GLOBAL_CANCEL: 58,
  REQ_MARKET_DATA_TYPE: 59,
  REQ_POSITIONS: 61,
  REQ_ACCOUNT_SUMMARY: 62,
  CANCEL_ACCOUNT_SUMMARY: 63,
  CANCEL_POSITIONS: 64,
  VERIFY_REQUEST: 65,
  VERIFY_MESSAGE: 66,
  QUERY_DISPLAY_GROUPS: 67,
  SUBSCRIBE_TO_GROUP_EVENTS: 68,
  UPDATE_DISPLAY_GROUP: 69,
  UNSUBSCRIBE_FROM_GROUP_EVENTS: 70,
  START_API: 71,
  REQ_POSITIONS_MULTI: 74,
  CANCEL_POSITIONS_MULTI: 75,
  REQ_ACCOUNT_UPDATES_MULTI: 76,
  CANCEL_ACCOUNT_UPDATES_MULTI: 77,
  REQ_SEC_DEF_OPT_PARAMS: 78,
  REQ_SOFT_DOLLAR_TIERS: 79,
  REQ_FAMILY_CODES: 80,
  REQ_MATCHING_SYMBOLS: 81,
  REQ_MKT_DEPTH_EXCHANGES: 82,
  REQ_SMART_COMPONENTS: 83,
  REQ_NEWS_ARTICLE: 84,
  REQ_NEWS_PROVIDERS: 85,
  REQ_HISTORICAL_NEWS: 86,
  REQ_HEAD_TIMESTAMP: 87,
  REQ_HISTOGRAM_DATA: 88,
  CANCEL_HISTOGRAM_DATA: 89,
  CANCEL_HEAD_TIMESTAMP: 90,
  REQ_MARKET_RULE: 91,
  REQ_PNL: 92,
  CANCEL_PNL: 93,
  REQ_PNL_SINGLE: 94,
  CANCEL_PNL_SINGLE: 95,
  REQ_HISTORICAL_TICKS: 96,
  REQ_TICK_BY_TICK_DATA: 97,
  CANCEL_TICK_BY_TICK_DATA: 98,
  REQ_COMPLETED_ORDERS: 99,
  REQ_WSH_META_DATA: 100,
  CANCEL_WSH_META_DATA: 101,
  REQ_WSH_EVENT_DATA: 102,
  CANCEL_WSH_EVENT_DATA: 103,
  REQ_USER_INFO: 104,
} as const;

/** Gateway -> client (@stoqey/ib's IN_MSG_ID). */
export const IN = {
  TICK_PRICE: 1,
  TICK_SIZE: 2,
  ERR_MSG: 4,
  ACCT_VALUE: 6,
  ACCT_UPDATE_TIME: 8,
  NEXT_VALID_ID: 9,
  CONTRACT_DATA: 10,
  MANAGED_ACCTS: 15,
  HISTORICAL_DATA: 17,
  TICK_GENERIC: 45,
  TICK_STRING: 46,
  CURRENT_TIME: 49,
  REAL_TIME_BARS: 50,
  CONTRACT_DATA_END: 52,
  OPEN_ORDER_END: 53,
  ACCT_DOWNLOAD_END: 54,
  EXECUTION_DATA_END: 55,
  TICK_SNAPSHOT_END: 57,
  MARKET_DATA_TYPE: 58,
  POSITION_END: 62,
  ACCOUNT_SUMMARY: 63,
  ACCOUNT_SUMMARY_END: 64,
  POSITION_MULTI_END: 72,
  ACCOUNT_UPDATE_MULTI: 73,
  ACCOUNT_UPDATE_MULTI_END: 74,
  SYMBOL_SAMPLES: 79,
  TICK_REQ_PARAMS: 81,
  HEAD_TIMESTAMP: 88,
  HISTORICAL_DATA_UPDATE: 90,
  TICK_BY_TICK: 99,
  COMPLETED_ORDERS_END: 102,
} as const;

/** Messages that would change the account; the simulated account is read-only. */
export const ORDER_MESSAGES: ReadonlySet<number> = new Set([OUT.PLACE_ORDER, OUT.CANCEL_ORDER, OUT.REQ_GLOBAL_CANCEL, OUT.EXERCISE_OPTIONS, OUT.REPLACE_FA]);

const OUT_NAMES = new Map<number, string>(Object.entries(OUT).map(([name, id]) => [id, name]));

export function outName(id: number): string {
  return OUT_NAMES.get(id) ?? `MSG_${id}`;
}

/** The newest protocol version this gateway speaks (no protobuf, HISTORICAL_DATA carries its own end). */
export const SERVER_VERSION = 193;
/**
 * The oldest it speaks: a client that offers at most this much (ib_insync and
 * ib_async offer v157..178) gets its own maximum, as TWS does.
 */
export const MIN_SERVER_VERSION = 157;

/** Server versions where a message this gateway sends changed its layout (IB's MIN_SERVER_VER_*). */
export const V = {
  /** sizes as decimals; CONTRACT_DATA's sizeMinTick (163 only) */
  FRACTIONAL_SIZE_SUPPORT: 163,
  /** CONTRACT_DATA loses its version field and mdSizeMultiplier, gains minSize/sizeIncrement/suggestedSizeIncrement */
  SIZE_RULES: 164,
  /** ERR_MSG carries advancedOrderRejectJson */
  ADVANCED_ORDER_REJECT: 166,
  /** SYMBOL_SAMPLES carries description and issuerId; REQ_CONTRACT_DATA sends issuerId */
  BOND_ISSUERID: 176,
  /** CONTRACT_DATA carries lastTradeDate */
  LAST_TRADE_DATE: 182,
  /** CONTRACT_DATA carries its ineligibility reasons */
  INELIGIBILITY_REASONS: 186,
  /** CANCEL_ORDER and REQ_GLOBAL_CANCEL lose their version field (MIN_SERVER_VER_CME_TAGGING_FIELDS) */
  CME_TAGGING_FIELDS: 192,
} as const;

/** The version to speak with a client that offers min..max, or undefined when there is none. */
export function negotiateVersion(offer: { min: number; max: number }, newest: number = SERVER_VERSION): number | undefined {
  const v = Math.min(offer.max, newest);
  return v >= Math.max(offer.min, MIN_SERVER_VERSION) ? v : undefined;
}

/** Tick types (TickType in @stoqey/ib); delayed ones live at 66..90. */
export const TICK = {
  BID_SIZE: 0,
  BID: 1,
  ASK: 2,
  ASK_SIZE: 3,
  LAST: 4,
  LAST_SIZE: 5,
  HIGH: 6,
  LOW: 7,
  VOLUME: 8,
  CLOSE: 9,
  OPEN: 14,
  LAST_TIMESTAMP: 45,
  HALTED: 49,
  DELAYED_BID: 66,
  DELAYED_ASK: 67,
  DELAYED_LAST: 68,
  DELAYED_BID_SIZE: 69,
  DELAYED_ASK_SIZE: 70,
  DELAYED_LAST_SIZE: 71,
  DELAYED_HIGH: 72,
  DELAYED_LOW: 73,
  DELAYED_VOLUME: 74,
  DELAYED_CLOSE: 75,
  DELAYED_OPEN: 76,
  DELAYED_LAST_TIMESTAMP: 88,
} as const;
