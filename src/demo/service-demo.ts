/**
 * The service demo: both ingestion flows on embedded defaults (PGlite, local object storage),
 * with the SQS emulator in-process for the Whereby queue. Prints each step.
 *
 * 1. starts the service (HTTP server + job workers),
 * 2. Daily: synthesizes a raw-tracks meeting into the local Daily bucket and sends a signed
 *    `recording.ready-to-download` webhook, then waits for the transcript,
 * 3. Whereby: synthesizes an MP4 into the local Whereby bucket and puts its S3 event on the
 *    queue, then waits for the transcript.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createApiKey } from '../auth/api-keys.ts';
import { loadServiceConfig } from '../config/service-config.ts';
import type { Engine } from '../engine/engine.ts';
import { startService } from '../server/service.ts';
import { formatTimelineTable } from '../timeline/format-table.ts';
import { demoMeeting } from './demo-meeting.ts';
import { writeSyntheticTracks } from './synthetic-meeting.ts';
import { sendDailyWebhook, sendWherebyS3Event } from './demo-deliveries.ts';
import { readTimeline, waitForTranscript } from './demo-results.ts';

type Say = (line: string) => void;

export const runServiceDemo = async (options: { dir: string; minutes: number; engine: Engine; port: number; keepRunning: boolean; say: Say }) => {
  const { say, engine } = options;
  const dir = resolve(options.dir);
  await rm(join(dir, 'data'), { recursive: true, force: true });
  const secret = randomBytes(24).toString('base64');
  // The SQS emulator is a dev dependency: without it (a production install) the Whereby flow is skipped.
  const fauxqs = await import('fauxqs').then((m) => m.startFauxqs({ port: 0, logger: false })).catch(() => null);
  const queue = fauxqs?.createQueue('whereby-recordings');
  const config = loadServiceConfig({
    ...process.env,
    DATA_DIR: join(dir, 'data'),
    PORT: String(options.port),
    HOST: '127.0.0.1',
    DATABASE_URL: '',
    TRANSCRIPT_STORAGE_AWS_ACCESS_KEY_ID: '',
    DAILY_WEBHOOK_SECRET: secret,
    TRACK_FORMAT: 'opus',
    ...(queue ? { AWS_PROCESS_RECORDING_QUEUE_URL: queue.queueUrl, SQS_ENDPOINT_URL: `http://127.0.0.1:${fauxqs!.port}` } : {}),
  });
  const withWords = config.transcription !== null;
  /** "transcript ready" only when words exist: without a transcriber the result is the audio (and its timeline). */
  const ready = (row: { transcriptionStatus: string }) =>
    !withWords
      ? 'audio ready (no transcript: TRANSCRIPTION_API_URL is unset)'
      : row.transcriptionStatus === 'ready'
        ? 'transcript ready'
        : `audio ready; transcription ${row.transcriptionStatus}`;
  /** A link while the service keeps running; else the file in local storage, which outlives it. */
  const where = (transcriptId: string) =>
    options.keepRunning || config.storage.kind !== 'local'
      ? String(new URL(`/v1/transcripts/${transcriptId}/audio`, service.url!))
      : join(config.storage.rootDir, config.storage.buckets.transcripts, transcriptId, 'audio.mp3');
  say(`1. starting the service on embedded defaults: PGlite and local storage under ${config.dataDir}`);
  // The demo's engine, which synthesizes the recordings, processes them too (a second pool would
  // compile the core again), unless ENGINE_WORKERS asks for another size; no webhook warm-up: the
  // demo sends one webhook, not a burst.
  const shared = config.engineWorkers === undefined || config.engineWorkers === engine.concurrency ? engine : undefined;
  const service = await startService(config, { web: true, workers: true, log: () => {}, engine: shared, warmUp: false });
  say(
    options.keepRunning
      ? `   listening on ${service.url}  (GET /healthz, /readyz, /metrics; POST /v1/daily/webhook)`
      : `   listening on port ${new URL(service.url!).port} while the demo runs (GET /healthz, /readyz, /metrics; POST /v1/daily/webhook)`,
  );
  // Every /v1 route needs a credential: the demo makes itself a key, as an operator would with
  // `reflector-tracks api-keys create --name demo --scope admin`.
  const key = await createApiKey(service.db.db, { name: 'demo', scope: 'admin' });
  const api = (path: string) => fetch(new URL(path, service.url!), { headers: { authorization: `Bearer ${key.token}` } });
  say(`   API key "demo" (admin) created; calls send Authorization: Bearer ${key.token}`);
  try {
    // Daily
    const tracks = demoMeeting(options.minutes);
    const prefix = 'acme/demo-standup/';
    const inputs = join(dir, 'inputs');
    await mkdir(inputs, { recursive: true });
    const audioTracks = tracks.filter((t) => t.kind !== 'video-webm').length;
    const videoTracks = tracks.length - audioTracks;
    say(
      `2. Daily: synthesizing a ${options.minutes}-minute raw-tracks meeting (${audioTracks} audio tracks${videoTracks ? ` and ${videoTracks} camera video track${videoTracks > 1 ? 's' : ''}` : ''}) and uploading it to bucket "${service.stores.daily.bucket}"`,
    );
    const paths = await writeSyntheticTracks(engine, tracks, inputs);
    for (const [i, t] of tracks.entries()) await service.stores.daily.put(prefix + t.name, createReadStream(paths[i]!));
    const announced = await sendDailyWebhook(service, tracks, prefix, options.minutes, secret);
    say(`   signed webhook recording.ready-to-download → HTTP ${announced.status}; a job is queued, the worker picks it up`);
    const started = Date.now();
    const daily = await waitForTranscript(service, announced.recordingId, 10 * 60_000, withWords);
    if (daily.status === 'failed') throw new Error(`the Daily recording failed: ${daily.error}`);
    say(`   ${ready(daily)} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${where(daily.transcriptId)}`);
    say(formatTimelineTable(await readTimeline(service, daily.transcriptId)).replace(/^/gm, '   '));
    let left = 0;
    for await (const _ of service.stores.daily.list(prefix)) left++;
    say(`   raw tracks left in the Daily bucket: ${left} (the camera video track; the audio tracks were deleted once the result was stored)`);

    // Whereby
    if (!queue || !fauxqs) {
      say('3. Whereby: skipped (the in-process SQS emulator, a dev dependency, is not installed)');
    } else {
      const key = `demo-sync-6f1c0a5e-4d1b-4a0e-9b1a-0c2f3e4d5a6b-${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}.mp4`;
      say(`3. Whereby: synthesizing an MP4 into bucket "${service.stores.whereby.bucket}" and putting its S3 event on the queue`);
      const [mp4] = await writeSyntheticTracks(engine, [{ name: 'whereby.mp4', kind: 'aac-mp4', startSec: 0, endSec: 30, beepsSec: [5, 20] }], inputs);
      await service.stores.whereby.put(key, createReadStream(mp4!));
      await sendWherebyS3Event(fauxqs.port, queue.queueUrl, service.stores.whereby.bucket, key);
      const whereby = await waitForTranscript(service, `${service.stores.whereby.bucket}/${key}`, 2 * 60_000, withWords);
      if (whereby.status === 'failed') throw new Error(`the Whereby recording failed: ${whereby.error}`);
      say(`   ${ready(whereby)}: ${where(whereby.transcriptId)}`);
    }
    const listed = (await (await api('/v1/meetings')).json()) as { meetings: unknown[] };
    say(
      `   GET /v1/meetings with the key → ${listed.meetings.length} meetings (without it: HTTP ${(await fetch(new URL('/v1/meetings', service.url!))).status})`,
    );
    const { inspectorUrl } = (await (await api(`/v1/recordings/${daily.recordingId}`)).json()) as { inspectorUrl: string };
    const inspector = new URL(inspectorUrl, service.url!);
    const built = (await fetch(inspector)).ok;
    if (options.keepRunning) {
      say(`4. inspector for the Daily recording (a signed link, valid for an hour): ${built ? inspector : 'not built (`npm run build:debugger`)'}`);
      say(`   the service keeps running at ${service.url}; Ctrl+C stops it`);
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    } else {
      // Links to a server that has stopped would not work: files on disk instead, and how to keep it up.
      say(
        `done; the service has stopped. Its data stays under ${config.dataDir}; add --keep-running to keep it serving (API, audio, the inspector) until Ctrl+C, or run \`reflector-tracks serve\` for real`,
      );
    }
  } finally {
    await service.stop();
    await fauxqs?.stop();
  }
};
