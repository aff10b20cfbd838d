/**
 * One wasm engine per test worker, for the suites that use the engine to make and read media but
 * do not test the engine itself (test/engine/ starts its own, as do the services under test).
 * vitest runs a worker's files one after another in one process (vitest.config.ts: `isolate:
 * false`), so the engine started by the first of them serves the rest instead of each file
 * paying for its own pool (threads started, core instantiated). It ends with its worker process.
 * `close` is refused: a suite that closed it would break the files after it.
 */
import type { Engine } from '../../src/engine/engine.ts';
import { createNodeEngine } from '../../src/engine/node-engine.ts';

let shared: Promise<Engine> | undefined;

export const sharedEngine = (): Promise<Engine> => {
  shared ??= createNodeEngine({ workers: 2 }).then(
    (engine): Engine => ({
      concurrency: engine.concurrency,
      run: (request) => engine.run(request),
      probe: (input, options) => engine.probe(input, options),
      close: () => Promise.reject(new Error('the shared test engine ends with its test worker; a suite that needs to close one starts its own')),
    }),
    (error: unknown) => {
      shared = undefined;
      throw error;
    },
  );
  return shared;
};
