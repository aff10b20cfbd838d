/**
 * The slot pool under both engines (src/engine/slot-pool.ts), on plain slots and real timers:
 * FIFO queue, abort while queued, the timeout/abort/close race, a failed command's slot
 * discarded before its caller hears of it. The engines' own tests run it under real wasm workers.
 */
import { describe, expect, it } from 'vitest';
import { SlotPool } from '../../src/engine/slot-pool.ts';

type Slot = { id: number };

/** A command that runs until `finish` is called. */
const deferred = <T>() => {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

const poolOf = (n: number, timeoutMs = 60_000) => {
  const pool = new SlotPool<Slot>({ timeoutMs });
  for (let i = 0; i < n; i++) pool.add({ id: i });
  return pool;
};

describe('SlotPool', () => {
  it('runs one command per slot and the rest in FIFO order', async () => {
    const pool = poolOf(1);
    const order: string[] = [];
    const first = deferred<string>();
    const a = pool.run(
      { args: ['a'] },
      (slot) => {
        order.push(`a@${slot.id}`);
        return first.promise;
      },
      () => {},
    );
    const b = pool.run(
      { args: ['b'] },
      async (slot) => {
        order.push(`b@${slot.id}`);
        return 'b';
      },
      () => {},
    );
    const c = pool.run(
      { args: ['c'] },
      async (slot) => {
        order.push(`c@${slot.id}`);
        return 'c';
      },
      () => {},
    );
    await Promise.resolve();
    expect(pool.busy).toBe(1);
    expect(pool.queued).toBe(2);
    first.resolve('a');
    expect(await Promise.all([a, b, c])).toEqual(['a', 'b', 'c']);
    expect(order).toEqual(['a@0', 'b@0', 'c@0']);
    expect(pool.busy).toBe(0);
    expect(pool.slots).toEqual([{ id: 0 }]);
  });

  it('takes an aborted command out of the queue without touching the running one', async () => {
    const pool = poolOf(1);
    const first = deferred<string>();
    const running = pool.run(
      { args: ['a'] },
      () => first.promise,
      () => {},
    );
    const abort = new AbortController();
    let ran = false;
    const queued = pool.run(
      { args: ['b'], signal: abort.signal },
      async () => {
        ran = true;
      },
      () => {},
    );
    abort.abort(new Error('user left'));
    await expect(queued).rejects.toMatchObject({ code: 'ENGINE_ABORTED', message: expect.stringContaining('user left') });
    expect(pool.queued).toBe(0);
    first.resolve('a');
    expect(await running).toBe('a');
    expect(ran).toBe(false);
  });

  it('stops a running command at its timeout or abort and discards its slot before the caller hears of it', async () => {
    const pool = poolOf(1, 50);
    const events: string[] = [];
    const discard = async (slot: Slot) => {
      events.push(`discard ${slot.id}`);
      pool.add({ id: slot.id + 10 });
    };
    const timedOut = pool.run({ args: ['-i', 'x'] }, () => new Promise<never>(() => {}), discard);
    await expect(timedOut.finally(() => events.push('rejected'))).rejects.toMatchObject({ code: 'ENGINE_TIMEOUT', data: { timeoutMs: 50, args: ['-i', 'x'] } });
    expect(events).toEqual(['discard 0', 'rejected']);
    const abort = new AbortController();
    const aborted = pool.run({ args: [], signal: abort.signal, timeoutMs: 60_000 }, () => new Promise<never>(() => {}), discard);
    setTimeout(() => abort.abort(), 10);
    await expect(aborted).rejects.toMatchObject({ code: 'ENGINE_ABORTED' });
    expect(pool.slots).toEqual([{ id: 20 }]);
  });

  it('discards the slot of a command whose work threw, and keeps that error', async () => {
    const pool = poolOf(1);
    const discarded: Slot[] = [];
    await expect(
      pool.run(
        { args: [] },
        async () => {
          throw new Error('trap');
        },
        (slot) => void discarded.push(slot),
      ),
    ).rejects.toThrow('trap');
    expect(discarded).toEqual([{ id: 0 }]);
    expect(pool.slots).toEqual([]);
  });

  it('close fails queued and running commands with ENGINE_CLOSED and hands back every slot', async () => {
    const pool = poolOf(2);
    const runs = [0, 1, 2].map((i) =>
      pool.run(
        { args: [String(i)] },
        () => new Promise<never>(() => {}),
        () => {},
      ),
    );
    await Promise.resolve();
    const slots = pool.close();
    expect(slots.map((s) => s.id).sort()).toEqual([0, 1]);
    const results = await Promise.allSettled(runs);
    expect(results.map((r) => r.status === 'rejected' && (r.reason as Error).message)).toEqual([
      'The engine was closed while the command ran.',
      'The engine was closed while the command ran.',
      'The engine was closed before the command ran.',
    ]);
    await expect(
      pool.run(
        { args: [] },
        async () => 1,
        () => {},
      ),
    ).rejects.toMatchObject({ code: 'ENGINE_CLOSED', message: 'The engine is closed.' });
    expect(pool.add({ id: 9 })).toBe(false);
    expect(pool.close()).toEqual([]);
  });
});
