/**
 * The typed contract between the Node engine pool and `workers/ffmpeg-worker.mjs`, carried by
 * comlink over `node:worker_threads`. Plain data only; errors are rebuilt on this side as TracksErrors with stable codes (worker-slot.ts).
 */
import type { EngineInput, EngineOutput, EngineProgress, RunRequest, RunResult } from './engine.ts';

/** Messages the worker posts beside comlink's (which ignores them: they carry no `id`). */
export type WorkerNotice = { progress?: EngineProgress };

/** Passed as `workerData` when a worker is spawned. */
export type WorkerInit = {
  /** file: URL of the core's ESM glue (`ffmpeg-core.js`). */
  coreJsUrl: string;
  /** The verified wasm, compiled once in the main thread and shared by every worker. */
  wasmModule: WebAssembly.Module;
  /** Keep at most this many log lines (head and tail) per command. */
  maxLogLines: number;
};

/**
 * One command as the worker runs it: the engine's request (engine.ts) with the tool chosen and
 * plain data only (no signal, callbacks or timeout: those stay on this side, slot-pool.ts).
 */
export type WorkerJob = {
  tool: NonNullable<RunRequest['tool']>;
  args: string[];
  inputs: EngineInput[];
  outputs: EngineOutput[];
};

/** What the worker answers: the engine's result, as is. */
export type WorkerResult = RunResult;

export type WorkerApi = {
  /** Resolves once the core module is imported; a worker that cannot load fails here. */
  ready(): Promise<void>;
  /** Progress is posted as plain `{ progress: EngineProgress }` messages on the worker's port while it runs. */
  run(job: WorkerJob): Promise<WorkerResult>;
};
