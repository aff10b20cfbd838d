/**
 * An engine whose worker pool starts on the first command: a `serve` or `worker` process that is
 * waiting for recordings does not hold ffmpeg cores (a compiled core per worker thread) in
 * memory. Same contract as the engine it wraps; closing before first use starts nothing.
 *
 * `startNow`: the pool starts at once, and commands wait for it — the CLI reads and probes its
 * inputs while the core is read, verified and compiled and the workers start (~0.5–0.9 s on 2
 * cores), instead of one after the other.
 */
import { TracksError } from '../errors.ts';
import type { Engine, EngineInput, RunRequest } from './engine.ts';

export const lazyEngine = (concurrency: number, create: () => Promise<Engine>, options: { startNow?: boolean } = {}): Engine => {
  let started: Promise<Engine> | undefined;
  let closed = false;
  const engine = () => {
    if (closed) return Promise.reject(new TracksError('ENGINE_CLOSED', 'The engine is closed.'));
    // A pool that failed to start is tried again by the next command (the failure went to the caller).
    started ??= create().catch((error: unknown) => {
      started = undefined;
      throw error;
    });
    return started;
  };
  // A failed early start is reported by the first command (and retried by it), not as an unhandled rejection.
  if (options.startNow) engine().catch(() => {});
  return {
    concurrency,
    run: async (request: RunRequest) => (await engine()).run(request),
    probe: async (input: EngineInput, options?: { signal?: AbortSignal; timeoutMs?: number }) => (await engine()).probe(input, options),
    close: async () => {
      closed = true;
      await (await started?.catch(() => undefined))?.close();
    },
  };
};
