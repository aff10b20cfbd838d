/**
 * Every default of the service's settings, once: the settings' zod schemas (src/config/*) and
 * the library options that take the same value when a caller leaves it out (jobs/queue.ts,
 * jobs/worker.ts, server/app.ts) both read it here, so a default cannot differ between the two.
 */
export const DEFAULTS = {
  port: 8080,
  host: '0.0.0.0',
  dataDir: './data',
  maxBodyBytes: 1024 * 1024,
  dailyApiUrl: 'https://api.daily.co/v1',
  dailyPollIntervalSeconds: 60,
  wherebyApiUrl: 'https://api.whereby.dev/v1',
  deleteRawRecordings: 'audio',
  jobConcurrency: 1,
  jobMaxAttempts: 8,
  jobRetryBaseSeconds: 10,
  jobLeaseSeconds: 60,
  jobPollSeconds: 1,
  shutdownGraceSeconds: 25,
  trackFormat: 'opus',
  buckets: { transcripts: 'transcripts', whereby: 'whereby', daily: 'daily' },
  transcriptionModel: 'whisper-1',
  transcriptionConcurrency: 4,
  transcriptionTimeoutSeconds: 300,
  transcriptionMaxRetries: 5,
} as const;
