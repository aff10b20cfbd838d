/**
 * Daily writes its event JSON beside a recording's media, but the webhook's and the API's track
 * lists do not name it: it is found by listing the recording's own folder (`<domain>/<room>/`)
 * and reading small objects that are not tracks, by content — first those named with the
 * recording's start, then any `.json` of the folder whose log has that same recording start (a
 * room's folder holds every recording of the room). Only the recording's folder is ever listed.
 */
import { eventLogFrom, MAX_EVENT_JSON_BYTES } from '../pipeline/event-json.ts';
import type { RecordingJob } from '../recordings/recording-jobs.ts';
import type { DailyEventLog } from '../timeline/daily-events.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import { readObjectText } from '../storage/read-text.ts';

/** The event JSON's key and its log, parsed (read once: the job passes the log to the pipeline as an option), or null. */
export const findDailyEventJson = async (store: ObjectStore, payload: RecordingJob): Promise<{ key: string; log: DailyEventLog } | null> => {
  const first = payload.objects[0]?.key;
  if (payload.platform !== 'daily' || !first || !first.includes('/')) return null;
  const folder = first.slice(0, first.lastIndexOf('/') + 1);
  const known = new Set([...payload.objects.map((o) => o.key), ...payload.otherObjects]);
  const candidates = async (prefix: string, accept: (key: string) => boolean): Promise<{ key: string; log: DailyEventLog } | null> => {
    for await (const object of store.list(prefix)) {
      const name = object.key.slice(folder.length);
      if (known.has(object.key) || name.includes('/') || object.sizeBytes > MAX_EVENT_JSON_BYTES || !accept(object.key)) continue;
      const found = eventLogFrom(object.key, await readObjectText(store, object.key));
      if (found && 'log' in found && (payload.recordingStartMs === null || found.log.recordingStartMs === payload.recordingStartMs))
        return { key: object.key, log: found.log };
    }
    return null;
  };
  if (payload.recordingStartMs !== null) {
    const named = await candidates(`${folder}${payload.recordingStartMs}`, () => true);
    if (named) return named;
  }
  return candidates(folder, (key) => key.toLowerCase().endsWith('.json'));
};
