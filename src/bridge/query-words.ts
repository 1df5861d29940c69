/**
 * Query values in the spellings clients send, read before validation: a flag
 * as IB's own API and many clients write it (`use_rth=1`, `0`; Python's
 * `True`, `False`) besides `true` and `false`, and a list as Go's
 * `url.Values.Add` in a loop writes it (`symbols=AAPL&symbols=MSFT`) besides
 * the comma form.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

const FLAG_WORDS: ReadonlyMap<string, string> = new Map([
  ['1', 'true'],
  ['0', 'false'],
  ['true', 'true'],
  ['false', 'false'],
]);
const FLAGS = ['use_rth', 'market_data_type'];
const LISTS = ['symbols'];

/**
 * Reads the spellings on the routes whose query names one of these words
 * (before their own checks), so that a request to any other route does not
 * pay for a hook that would find nothing to read.
 */
export function readQueryWords(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const props = (route.schema?.querystring as { properties?: object } | undefined)?.properties;
    if (!props || ![...FLAGS, ...LISTS].some((k) => k in props)) return;
    const own = route.preValidation;
    route.preValidation = own === undefined ? [spellings] : [spellings, ...(Array.isArray(own) ? own : [own])];
  });
}

async function spellings(req: FastifyRequest): Promise<void> {
  const q = req.query as Record<string, unknown> | undefined;
  if (!q || typeof q !== 'object') return;
  for (const key of FLAGS) {
    const v = q[key];
    const word = typeof v === 'string' ? FLAG_WORDS.get(v.toLowerCase()) : undefined;
    if (word) q[key] = word;
  }
  for (const key of LISTS) {
    const v = q[key];
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) q[key] = v.join(',');
  }
}
