/**
 * Symbols as clients write them, checked once: a poller asks the same few
 * symbols thousands of times a second, and reading a symbol (parseSymbol: its
 * words, exchange, expiry) cost more than the rest of a GET /quotes answer's
 * own work together. So a text read well is remembered (the most recent few
 * thousand); a malformed one is read again each time, for its 400.
 */
import { parseSymbol } from '../ib/contracts/symbol';

/** How many well-formed texts are remembered (a few thousand: symbols a bridge's clients ask are far fewer). */
const REMEMBERED = 4_096;

const checked = new Map<string, string>();

/** The symbol as the client wrote it, checked (400 when malformed), upper-cased. */
export function symbolParam(text: string): string {
  const known = checked.get(text);
  if (known !== undefined) return known;
  const upper = parseSymbol(text).text.toUpperCase();
  // full: start again (the symbols in use come back at once; an attacker's many symbols cannot grow the map)
  if (checked.size >= REMEMBERED) checked.clear();
  checked.set(text, upper);
  return upper;
}

/** The key of a symbol: as parseSymbol would cache it (case and spaces do not matter). */
export function symbolKey(text: string): string {
  return symbolParam(text).replace(/\s+/g, ' ');
}
