/**
 * The Node engine: a pool of worker threads, each hosting the single-thread ffmpeg.wasm core,
 * with a FIFO queue in front. Timeouts and aborts terminate the worker that runs the command and
 * spawn a replacement, so cancelled work stops consuming CPU at once.
 */
import { rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { describeError, TracksError } from '../errors.ts';
import { loadNodeCoreAssets, type NodeCoreAssets } from '../../wasm/node-core-assets.ts';
import type { Engine, EngineInput, FfprobeJson, RunRequest, RunResult } from './engine.ts';
import { parseFfprobeResult, ffprobeArgs } from './ffprobe.ts';
import type { WorkerInit, WorkerJob } from './protocol.ts';
import { WorkerSlot } from './worker-slot.ts';
import { abortError, timeoutError, validateRequestNames } from './requests.ts';

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

type Task = {
  job: WorkerJob;
  request: RunRequest;
  /** Removes the queued task on abort; detached once the task is dispatched. */
  onQueuedAbort?: () => void;
  resolve: (result: RunResult) => void;
  reject: (error: unknown) => void;
};

const DEFAULT_TIMEOUT_MS = 30 * 60_000;

export class NodeEngine implements Engine {
  readonly concurrency: number;
  readonly #init: WorkerInit;
  readonly #timeoutMs: number;
  readonly #workerUrl: URL | undefined;
  readonly #idle: WorkerSlot[] = [];
  readonly #queue: Task[] = [];
  /** Running slots, each with the stop that makes its command fail at once (timeout, abort, close). */
  readonly #running = new Map<WorkerSlot, (error: TracksError) => void>();
  #closed = false;

  private constructor(init: WorkerInit, options: { workers: number; timeoutMs: number; workerUrl?: URL }) {
    this.#init = init;
    this.#workerUrl = options.workerUrl;
    this.concurrency = options.workers;
    this.#timeoutMs = options.timeoutMs;
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
    engine.#idle.push(...slots);
    return engine;
  }

  /** Thread ids of the live workers; a replaced worker gets a new id. */
  get threadIds(): number[] {
    return [...this.#idle, ...this.#running.keys()].map((s) => s.threadId).sort((a, b) => a - b);
  }

  /** Commands waiting for a worker. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Commands running now. */
  get busy(): number {
    return this.#running.size;
  }

  run(request: RunRequest): Promise<RunResult> {
    if (this.#closed) return Promise.reject(new TracksError('ENGINE_CLOSED', 'The engine is closed.'));
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
    return new Promise<RunResult>((resolve, reject) => {
      const task: Task = { job, request, resolve, reject };
      task.onQueuedAbort = () => {
        const index = this.#queue.indexOf(task);
        if (index >= 0) {
          this.#queue.splice(index, 1);
          reject(abortError(request.signal!));
        }
      };
      request.signal?.addEventListener('abort', task.onQueuedAbort, { once: true });
      this.#queue.push(task);
      this.#dispatch();
    });
  }

  async probe(input: EngineInput, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<FfprobeJson> {
    const result = await this.run({ tool: 'ffprobe', args: ffprobeArgs(input.name), inputs: [input], outputs: [{ name: 'probe.json' }], ...options });
    return parseFfprobeResult(input.name, result);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const task of this.#queue.splice(0)) {
      if (task.onQueuedAbort) task.request.signal?.removeEventListener('abort', task.onQueuedAbort);
      task.reject(new TracksError('ENGINE_CLOSED', 'The engine was closed before the command ran.'));
    }
    // Running commands fail with ENGINE_CLOSED (not as crashed workers) once their workers are gone.
    for (const stop of this.#running.values()) stop(new TracksError('ENGINE_CLOSED', 'The engine was closed while the command ran.'));
    const all = [...this.#idle.splice(0), ...this.#running.keys()];
    this.#running.clear();
    await Promise.all(all.map((s) => s.terminate()));
  }

  #spawn(): WorkerSlot {
    return new WorkerSlot(this.#init, { workerUrl: this.#workerUrl });
  }

  #dispatch(): void {
    while (!this.#closed && this.#idle.length > 0 && this.#queue.length > 0) {
      const slot = this.#idle.pop()!;
      const task = this.#queue.shift()!;
      if (task.onQueuedAbort) task.request.signal?.removeEventListener('abort', task.onQueuedAbort);
      void this.#execute(slot, task);
    }
  }

  async #execute(slot: WorkerSlot, task: Task): Promise<void> {
    const { request } = task;
    const timeoutMs = request.timeoutMs ?? this.#timeoutMs;
    let stop: ((error: TracksError) => void) | undefined;
    const stopped = new Promise<never>((_, reject) => (stop = reject));
    this.#running.set(slot, stop!);
    const timer = setTimeout(() => stop!(timeoutError(timeoutMs, task.job.args)), timeoutMs);
    const onAbort = () => stop!(abortError(request.signal!));
    request.signal?.addEventListener('abort', onAbort, { once: true });
    const running = slot.run(task.job, request.onProgress);
    running.catch(() => {}); // after a stop it rejects again when the worker dies; already handled
    let outcome: { ok: true; result: RunResult } | { ok: false; error: unknown };
    try {
      outcome = { ok: true, result: await Promise.race([running, stopped]) };
    } catch (error) {
      outcome = { ok: false, error };
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
    }
    if (!outcome.ok) {
      // Timed out, aborted or crashed: the worker may still be burning CPU, or be dead. It is
      // terminated before the caller hears of it, so a rejection means the work has stopped.
      await slot.terminate();
      // A stopped command leaves no half-written files behind.
      await Promise.all(task.job.outputs.map((o) => (o.path ? rm(o.path, { force: true }) : undefined)));
      if (!this.#closed) this.#idle.push(this.#spawn());
    } else if (!this.#closed) {
      this.#idle.push(slot);
    }
    this.#running.delete(slot);
    if (outcome.ok) task.resolve(outcome.result);
    else task.reject(commandError(outcome.error, task.job));
    this.#dispatch();
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
