/**
 * The deferred engine (the CLI probes while the pool starts): commands wait for the pool and run
 * on it; a pool that fails to start fails every command with its own error; close waits for the
 * start and closes the pool.
 */
import { describe, expect, it } from 'vitest';
import { deferredEngine } from '../../src/engine/deferred-engine.ts';
import { createNodeEngine } from '../../src/engine/node-engine.ts';
import { TracksError } from '../../src/errors.ts';

describe('deferred engine', () => {
  it('runs a command once the pool is up, then closes it', async () => {
    let started = false;
    const starting = createNodeEngine({ workers: 1 }).then((engine) => {
      started = true;
      return engine;
    });
    const engine = deferredEngine(starting, 1);
    expect(started).toBe(false);
    const result = await engine.run({
      args: ['-loglevel', 'error', '-f', 'lavfi', '-i', 'anullsrc=d=0.2', '-c:a', 'pcm_s16le', '-f', 'wav', 'o.wav'],
      outputs: [{ name: 'o.wav' }],
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs[0]!.sizeBytes).toBeGreaterThan(44);
    await engine.close();
    await expect((await starting).run({ args: ['-version'] })).rejects.toMatchObject({ code: 'ENGINE_CLOSED' });
  });

  it('fails every command with the start-up error, and closes without throwing', async () => {
    const failure = new TracksError('ENGINE_ASSET_MISSING', 'no core here');
    const engine = deferredEngine(Promise.reject(failure), 2);
    expect(engine.concurrency).toBe(2);
    await expect(engine.run({ args: ['-version'] })).rejects.toBe(failure);
    await expect(engine.probe({ name: 'x', data: new Uint8Array(1) })).rejects.toBe(failure);
    await expect(engine.close()).resolves.toBeUndefined();
  });
});
