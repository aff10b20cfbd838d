/**
 * The Node engine: a pool of worker threads (slot-pool.ts), each hosting the single-thread
 * ffmpeg.wasm core. Timeouts and aborts terminate the worker that runs the command and spawn a
 * replacement, so cancelled work stops consuming CPU at once.
 */
import { rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { describeError, TracksError } from '../errors.ts';
import { loadNodeCoreAssets, type NodeCoreAssets } from '../../wasm/node-core-assets.ts';
import type { Engine, EngineInput, FfprobeJson, RunRequest, RunResult } from './engine.ts';
import { parseFfprobeResult, ffprobeArgs } from './ffprobe.ts';
import type { WorkerInit, WorkerJob } from './protocol.ts';
import { WorkerSlot } from './worker-slot.ts';
import { abortError, validateRequestNames } from './requests.ts';
import { SlotPool } from './slot-pool.ts';

export type NodeEngineOptions = {
  /** Worker threads; default: the cores available to this process. */
  workers?: number;
  /** Per-command timeout; default 30 minutes. A request may set its own. */
  timeoutMs?: number;
  /** Log lines kept per command (head and tail); default 400. */
  maxLogLines?: number;
  /** Pre-loaded core assets (tests, or several engines in one process). */
  assets?: NodeCoreAssets;
  /** Another worker script speaking the same protocol (tests use one that can crash on demand). */
  workerUrl?: URL;
};

const DEFAULT_TIMEOUT_MS = 30 * 60_000;

export class NodeEngine implements Engine {
  readonly concurrency: number;
  readonly #init: WorkerInit;
  readonly #workerUrl: URL | undefined;
  readonly #pool: SlotPool<WorkerSlot>;

  private constructor(init: WorkerInit, options: { workers: number; timeoutMs: number; workerUrl?: URL }) {
    this.#init = init;
    this.#workerUrl = options.workerUrl;
    this.concurrency = options.workers;
    this.#pool = new SlotPool({ timeoutMs: options.timeoutMs });
  }

  /** Verifies and compiles the core, then starts `workers` threads and waits until each has loaded it. */
  static async create(options: NodeEngineOptions = {}): Promise<NodeEngine> {
    const workers = options.workers ?? availableParallelism();
    if (!Number.isInteger(workers) || workers < 1) throw new TypeError(`options.workers must be a positive integer, got ${workers}`);
    const assets = options.assets ?? (await loadNodeCoreAssets());
    const init: WorkerInit = { coreJsUrl: assets.coreJsUrl, wasmModule: assets.wasmModule, maxLogLines: options.maxLogLines ?? 400 };
    const engine = new NodeEngine(init, { workers, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, workerUrl: options.workerUrl });
    const slots = Array.from({ length: workers }, () => engine.#spawn());
    try {
      await Promise.all(slots.map((s) => s.ready()));
    } catch (error) {
      await Promise.all(slots.map((s) => s.terminate()));
      throw error;
    }
    for (const slot of slots) engine.#pool.add(slot);
    return engine;
  }

  /** Thread ids of the live workers; a replaced worker gets a new id. */
  get threadIds(): number[] {
    return this.#pool.slots.map((s) => s.threadId).sort((a, b) => a - b);
  }

  /** Commands waiting for a worker. */
  get queued(): number {
    return this.#pool.queued;
  }

  /** Commands running now. */
  get busy(): number {
    return this.#pool.busy;
  }

  run(request: RunRequest): Promise<RunResult> {
    if (this.#pool.closed) return Promise.reject(new TracksError('ENGINE_CLOSED', 'The engine is closed.'));
    if (request.signal?.aborted) return Promise.reject(abortError(request.signal));
    const job: WorkerJob = {
      tool: request.tool ?? 'ffmpeg',
      args: [...request.args],
      inputs: (request.inputs ?? []).map((i) => ({ ...i })),
      outputs: (request.outputs ?? []).map((o) => ({ ...o })),
    };
    try {
      validateRequestNames(job);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#pool
      .run(
        { args: job.args, signal: request.signal, timeoutMs: request.timeoutMs },
        (slot) => slot.run(job, request.onProgress),
        // Timed out, aborted or crashed: the worker may still be burning CPU, or be dead. It is
        // terminated before the caller hears of it, and a stopped command leaves no half-written files behind.
        async (slot) => {
          await slot.terminate();
          await Promise.all(job.outputs.map((o) => (o.path ? rm(o.path, { force: true }) : undefined)));
          if (!this.#pool.closed) this.#pool.add(this.#spawn());
        },
      )
      .catch((error: unknown) => {
        throw commandError(error, job);
      });
  }

  async probe(input: EngineInput, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<FfprobeJson> {
    const result = await this.run({ tool: 'ffprobe', args: ffprobeArgs(input.name), inputs: [input], outputs: [{ name: 'probe.json' }], ...options });
    return parseFfprobeResult(input.name, result);
  }

  /** Queued commands fail with ENGINE_CLOSED, running ones too (not as crashed workers) once their workers are gone. */
  async close(): Promise<void> {
    await Promise.all(this.#pool.close().map((s) => s.terminate()));
  }

  #spawn(): WorkerSlot {
    return new WorkerSlot(this.#init, { workerUrl: this.#workerUrl });
  }
}

/**
 * What a command threw inside its worker arrives as a plain Error (comlink carries name and
 * message, not `code`): a trap in the core ("memory access out of bounds": @ffmpeg/core 0.12.10's
 * libopus decoder does it on test/fixtures/libopus-trap.webm), an input that cannot be opened.
 * It gets the stable code here; stops and crashes already have theirs.
 */
const commandError = (error: unknown, job: WorkerJob): unknown =>
  TracksError.isError(error)
    ? error
    : new TracksError('ENGINE_COMMAND_FAILED', `ffmpeg command failed in its worker (${describeError(error)}); the worker has been replaced.`, {
        cause: error,
        data: { args: job.args.slice(0, 40) },
      });

/** Starts a Node engine; see `NodeEngineOptions`. */
export const createNodeEngine = (options: NodeEngineOptions = {}): Promise<NodeEngine> => NodeEngine.create(options);
