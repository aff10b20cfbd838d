/**
 * The slot pool under both engines (node-engine.ts: worker threads; browser-engine.ts:
 * `@ffmpeg/ffmpeg` instances): commands wait in FIFO order for an idle slot, an abort while
 * queued takes the command out of the queue, a running command races its timeout, its abort and
 * the pool's close, and `close()` fails what waits and what runs with `ENGINE_CLOSED`.
 *
 * A command that did not succeed (stopped, or its work threw) hands its slot to `discard` before
 * the caller hears of it — the engine terminates the slot there and adds a replacement — so a
 * rejection means the work has stopped. A slot is never shared: between the queue and the run it
 * is already counted as busy.
 */
import { TracksError } from '../errors.ts';
import { abortError, timeoutError } from './requests.ts';

export type SlotCommand = { args: readonly string[]; signal?: AbortSignal; timeoutMs?: number };

type Waiter<S> = { take: (slot: S) => void; fail: (error: Error) => void };

const noStop = () => {};

export class SlotPool<S> {
  readonly #timeoutMs: number;
  readonly #idle: S[] = [];
  readonly #waiting: Waiter<S>[] = [];
  /** Busy slots, each with the stop that makes its command fail at once (timeout, abort, close). */
  readonly #busy = new Map<S, (error: TracksError) => void>();
  #closed = false;

  constructor(options: { timeoutMs: number }) {
    this.#timeoutMs = options.timeoutMs;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Commands waiting for a slot. */
  get queued(): number {
    return this.#waiting.length;
  }

  /** Commands running now. */
  get busy(): number {
    return this.#busy.size;
  }

  /** Every live slot, idle or busy. */
  get slots(): S[] {
    return [...this.#idle, ...this.#busy.keys()];
  }

  /** A new or replacement slot goes to the first waiting command, else to the idle ones. False once closed: the caller disposes of it. */
  add(slot: S): boolean {
    if (this.#closed) return false;
    const next = this.#waiting.shift();
    if (next) next.take(slot);
    else this.#idle.push(slot);
    return true;
  }

  /** Runs `work` on a slot once one is free; see the header for how it stops and what `discard` gets. */
  async run<T>(command: SlotCommand, work: (slot: S) => Promise<T>, discard: (slot: S) => Promise<void> | void): Promise<T> {
    if (this.#closed) throw new TracksError('ENGINE_CLOSED', 'The engine is closed.');
    const slot = await this.#acquire(command.signal);
    // Closed while this command was handed its slot: close has already taken the slot to terminate.
    if (this.#closed) throw new TracksError('ENGINE_CLOSED', 'The engine was closed before the command ran.');
    const timeoutMs = command.timeoutMs ?? this.#timeoutMs;
    let stop: (error: TracksError) => void = noStop;
    const stopped = new Promise<never>((_, reject) => (stop = reject));
    this.#busy.set(slot, stop);
    const timer = setTimeout(() => stop(timeoutError(timeoutMs, command.args)), timeoutMs);
    const onAbort = () => stop(abortError(command.signal!));
    command.signal?.addEventListener('abort', onAbort, { once: true });
    if (command.signal?.aborted) onAbort();
    const running = work(slot);
    running.catch(() => {}); // after a stop it may reject again when the slot dies; already handled
    let outcome: { ok: true; result: T } | { ok: false; error: unknown };
    try {
      outcome = { ok: true, result: await Promise.race([running, stopped]) };
    } catch (error) {
      outcome = { ok: false, error };
    } finally {
      clearTimeout(timer);
      command.signal?.removeEventListener('abort', onAbort);
    }
    if (!outcome.ok) {
      await discard(slot);
      this.#busy.delete(slot);
      throw outcome.error;
    }
    // After a close the slot was already taken to terminate.
    if (this.#busy.delete(slot)) this.add(slot);
    return outcome.result;
  }

  /** Fails every waiting and running command with ENGINE_CLOSED; returns every slot, for the engine to terminate. */
  close(): S[] {
    if (this.#closed) return [];
    this.#closed = true;
    for (const waiter of this.#waiting.splice(0)) waiter.fail(new TracksError('ENGINE_CLOSED', 'The engine was closed before the command ran.'));
    for (const stop of this.#busy.values()) stop(new TracksError('ENGINE_CLOSED', 'The engine was closed while the command ran.'));
    const all = [...this.#idle.splice(0), ...this.#busy.keys()];
    this.#busy.clear();
    return all;
  }

  #acquire(signal: AbortSignal | undefined): Promise<S> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    if (this.#idle.length > 0) {
      const slot = this.#idle.pop()!;
      this.#busy.set(slot, noStop);
      return Promise.resolve(slot);
    }
    return new Promise<S>((resolve, reject) => {
      const onAbort = () => {
        const i = this.#waiting.indexOf(waiter);
        if (i >= 0) {
          this.#waiting.splice(i, 1);
          reject(abortError(signal!));
        }
      };
      const waiter: Waiter<S> = {
        take: (slot) => {
          signal?.removeEventListener('abort', onAbort);
          this.#busy.set(slot, noStop);
          resolve(slot);
        },
        fail: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      this.#waiting.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
