/**
 * Run by private-data-dir.test.ts in its own process, under umask 022 (the usual default that
 * makes files 0644): the service on its embedded defaults (PGlite, local storage) under the
 * DATA_DIR given, storing objects as the processing job does and the link key as S3 deployments
 * do; its log lines on stdout.
 */
import { join } from 'node:path';
import { loadServiceConfig } from '../../src/config/service-config.ts';
import { startService } from '../../src/server/service.ts';
import { secretFromFile } from '../../src/storage/secret-file.ts';

process.umask(0o022);
const dataDir = process.argv[2]!;
const log = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);
const service = await startService(loadServiceConfig({ DATA_DIR: dataDir, PORT: '0' }), { web: false, workers: false, log });
await service.stores.transcripts.put('t1/audio.mp3', new Uint8Array([1, 2, 3]));
await service.stores.transcripts.put('t1/tracks/a.webm', new Uint8Array([4]));
await secretFromFile(join(dataDir, '.link-signing-key'));
await service.stop();
