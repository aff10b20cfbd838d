/**
 * The typed contract between the Node engine pool and `workers/ffmpeg-worker.mjs`, carried by
 * comlink over `node:worker_threads`. Plain data only; errors are rebuilt on this side as TracksErrors with stable codes (worker-slot.ts).
 */
import type { EngineProgress, RunOutput } from './engine.ts';

/** Messages the worker posts beside comlink's (which ignores them: they carry no `id`). */
export type WorkerNotice = { progress?: EngineProgress };

/**
 * Passed as `workerData` when a worker is spawned. The compiled core follows through `ready()`, so
 * a pool's threads boot (isolate, modules, the core's glue) while the main thread still reads,
 * verifies and compiles the wasm.
 */
export type WorkerInit = {
  /** file: URL of the core's ESM glue (`ffmpeg-core.js`). */
  coreJsUrl: string;
  /** Keep at most this many log lines (head and tail) per command. */
  maxLogLines: number;
};

export type WorkerInput = { name: string; path: string } | { name: string; data: Uint8Array | Blob };

export type WorkerJob = {
  tool: 'ffmpeg' | 'ffprobe';
  args: string[];
  inputs: WorkerInput[];
  outputs: Array<{ name: string; path?: string; analyze?: 'speech' | 'speech-wav' }>;
};

export type WorkerResult = {
  exitCode: number;
  outputs: RunOutput[];
  log: string[];
  durationMs: number;
};

export type WorkerApi = {
  /**
   * Hands the worker the verified wasm, compiled once in the main thread and shared by every worker;
   * resolves once the core is instantiated with it. A worker that cannot load fails here. Commands
   * sent after it wait for it.
   */
  ready(wasmModule: WebAssembly.Module): Promise<void>;
  /** Progress is posted as plain `{ progress: EngineProgress }` messages on the worker's port while it runs. */
  run(job: WorkerJob): Promise<WorkerResult>;
};
