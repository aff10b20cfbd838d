/**
 * The lazy engine: nothing starts until the first command, a failed start is tried again by the
 * next command, and close keeps the engine contract (ENGINE_CLOSED afterwards).
 */
import { describe, expect, it } from 'vitest';
import type { Engine, RunRequest } from '../../src/engine/engine.ts';
import { lazyEngine } from '../../src/engine/lazy-engine.ts';

const fakeEngine = (log: string[]): Engine => ({
  concurrency: 2,
  run: async (r: RunRequest) => {
    log.push(`run ${r.args.join(' ')}`);
    return { exitCode: 0, outputs: [], log: [], durationMs: 0 };
  },
  probe: async () => ({}),
  close: async () => void log.push('close'),
});

describe('lazy engine', () => {
  it('starts on the first command, retries a failed start, and closes what it started', async () => {
    const log: string[] = [];
    let starts = 0;
    const engine = lazyEngine(2, async () => {
      starts++;
      if (starts === 1) throw new Error('core missing');
      return fakeEngine(log);
    });
    expect(starts).toBe(0);
    await expect(engine.run({ args: ['a'] })).rejects.toThrow('core missing');
    await engine.run({ args: ['b'] });
    await engine.run({ args: ['c'] });
    expect(starts).toBe(2);
    await engine.close();
    expect(log).toEqual(['run b', 'run c', 'close']);
    await expect(engine.run({ args: ['d'] })).rejects.toMatchObject({ code: 'ENGINE_CLOSED' });
  });

  it('closing before any command starts nothing', async () => {
    let starts = 0;
    const engine = lazyEngine(1, async () => {
      starts++;
      return fakeEngine([]);
    });
    await engine.close();
    expect(starts).toBe(0);
  });

  it('with startNow, starts at once, runs commands on the pool once it is up, and closes it unused', async () => {
    const log: string[] = [];
    let starts = 0;
    let up!: () => void;
    const ready = new Promise<void>((resolve) => (up = resolve));
    const engine = lazyEngine(
      2,
      async () => {
        starts++;
        await ready;
        return fakeEngine(log);
      },
      { startNow: true },
    );
    expect(starts).toBe(1);
    const running = engine.run({ args: ['a'] });
    expect(log).toEqual([]);
    up();
    await running;
    expect(starts).toBe(1);
    await engine.close();
    expect(log).toEqual(['run a', 'close']);

    const unused = fakeEngine(log);
    const idle = lazyEngine(1, async () => unused, { startNow: true });
    await idle.close();
    expect(log.at(-1)).toBe('close');
  });

  it('with startNow, a failed start fails the first command with its error, not as an unhandled rejection', async () => {
    const engine = lazyEngine(
      1,
      async () => {
        throw new Error('no core here');
      },
      { startNow: true },
    );
    await expect(engine.run({ args: ['a'] })).rejects.toThrow('no core here');
    await expect(engine.close()).resolves.toBeUndefined();
  });
});
