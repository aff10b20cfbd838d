/**
 * One `node:worker_threads` worker hosting the wasm core, driven over comlink. A slot runs one
 * command at a time; stopping a command means terminating the worker (the wasm runs synchronously,
 * nothing short of that interrupts it), after which the pool spawns a new slot.
 */
import { Worker } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { TracksError } from '../errors.ts';
import type { EngineProgress } from './engine.ts';
import type { WorkerApi, WorkerInit, WorkerJob, WorkerNotice, WorkerResult } from './protocol.ts';

const defaultWorkerUrl = new URL('../../workers/ffmpeg-worker.mjs', import.meta.url);

export class WorkerSlot {
  readonly #worker: Worker;
  readonly #api: Comlink.Remote<WorkerApi>;
  /** Rejects when the worker dies (crash, OOM, terminate); never resolves. */
  readonly #died: Promise<never>;
  #terminating = false;
  #onProgress: ((progress: EngineProgress) => void) | undefined;

  constructor(init: WorkerInit, options: { workerUrl?: URL } = {}) {
    this.#worker = new Worker(options.workerUrl ?? defaultWorkerUrl, {
      workerData: init,
      // Workers start with a plain Node: no TypeScript loader or test-runner flags needed.
      execArgv: [],
    });
    this.#api = Comlink.wrap<WorkerApi>(nodeEndpoint(this.#worker as never));
    this.#worker.on('message', (message: WorkerNotice) => {
      if (message?.progress) this.#onProgress?.(message.progress);
    });
    this.#died = new Promise<never>((_, reject) => {
      let lastError: Error | undefined;
      this.#worker.on('error', (error) => {
        lastError = error;
      });
      this.#worker.once('exit', (code) => {
        const reason = lastError ? `${lastError.name}: ${lastError.message}` : `exit code ${code}`;
        reject(
          new TracksError('ENGINE_WORKER_CRASHED', `ffmpeg worker died (${reason}); it has been replaced.`, {
            data: { exitCode: code, errorCode: (lastError as { code?: string } | undefined)?.code },
          }),
        );
      });
    });
    this.#died.catch(() => {}); // observed through run(); never an unhandled rejection
  }

  get threadId(): number {
    return this.#worker.threadId;
  }

  async ready(): Promise<void> {
    await Promise.race([this.#api.ready(), this.#died]);
  }

  run(job: WorkerJob, onProgress?: (progress: EngineProgress) => void): Promise<WorkerResult> {
    this.#onProgress = onProgress;
    // Input bytes are transferred, not copied, to the worker.
    const transfer = job.inputs.flatMap((i) => ('data' in i && ArrayBuffer.isView(i.data) ? [i.data.buffer as ArrayBuffer] : []));
    const call = this.#api.run(Comlink.transfer(job, transfer)) as Promise<WorkerResult>;
    return Promise.race([call, this.#died]).finally(() => {
      this.#onProgress = undefined;
    });
  }

  /** Stops whatever runs, for real. Resolves once the thread is gone. */
  async terminate(): Promise<void> {
    if (this.#terminating) return;
    this.#terminating = true;
    this.#api[Comlink.releaseProxy]();
    // Node closes the descriptors a worker opened with fs.open when it exits (trackUnmanagedFds,
    // on by default), so a terminated command leaks none; the engine tests check it.
    await this.#worker.terminate();
  }
}
