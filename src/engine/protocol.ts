/**
 * The typed contract between the Node engine pool and `workers/ffmpeg-worker.mjs`, carried by
 * comlink over `node:worker_threads`. Plain data only; errors are rebuilt on this side as TracksErrors with stable codes (worker-slot.ts).
 */
import type { EngineProgress, RunOutput } from './engine.ts';

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

export type WorkerInput = { name: string; path: string } | { name: string; data: Uint8Array | Blob };

export type WorkerJob = {
  tool: 'ffmpeg' | 'ffprobe' | 'bleed';
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
  /** Resolves once the core module is imported; a worker that cannot load fails here. */
  ready(): Promise<void>;
  /** Progress is posted as plain `{ progress: EngineProgress }` messages on the worker's port while it runs. */
  run(job: WorkerJob): Promise<WorkerResult>;
};
