/**
 * Counter-based randomness: every number is a pure function of its keys, so
 * any tick or bar can be computed on its own, in any order, with the same
 * result. No hidden state, no Math.random.
 */

/** A 32-bit integer hash with good avalanche (lowbias32). */
export function mix32(x: number): number {
  x |= 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Hash of up to five integer keys (seed, series, stream, index, sub-index). */
export function hashKeys(seed: number, key: number, stream: number, a: number, b = 0): number {
  let h = mix32(seed ^ 0x9e3779b9);
  h = mix32(h ^ key);
  h = mix32(h ^ Math.imul(stream, 0x85ebca6b));
  h = mix32(h ^ a);
  h = mix32(h ^ Math.imul(b + 0x27d4eb2f, 0x165667b1));
  return h;
}

/** Uniform in (0, 1). */
export function uniform(seed: number, key: number, stream: number, a: number, b = 0): number {
  return (hashKeys(seed, key, stream, a, b) + 0.5) / 4294967296;
}

/** Standard normal (Box-Muller over two independent hashes). */
export function normal(seed: number, key: number, stream: number, a: number, b = 0): number {
  const u1 = uniform(seed, key, stream, a, b);
  const u2 = uniform(seed, key, stream ^ 0x5bd1e995, a, b);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** A stable 32-bit key for a string (FNV-1a, then mixed). */
export function stringKey(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** Folds any number (fractions, beyond 32 bits, negative) into a 32-bit seed. */
export function seedKey(seed: number): number {
  const whole = Math.trunc(seed);
  const lo = whole % 4294967296;
  const hi = Math.floor(whole / 4294967296);
  const frac = Math.round((seed - whole) * 1e9);
  return mix32(mix32(lo ^ 0x1b873593) ^ mix32(hi + 0x2b) ^ frac);
}

/**
 * A keyed sequence for many draws under one key: `streamBase` hashes the keys
 * once, `at(base, i)` mixes in the index (splitmix-style), one mix per number.
 */
export function streamBase(seed: number, key: number, stream: number, a: number): number {
  return hashKeys(seed, key, stream, a, 0x51ed27);
}

export function uniformAt(base: number, i: number): number {
  return (mix32((base + Math.imul(i, 0x9e3779b9)) | 0) + 0.5) / 4294967296;
}

export function normalAt(base: number, i: number): number {
  const u1 = uniformAt(base, 2 * i);
  const u2 = uniformAt(base, 2 * i + 1);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
