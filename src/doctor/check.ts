/**
 * A doctor check: a name from the list, and a probe that says ok or not, what it saw and
 * how to fix it. Every check runs under its own time limit, so one frozen endpoint costs its
 * row, not the whole report. A check that does not apply (a platform not configured) passes and
 * says so.
 */

export type CheckResult = { ok: boolean; detail: string; fix: string | null };

export type Check = { name: string; run: (signal: AbortSignal) => Promise<CheckResult> };

export type CheckRow = CheckResult & { name: string };

export const pass = (detail: string): CheckResult => ({ ok: true, detail, fix: null });
export const fail = (detail: string, fix: string): CheckResult => ({ ok: false, detail, fix });
export const notApplicable = (why: string): CheckResult => pass(`not checked: ${why}`);

export const DEFAULT_CHECK_TIMEOUT_MS = 10_000;

/** Runs every check at once, each within `timeoutMs`; rows in the checks' order. */
export const runChecks = (checks: readonly Check[], timeoutMs = DEFAULT_CHECK_TIMEOUT_MS): Promise<CheckRow[]> =>
  Promise.all(
    checks.map(async ({ name, run }): Promise<CheckRow> => {
      const controller = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<CheckResult>((resolve) => {
        timer = setTimeout(() => {
          controller.abort(new Error(`no answer within ${timeoutMs} ms`));
          resolve(fail(`no answer within ${timeoutMs / 1000} s`, 'check that the endpoint is reachable from this host (network, firewall, endpoint URL)'));
        }, timeoutMs);
      });
      try {
        const result = await Promise.race([run(controller.signal), late]);
        return { name, ...result };
      } catch (error) {
        return { name, ...fail(`failed: ${(error as Error).message || (error as Error).name}`, 'see the error above') };
      } finally {
        clearTimeout(timer);
      }
    }),
  );

/** The text report: one row per check with ✓/✗, the fix under each ✗. */
export const formatReport = (rows: readonly CheckRow[]): string => {
  const width = Math.max(...rows.map((r) => r.name.length));
  const lines = rows.flatMap((r) => [`${r.ok ? '✓' : '✗'} ${r.name.padEnd(width)}  ${r.detail}`, ...(r.fix ? [`  ${' '.repeat(width)}  fix: ${r.fix}`] : [])]);
  const failed = rows.filter((r) => !r.ok).length;
  return [...lines, '', failed ? `${failed} of ${rows.length} checks failed` : `all ${rows.length} checks passed`].join('\n');
};

export const reportJson = (rows: readonly CheckRow[]) => ({
  ok: rows.every((r) => r.ok),
  checks: rows.map(({ name, ok, detail, fix }) => ({ name, ok, detail, fix })),
});
