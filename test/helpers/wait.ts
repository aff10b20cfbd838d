/**
 * The one wait the suites share: poll a state until it holds, never sleep for a guessed time.
 */

export type WaitOptions = { timeoutMs?: number; intervalMs?: number };

/**
 * Resolves with the first truthy answer of `check` (a check that throws counts as not yet), or
 * throws after `timeoutMs` (default 120 s, the suites' test timeout) naming `what` and the last
 * error the check threw. Polls every `intervalMs` (default 50).
 */
export const waitUntil = async <T>(
  what: string,
  check: () => T | false | null | undefined | Promise<T | false | null | undefined>,
  options: number | WaitOptions = {},
): Promise<T> => {
  const { timeoutMs = 120_000, intervalMs = 50 } = typeof options === 'number' ? { timeoutMs: options } : options;
  const until = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const value = await Promise.resolve()
      .then(check)
      .catch((error: unknown) => {
        lastError = error;
        return null;
      });
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`, { cause: lastError });
    await new Promise((r) => setTimeout(r, intervalMs));
  }
};
