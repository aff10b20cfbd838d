/**
 * The running service: database (migrated on start), stores, and — as configured — the HTTP
 * server, the job workers with the wasm engine, the Daily poller and the Whereby SQS consumer.
 * The port is bound before any worker starts: a service that cannot listen exits non-zero
 * instead of running headless.
 * `stop()` shuts down gracefully: no new requests, polls or claims; running jobs finish (or
 * their leases lapse and another worker takes them over).
 */
import { join } from 'node:path';
import { serve } from 'h3';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { createAuthenticator, operatorAuthenticator } from '../auth/authenticate.ts';
import { createOidcVerifier } from '../auth/oidc.ts';
import { secretFromFile } from '../storage/secret-file.ts';
import { tightenDataDir } from '../storage/private-dir.ts';
import { ADMIN_SOCKET_NAME, assertNoOtherService, listenAdminSocket } from './admin-socket.ts';
import { assertPortFree, listenFailed } from './listen-checks.ts';
import { ensureInspectorBuilt } from './build-inspector.ts';
import { DEBUGGER_DIST } from './debugger-routes.ts';
import type { ServiceConfig } from '../config/service-config.ts';
import { connectDatabase, type DatabaseHandle } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { availableParallelism } from 'node:os';
import type { Engine } from '../engine/engine.ts';
import { lazyEngine } from '../engine/lazy-engine.ts';
import { loadNodeCoreAssets } from '../../wasm/node-core-assets.ts';
import { createNodeEngine } from '../engine/node-engine.ts';
import { startJobWorker } from '../jobs/worker.ts';
import { startDailyPoller } from '../platforms/daily/poller.ts';
import { startSqsConsumer } from '../platforms/whereby/sqs-consumer.ts';
import { removeDeadWorkDirs } from '../jobs/work-dirs.ts';
import { recordingJobKinds } from '../processing/job-kinds.ts';
import { startRetention } from '../recordings/retention.ts';
import { openStores, type Stores } from '../storage/open-stores.ts';
import { createApp, type AppDeps } from './app.ts';
import { meetingPlatforms, wherebyQueueClient } from './integrations.ts';
import { createMetrics } from './metrics.ts';
import type { Log } from '../log.ts';

export type Service = { url: string | null; db: DatabaseHandle; stores: Stores; stop(): Promise<void> };

/**
 * `debuggerDist`: where the built inspector is (default web-debugger/dist; the browser tests serve their own build).
 * `engine`: an engine the caller owns and closes (the demo shares the one it synthesizes with); else the service starts its own.
 * `warmUp: false`: no synthetic webhook deliveries before ready (the demo, which sends one webhook and stops).
 */
