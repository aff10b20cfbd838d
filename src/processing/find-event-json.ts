/**
 * Daily writes its event JSON beside a recording's media, but the webhook's and the API's track
 * lists do not name it: it is found by listing the recording's own folder (`<domain>/<room>/`,
 * keys starting with the recording's start) and reading the small objects that are not tracks,
 * by content. Only the recording's folder is ever listed.
 */
import { eventLogFrom, MAX_EVENT_JSON_BYTES } from '../pipeline/event-json.ts';
import type { RecordingJob } from '../jobs/kinds.ts';
import type { ObjectStore } from '../storage/object-store.ts';

/** The event JSON's key, or null. */
export const findDailyEventJson = async (store: ObjectStore, payload: RecordingJob): Promise<string | null> => {
  const first = payload.objects[0]?.key;
  if (payload.platform !== 'daily' || !first || !first.includes('/')) return null;
  const folder = first.slice(0, first.lastIndexOf('/') + 1);
  const prefix = payload.recordingStartMs === null ? folder : `${folder}${payload.recordingStartMs}`;
  const known = new Set([...payload.objects.map((o) => o.key), ...payload.otherObjects]);
  for await (const object of store.list(prefix)) {
    if (known.has(object.key) || object.sizeBytes > MAX_EVENT_JSON_BYTES || object.key.slice(folder.length).includes('/')) continue;
    const { body } = await store.get(object.key);
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    if (eventLogFrom(object.key, text)) return object.key;
  }
  return null;
};
