/**
 * PUBLIC_URL unset: presigned local-storage links follow the port the server actually bound
 * (PORT=0 included), not a default port nobody listens on. Real service on PGlite.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadServiceConfig } from '../../src/config/service-config.ts';
import { startService, type Service } from '../../src/server/service.ts';
import { seedEmptyPglite } from '../helpers/databases.ts';

let dir: string | undefined;
let service: Service | undefined;
afterAll(async () => {
  await service?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('PUBLIC_URL', () => {
  it('follows the bound port when unset (PORT=0)', async () => {
    dir = await mkdtemp(join(tmpdir(), 'rt-public-url-'));
    // The embedded database exists (empty, not migrated): PGlite's initdb is not what is tested here.
    await seedEmptyPglite(dir);
    const config = loadServiceConfig({ DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1' });
    expect(config.publicUrl).toBeNull();
    service = await startService(config, { web: true, workers: false, log: () => {} });
    const port = new URL(service.url!).port;
    expect(port).not.toBe('0');
    const link = new URL(await service.stores.transcripts.presignGet('t/audio.mp3', 60));
    expect(link.host).toBe(`127.0.0.1:${port}`);
    // The link works: the object is absent, so the server that signed it answers 404, not a refused connection.
    expect((await fetch(link)).status).toBe(404);
  });

  it('is used as set', () => {
    const config = loadServiceConfig({ PUBLIC_URL: 'https://tracks.example' });
    expect(config.publicUrl).toBe('https://tracks.example');
    expect(config.storage).toMatchObject({ kind: 'local', publicUrl: 'https://tracks.example' });
  });
});