export const startService = async (
  config: ServiceConfig,
  options: { web: boolean; workers: boolean; log: Log; debuggerDist?: string; engine?: Engine; warmUp?: boolean },
): Promise<Service> => {
  const { log } = options;
  const adminSocket = join(config.dataDir, ADMIN_SOCKET_NAME);
  // A second process on the embedded database of a running one would open that database beside
  // it: refused before anything under DATA_DIR is touched (listenAdminSocket checks again, for a race).
  if (!config.databaseUrl) await assertNoOtherService(adminSocket);
  if (options.web) await assertPortFree(config);
  // Folders of ours an earlier version left open to other users are closed before anything reads them.
  await tightenDataDir(config.dataDir, log);
  const handle = await connectDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    onConnectionError: (error) => log({ level: 'warn', msg: 'database connection lost; the pool reconnects', error: error.message }),
  });
  const applied = await migrateToLatest(handle.db);
  log({ msg: 'database ready', kind: handle.kind, location: handle.location, migrationsApplied: applied });
  const { stores, localSigningKey } = await openStores(config.storage);
  const metrics = createMetrics(handle.db);
  const stops: Array<{ name: string; stop: () => Promise<void> }> = [];
  let engine: Engine | undefined;

  const sqs = wherebyQueueClient(config);

  const linkSigningKey = config.urlSigningSecret ?? localSigningKey ?? (await secretFromFile(join(config.dataDir, '.link-signing-key')));
  if (config.auth.disabled)
    log({ level: 'warn', msg: 'AUTH_DISABLED=true: every request is treated as an admin. Never run this way where anyone else can reach the port.' });
  const platforms = meetingPlatforms(config, stores);
  const appDeps: AppDeps = {
    db: handle.db,
    stores,
    localSigningKey,
    linkSigningKey,
    platforms,
    metrics,
    jobMaxAttempts: config.jobMaxAttempts,
    transcription: config.transcription !== null,
    auth: config.auth.disabled
      ? operatorAuthenticator('AUTH_DISABLED')
      : createAuthenticator({ db: handle.db, oidc: config.auth.oidc && createOidcVerifier(config.auth.oidc) }),
    metricsToken: config.metricsToken,
    maxBodyBytes: config.maxBodyBytes,
    readinessChecks: [
      ...Object.values(stores).map((store) => () => store.checkBucket().then(() => null)),
      ...(sqs
        ? [
            () =>
              sqs.send(new GetQueueAttributesCommand({ QueueUrl: config.whereby.queueUrl, AttributeNames: ['QueueArn'] })).then(
                () => null,
                (e: Error) => `queue ${config.whereby.queueUrl}: ${e.message || e.name}`,
              ),
          ]
        : []),
    ],
    daily: { webhookSecretBase64: config.daily.webhookSecret, bucket: stores.daily.bucket },
    whereby: { webhookSecret: config.whereby.webhookSecret },
    log,
  };
  const fail = async (error: unknown) => {
    for (const part of stops) await part.stop().catch(() => {});
    await handle.close().catch(() => {});
    throw error;
  };

  // The embedded database is this process's alone: the operator reaches it through the admin socket.
  if (handle.kind === 'pglite') {
    const admin = await listenAdminSocket(adminSocket, createApp({ ...appDeps, auth: operatorAuthenticator('admin socket') })).catch(fail);
    stops.push({ name: 'admin socket', stop: () => admin.close() });
  }

  // The ffmpeg.wasm core is verified and compiled before the HTTP side warms up and says ready, so
  // that work (hashing 32 MB, compiling) never lands on the first seconds of traffic; a missing or
  // altered core stops the start. The worker pool itself starts with the first job, so an idle
  // service holds no running ffmpeg cores.
  const coreAssets = options.workers && !options.engine ? await loadNodeCoreAssets().catch(fail) : undefined;

  let url: string | null = null;
  if (options.web) {
    const debuggerDist = options.debuggerDist ?? DEBUGGER_DIST;
    await ensureInspectorBuilt(debuggerDist, log);
    let warmed = () => {};
    const warm = options.warmUp === false ? Promise.resolve() : new Promise<void>((resolve) => (warmed = resolve));
    const warmUp = options.warmUp === false ? undefined : { connections: handle.poolSize, done: warmed };
    const server = serve(createApp({ ...appDeps, debuggerDist, warmUp }), {
      port: config.port,
      hostname: config.host,
      silent: true,
      // The service stops itself on SIGTERM (serve-command.ts: stop()). srvx's own handler would
      // also close the server on the signal and hold the process a second after the stop (its
      // 1 s countdown timer), and it is skipped only when CI or TEST is set.
      gracefulShutdown: false,
    });
    await server.ready().catch((error: NodeJS.ErrnoException) => fail(listenFailed(config, error)));
    url = server.url ?? `http://${config.host}:${config.port}/`;
    // Links follow the port actually bound (PORT=0 included) unless PUBLIC_URL says otherwise.
    config.boundUrl.current = url;
    // Pool connections open and the delivery path compiled before the service says started (and /readyz ready).
    await warm;
    stops.unshift({ name: 'http server', stop: () => server.close(true) });
  }

  if (options.workers) {
    const assets = coreAssets;
    if (!options.engine)
      engine = lazyEngine(config.engineWorkers ?? availableParallelism(), () => createNodeEngine({ workers: config.engineWorkers, assets: assets! }));
    const jobEngine = options.engine ?? engine!;
    const workDir = join(config.dataDir, 'work');
    const removed = await removeDeadWorkDirs(workDir);
    if (removed.length) log({ msg: 'removed work folders of dead runs', folders: removed });
    const deps = {
      db: handle.db,
      stores,
      engine: jobEngine,
      workDir,
      trackFormat: config.trackFormat,
      reencode: config.trackReencode,
      bleedGate: config.mixdownBleedGate,
      deleteRawRecordings: config.deleteRawRecordings,
      // The `openai` package (~250 ms to import) loads only when a transcriber is configured.
      transcriber: config.transcription && (await import('../transcription/transcriber.ts')).createTranscriber(config.transcription),
      transcribe: config.transcription ? { maxAttempts: config.jobMaxAttempts } : undefined,
      log,
    };
    const worker = startJobWorker({
      db: handle.db,
      concurrency: config.jobConcurrency,
      leaseMs: config.jobLeaseMs,
      pollMs: config.jobPollMs,
      retry: { baseDelayMs: config.jobRetryBaseMs, maxDelayMs: Math.max(config.jobRetryBaseMs, 5 * 60_000) },
      handlers: recordingJobKinds(deps, (platform) => {
        const end = metrics.processingSeconds.startTimer({ platform });
        return {
          done: (outcome, bytesIn) => {
            end({ outcome });
            if (bytesIn) metrics.bytesProcessed.inc({ platform }, bytesIn);
          },
        };
      }),
      onEvent: (e) =>
        log({
          msg: `job ${e.type}`,
          jobId: e.job.id,
          kind: e.job.kind,
          attempt: e.job.attempts,
          error: e.error,
          durationMs: e.durationMs && Math.round(e.durationMs),
        }),
    });
    stops.push({ name: 'job worker', stop: () => worker.stop({ graceMs: config.shutdownGraceMs }) });
    if (config.retentionDays) {
      const retention = startRetention({ db: handle.db, stores, retentionDays: config.retentionDays, log });
      stops.unshift({ name: 'retention', stop: () => retention.stop() });
    }
    if (config.daily.apiKey) {
      const poller = startDailyPoller({
        db: handle.db,
        api: { apiUrl: config.daily.apiUrl, apiKey: config.daily.apiKey },
        bucket: stores.daily.bucket,
        maxAttempts: config.jobMaxAttempts,
        intervalSec: config.daily.pollIntervalSec,
        log,
      });
      stops.unshift({ name: 'daily poller', stop: () => poller.stop() });
    }
    if (sqs && config.whereby.queueUrl) {
      const consumer = startSqsConsumer({
        db: handle.db,
        sqs,
        queueUrl: config.whereby.queueUrl,
        wherebyBucket: stores.whereby.bucket,
        maxAttempts: config.jobMaxAttempts,
        log,
      });
      stops.unshift({ name: 'sqs consumer', stop: () => consumer.stop() });
    }
  }

  log({
    msg: 'service started',
    url,
    web: options.web,
    workers: options.workers,
    storage: config.storage.kind,
    dailyWebhook: Boolean(config.daily.webhookSecret),
    dailyPoller: Boolean(options.workers && config.daily.apiKey),
    wherebyQueue: Boolean(options.workers && config.whereby.queueUrl),
  });

  return {
    url,
    db: handle,
    stores,
    stop: async () => {
      for (const part of stops) {
        await part.stop();
        log({ msg: 'stopped', part: part.name });
      }
      await engine?.close();
      await handle.close();
    },
  };
};
