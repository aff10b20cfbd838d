/**
 * The raw-deletion step: after a recording's outputs are committed, its raw objects go — only
 * those the commit listed (the tracks whose outputs were produced and verified; video too under
 * DELETE_RAW_RECORDINGS=all). Idempotent: deleting a missing object is no error, so a retry or
 * another worker after a crash simply finishes the list.
 */
import { sql } from 'kysely';
import { DeleteRawPayload } from '../jobs/kinds.ts';
import type { JobHandler } from '../jobs/worker.ts';
import type { Stores } from '../storage/open-stores.ts';
import { TracksError } from '../errors.ts';
import type { Log } from '../log.ts';

export const deleteRawObjects =
  (deps: { stores: Stores; log?: Log }): JobHandler =>
  async (raw, context) => {
    const payload = DeleteRawPayload.parse(raw);
    const store = payload.platform === 'daily' ? deps.stores.daily : deps.stores.whereby;
    if (store.bucket !== payload.bucket)
      throw new TracksError('CONFIG_INVALID', `Raw objects are in bucket ${payload.bucket}, but the ${payload.platform} bucket is ${store.bucket}.`);
    for (const key of payload.keys) {
      context.signal.throwIfAborted();
      await store.delete(key);
    }
    deps.log?.({ msg: 'raw recording deleted', recordingId: payload.recordingId, objects: payload.keys.length });
    return async (tx) => {
      await tx
        .updateTable('recordings')
        .set({ status: 'processed', error: null, raw_deleted_at: sql`now()`, updated_at: sql`now()` })
        .where('id', '=', payload.recordingId)
        .execute();
    };
  };
