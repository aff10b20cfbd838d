/**
 * Before the service says ready: synthetic deliveries through the real record path, `connections`
 * per platform at once, each in a transaction that is rolled back (nothing stays). Opens that many
 * pool connections and compiles every function and query builder a delivery uses, so the first
 * real deliveries do not pay for it under load (issue 24: the first 5 s of 500/s had p99 1.3 s).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Log } from '../log.ts';
import type { WebhookPlatform } from './webhook-admission.ts';

export const warmUpWebhooks = async (db: Kysely<Database>, sources: WebhookPlatform[], connections: number, log: Log): Promise<void> => {
  const started = performance.now();
  for (const source of sources) {
    source.authenticate(source.sample(), new Headers());
    await Promise.all(Array.from({ length: connections }, () => rolledBack(db, (tx) => source.record(source.sample(), tx))));
  }
  log({ msg: 'webhooks warmed up', connections, ms: Math.round(performance.now() - started) });
};

/**
 * Runs `work` on a transaction that is always rolled back; a transaction `work` opens itself runs
 * inside it (the handlers open one per delivery).
 */
const rolledBack = async (db: Kysely<Database>, work: (db: Kysely<Database>) => Promise<unknown>) => {
  const trx = await db.startTransaction().execute();
  const nested: Kysely<Database> = new Proxy(trx, {
    get: (target, prop) => {
      if (prop === 'transaction') return () => ({ execute: (fn: (tx: Kysely<Database>) => Promise<unknown>) => fn(nested) });
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as unknown as Kysely<Database>;
  try {
    await work(nested);
  } finally {
    await trx.rollback().execute();
  }
};
