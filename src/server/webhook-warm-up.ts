/**
 * Before the service says ready: synthetic deliveries through the real record path, `connections`
 * per platform at once, each in a transaction that is rolled back (nothing stays). Opens that many
 * pool connections, prepares the statements on each, and runs every common kind of delivery
 * (`sample(round)` rotates them) for enough rounds that V8 has optimised the path, so the first
 * real deliveries do not pay for it under load (issue 24: the first 5 s of 500/s had p99 1.3 s;
 * with one round per connection the first window was still the slowest). V8 optimises a function
 * after it has run hot for a while, not after a fixed count (v8.dev/blog/maglev), hence rounds
 * bounded by both a count and a time budget.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Log } from '../log.ts';
import type { WebhookPlatform } from './webhook-admission.ts';

/** Time the warm-up may take in all, at most (a slow database makes it stop early, not hang readiness). */
const WARM_UP_BUDGET_MS = 3000;

export const warmUpWebhooks = async (db: Kysely<Database>, sources: WebhookPlatform[], connections: number, log: Log): Promise<void> => {
  const started = performance.now();
  const deadline = started + WARM_UP_BUDGET_MS;
  let deliveries = 0;
  for (const [index, source] of sources.entries()) {
    // Each platform gets its share of what is left of the budget.
    const until = started + ((index + 1) * WARM_UP_BUDGET_MS) / sources.length;
    for (let round = 0; round * connections < source.warmUpDeliveries && performance.now() < Math.min(until, deadline); round++) {
      const work = Promise.all(
        Array.from({ length: connections }, (_, i) => {
          const raw = source.sample(round * connections + i);
          source.authenticate(raw, new Headers());
          return rolledBack(db, (tx) => source.record(raw, tx));
        }),
      );
      // A round held up (a busy pool, a slow statement) does not hold readiness past the budget:
      // it finishes (and rolls back) on its own while the service says ready.
      let timer: NodeJS.Timeout | undefined;
      const late = await Promise.race([
        work.then(() => false),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), Math.max(0, deadline - performance.now())))),
      ]).finally(() => clearTimeout(timer));
      if (late) {
        work.catch(() => {});
        log({ level: 'warn', msg: 'webhook warm-up stopped at its time budget', deliveries, ms: Math.round(performance.now() - started) });
        return;
      }
      deliveries += connections;
    }
  }
  log({ msg: 'webhooks warmed up', connections, deliveries, ms: Math.round(performance.now() - started) });
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
