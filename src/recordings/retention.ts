/**
 * Retention (RETENTION_DAYS): transcripts older than that are deleted with their objects and rows
 * (delete-recording.ts), as the original system's auto-retention did (7 days on public
 * instances). Runs at start and then hourly; several workers may sweep at once (the deletion
 * decides under the queue's locks: one deletes, the others find it gone). A recording whose job is
 * queued or running is skipped until a later sweep; deletions whose objects could not all be
 * removed are finished first.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { TracksError } from '../errors.ts';
import type { Stores } from '../storage/open-stores.ts';
import { deleteTranscript, finishPurges } from './delete-recording.ts';
import type { Log } from '../log.ts';
import { startPeriodic } from '../jobs/periodic.ts';

export const sweepRetention = async (deps: { db: Kysely<Database>; stores: Stores; retentionDays: number; log?: Log }): Promise<number> => {
  const finished = await finishPurges(deps.db, deps.stores);
  if (finished) deps.log?.({ msg: 'objects of deleted recordings removed', recordings: finished });
  const expired = await deps.db
    .selectFrom('transcripts')
    .leftJoin('recordings', 'recordings.id', 'transcripts.recording_id')
    .select('transcripts.id')
    .where('transcripts.created_at', '<', sql<Date>`now() - make_interval(days => ${deps.retentionDays})`)
    .where((eb) => eb.or([eb('recordings.status', 'is', null), eb('recordings.status', 'in', ['processed', 'failed'])]))
    .limit(500)
    .execute();
  let deleted = 0;
  for (const { id } of expired) {
    try {
      const result = await deleteTranscript(deps.db, deps.stores, id);
      deleted++;
      deps.log?.({ msg: 'transcript expired', transcriptId: id, recordingId: result.recordingId, objects: result.objects, rawObjects: result.rawObjects });
    } catch (error) {
      // Busy: reprocessed or transcribing now; deleted meanwhile: another sweep or an operator did it.
      if (TracksError.isError(error, 'RECORDING_BUSY') || TracksError.isError(error, 'NOT_FOUND')) continue;
      deps.log?.({ level: 'warn', msg: 'transcript expiry failed; next sweep retries', transcriptId: id, error: (error as Error).message });
    }
  }
  return deleted;
};

export const startRetention = (deps: Parameters<typeof sweepRetention>[0] & { intervalMs?: number }) =>
  startPeriodic(
    async () => void (await sweepRetention(deps)),
    deps.intervalMs ?? 3600_000,
    (error) => deps.log?.({ level: 'warn', msg: 'retention sweep failed', error: error.message }),
  );
