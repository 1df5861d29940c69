/**
 * The one way tests wait: for a condition, polled until it holds or a time
 * limit passes. A fixed pause is only for proving that something does NOT
 * happen within a time, and says so by its name.
 */

/**
 * Resolves with what `check` returns once that is neither undefined nor false
 * (polled every `everyMs`, default 10 ms); rejects after `timeoutMs` naming
 * `what`, or at once when `check` throws.
 */
export function waitUntil<T>(what: string, check: () => T | undefined | false, timeoutMs = 10_000, everyMs = 10): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const started = Date.now();
    const poll = (): void => {
      let v: T | undefined | false;
      try {
        v = check();
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
        return;
      }
      if (v !== undefined && v !== false) {
        resolve(v);
        return;
      }
      if (Date.now() - started > timeoutMs) {
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
        return;
      }
      setTimeout(poll, everyMs);
    };
    poll();
  });
}

/**
 * A real pause of `ms`, for a test that proves something does NOT arrive
 * (nothing to wait for) or lets in-flight socket data land. Never use it to
 * wait for something that will happen: use waitUntil.
 */
export function quietFor(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
