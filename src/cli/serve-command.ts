/**
 * `reflector-tracks serve` (web + job workers) and `reflector-tracks worker` (workers only, so
 * several machines can share one PostgreSQL and one SQS queue). SIGTERM/SIGINT stop gracefully.
 */
import { loadServiceConfig } from '../config/service-config.ts';
import { jsonLog } from '../log.ts';
import { startService } from '../server/service.ts';
import { parseCommandArgs, type Command } from './command.ts';

const envHelp = `Configuration (environment; unset means the embedded default or the integration is off):
  PORT, HOST                       HTTP server (default 8080, 0.0.0.0)
  DATABASE_URL, DATA_DIR           PostgreSQL, or PGlite under DATA_DIR (./data)
  TRANSCRIPT_STORAGE_AWS_*         S3 credentials, region, endpoint; *_BUCKET_NAME for the three buckets
  AUTH_JWKS_URL, AUTH_ISSUER, AUTH_AUDIENCE  accept OIDC access tokens (JWT) besides API keys
  AUTH_DISABLED                    true: no authentication at all (local development only; warned)
  METRICS_TOKEN                    bearer token for /metrics (unset: loopback clients only)
  MAX_BODY_BYTES                   cap on request bodies (1048576); larger → 413
  DAILY_WEBHOOK_SECRET             base64 HMAC secret of the Daily webhook (POST /v1/daily/webhook), ≥ 16 bytes
  DAILY_API_KEY, DAILY_API_URL     enable the Daily poller; DAILY_POLL_INTERVAL_SECONDS (60)
  WHEREBY_WEBHOOK_SECRET           secret of the Whereby webhook (POST /v1/whereby/webhook), ≥ 16 bytes
  AWS_PROCESS_RECORDING_QUEUE_URL  Whereby S3-event queue; SQS_ENDPOINT_URL for an emulator
  DELETE_RAW_RECORDINGS            audio (default): raw audio tracks go once their outputs are stored;
                                   all: video tracks too; none: keep everything
  WORKER_CONCURRENCY, ENGINE_WORKERS  jobs at once (1), ffmpeg worker threads (cores)
  JOB_MAX_ATTEMPTS, JOB_RETRY_BASE_SECONDS  tries per recording (8), first retry delay, doubling to 5 min (10)
  JOB_LEASE_SECONDS                a dead worker's job is taken over after this (60)
  SHUTDOWN_GRACE_SECONDS           SIGTERM: running jobs finish within this, else are released (25)
  RETENTION_DAYS                   delete transcripts (objects and rows) older than this (unset: keep)
  TRACK_FORMAT                     opus | wav | flac (opus)`;

const run = (web: boolean) => async (argv: string[]) => {
  parseCommandArgs(argv, {});
  const config = loadServiceConfig();
  const log = jsonLog();
  const service = await startService(config, { web, workers: true, log });
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log({ msg: 'shutting down', signal });
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await service.stop();
  log({ msg: 'stopped' });
  return 0;
};

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the HTTP server and the job workers (the service)',
  help: `Usage: reflector-tracks serve\n\nRuns the h3 server (webhooks, API, /healthz, /readyz, /metrics) and the job workers.\n\n${envHelp}`,
  run: run(true),
};

export const workerCommand: Command = {
  name: 'worker',
  summary: 'run job workers only (scale out beside one serve)',
  help: `Usage: reflector-tracks worker\n\nRuns job workers, the Daily poller and the Whereby queue consumer, without the HTTP server.\n\n${envHelp}`,
  run: run(false),
};
