/**
 * Prometheus metrics (prom-client): webhooks by platform/type/outcome, jobs by state (read from
 * the queue table at scrape time, so every process reports the shared truth), processing
 * seconds and bytes processed.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { jobCounts } from '../jobs/queue.ts';

export type Metrics = ReturnType<typeof createMetrics>;

export const createMetrics = (db: Kysely<Database>) => {
  const registry = new Registry();
  const webhooks = new Counter({
    name: 'reflector_webhooks_total',
    help: 'Webhook deliveries by platform, event type and outcome.',
    labelNames: ['platform', 'type', 'outcome'],
    registers: [registry],
  });
  new Gauge({
    name: 'reflector_jobs',
    help: 'Jobs in the queue by state.',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const counts = await jobCounts(db);
      for (const state of ['queued', 'running', 'succeeded', 'failed']) this.set({ state }, counts[state] ?? 0);
    },
  });
  const processingSeconds = new Histogram({
    name: 'reflector_processing_seconds',
    help: 'Wall time of recording processing jobs.',
    labelNames: ['platform', 'outcome'],
    buckets: [5, 15, 30, 60, 120, 300, 600, 1800],
    registers: [registry],
  });
  const bytesProcessed = new Counter({
    name: 'reflector_bytes_processed_total',
    help: 'Bytes of raw recordings processed.',
    labelNames: ['platform'],
    registers: [registry],
  });
  return { registry, webhooks, processingSeconds, bytesProcessed };
};
