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
