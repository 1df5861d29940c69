/**
 * Text from outside (the gateway, settings, files, webview messages) made
 * safe to log and to show: one place for it.
 */

/** C0 and C1 control characters, and the invisible marks that reorder text (bidi overrides and isolates). */
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const escaped = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** The text with every control character written as a visible \uXXXX escape: one line, no terminal escape codes. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, escaped);
}

/** A value quoted for a message: printable and at most `max` characters (a huge or multi-line value is never echoed whole). */
export function quoted(value: unknown, max = 40): string {
  const text = printable(String(value));
  return `"${text.length > max ? `${text.slice(0, max - 3)}...` : text}"`;
}

/** Longest message text kept from the gateway (a decoding error can carry the whole message it choked on). */
export const MAX_MESSAGE_TEXT = 1_000;

/** A text from the gateway cut to MAX_MESSAGE_TEXT characters, saying how long it was. */
export function clipped(text: string): string {
  return text.length > MAX_MESSAGE_TEXT ? `${text.slice(0, MAX_MESSAGE_TEXT)}... (${text.length} characters in all)` : text;
}

/**
 * A log message that cannot forge a log line: control characters escaped
 * except line breaks, and every continuation line indented, so nothing a
 * gateway sends can look like a new "[info]" entry or colour the output.
 */
export function logText(text: string): string {
  const lines = text.split(/\r?\n/);
  return lines.map((l, i) => (i === 0 ? printable(l) : `    ${printable(l)}`)).join('\n');
}

/** Plain text for a markdown context (tooltips): printable, every markdown, HTML and theme-icon character escaped. */
export function escapeMarkdown(text: string): string {
  return printable(text).replace(/[\\`*_{}[\]()#+\-.!|<>~$&:]/g, (c) => `\\${c}`);
}

/** Text as inline code in markdown (a table cell): printable, no backtick to end the code span early, `|` escaped for the table. */
export function markdownCode(text: string): string {
  return `\`${printable(text).replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

/** Plain text for a notification or the status bar: printable, and no [link](target) or $(icon) syntax. */
export function plainText(text: string): string {
  return printable(text).replace(/\]\(/g, '] (').replace(/\$\(/g, '$ (');
}
