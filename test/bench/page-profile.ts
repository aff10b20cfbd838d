/**
 * Where a page's time goes, for the benches: the V8 CPU profile of the page (Chrome DevTools
 * Protocol `Profiler`, chromedevtools.github.io/devtools-protocol/tot/Profiler/) summed by self
 * time per function, and its resource timings (fetches and scripts: start → end, from navigation).
 */
import type { CDPSession, Page } from 'playwright-core';

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

/** Starts sampling the page's main thread every 100 µs; `stop()` gives the top functions by self time. */
export const startProfile = async (page: Page) => {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  return {
    stop: async (top = 12): Promise<string[]> => {
      const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
      await cdp.detach();
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      const selfMs = new Map<string, number>();
      profile.samples.forEach((id, i) => {
        const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
        const name = `${functionName || '(anonymous)'} ${url ? `${url.slice(url.lastIndexOf('/') + 1)}:${lineNumber + 1}` : ''}`.trim();
        selfMs.set(name, (selfMs.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
      });
      const total = [...selfMs.values()].reduce((a, b) => a + b, 0);
      const busy = total - (selfMs.get('(idle)') ?? 0) - (selfMs.get('(program)') ?? 0);
      return [
        `main thread: ${Math.round(total)} ms profiled, ${Math.round(busy)} ms in JavaScript and its builtins, (program) ${Math.round(selfMs.get('(program)') ?? 0)} ms, (idle) ${Math.round(selfMs.get('(idle)') ?? 0)} ms`,
        ...[...selfMs]
          .filter(([name]) => name !== '(idle)')
          .sort((a, b) => b[1] - a[1])
          .slice(0, top)
          .map(([name, ms]) => `  ${ms.toFixed(1).padStart(8)} ms  ${name}`),
      ];
    },
  };
};

/** The page's requests in order, with when each started and ended (ms from navigation start). */
export const resourceTimings = (page: Page): Promise<string[]> =>
  page.evaluate(() =>
    performance.getEntriesByType('resource').map((entry) => {
      const e = entry as PerformanceResourceTiming;
      const path = new URL(e.name).pathname;
      return `  ${Math.round(e.startTime).toString().padStart(6)} → ${Math.round(e.responseEnd).toString().padStart(6)} ms  ${(e.encodedBodySize / 1e6).toFixed(2)} MB  ${path.length > 60 ? `…${path.slice(-59)}` : path}`;
    }),
  );
