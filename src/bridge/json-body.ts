/**
 * The bridge's JSON body parser: fastify's own refuses a key `__proto__` or
 * `constructor.prototype` (prototype poisoning) and says only "Body is not
 * valid JSON"; this one says which of the two a body is, and where JSON fails.
 * An empty body is one left out, as without a Content-Type, and a top-level
 * field whose value is null is one left out (its default applies): a Go
 * struct with pointer fields and no `omitempty` sends `null` for a field it
 * does not set, which would otherwise be coerced to false, "" or 0.
 */
import type { FastifyInstance } from 'fastify';
import { HttpError } from './http-errors';

/** How deep a body may nest (the routes take flat objects): deeper is refused before it is walked. */
const MAX_DEPTH = 32;

/** What is wrong with a parsed body: a key that could poison a prototype when an object is merged, or nesting past MAX_DEPTH. */
function refused(value: unknown, path = 'body', depth = 0): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth >= MAX_DEPTH) return `The body nests deeper than ${MAX_DEPTH} levels (at ${path.slice(0, 80)}...): send only the fields the route takes.`;
  for (const key of Object.keys(value)) {
    const child = (value as Record<string, unknown>)[key];
    if (key === '__proto__') return poisoned(`${path}.__proto__`);
    if (key === 'constructor' && typeof child === 'object' && child !== null && Object.hasOwn(child, 'prototype'))
      return poisoned(`${path}.constructor.prototype`);
    const deeper = refused(child, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`, depth + 1);
    if (deeper) return deeper;
  }
  return undefined;
}

const poisoned = (key: string) => `The body has a key that is refused (${key}): send only the fields the route takes.`;

/** A JSON object without its top-level null fields (null = left out); anything else as it is. */
function withoutNulls(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null));
}

export function registerJsonBody(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, text, done) => {
    const body = String(text);
    // an empty body is a body left out (a client that always says JSON): the route's defaults
    if (body.trim() === '') return done(null, null);
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (e) {
      return done(new HttpError(400, `The body is not valid JSON (${(e as Error).message}).`), undefined);
    }
    const problem = refused(value);
    if (problem) return done(new HttpError(400, problem), undefined);
    done(null, withoutNulls(value));
  });
}

/** What a JSON value is, in the words of a JSON schema's `type`. */
function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/**
 * Refuses (400) a body field sent as another JSON type than its schema's
 * (`"use_rth": "true"`, `"port": "4002"`), which the schema's validation would
 * otherwise coerce, as it must for a query string's text: a body is JSON and
 * says what each value is. `numbersAsText` are string fields that take a JSON
 * integer too (`end` as Unix seconds).
 */
export function strictBodyTypes(body: unknown, schema: { properties: Record<string, { type?: string }> }, numbersAsText: readonly string[] = []): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
  for (const [key, value] of Object.entries(body)) {
    const want = schema.properties[key]?.type;
    if (want === undefined) continue;
    const is = jsonType(value);
    const ok = is === want || (want === 'number' && is === 'integer') || (want === 'string' && is === 'integer' && numbersAsText.includes(key));
    if (!ok) {
      const shown = JSON.stringify(value);
      throw new HttpError(
        400,
        `The body's "${key}" must be a JSON ${want}${want === 'boolean' ? ' (true or false)' : ''}, not ${shown.length > 40 ? `${shown.slice(0, 40)}...` : shown}.`,
      );
    }
  }
}
