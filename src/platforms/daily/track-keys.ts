/**
 * A signed event may only point at its own recording's objects. Daily writes raw tracks as
 * `<domain>/<room>/<recordingStartMs>-<participant>-<track>-<trackStartMs>` and names the folder
 * in `s3_key` (`<domain>/<room>/<recordingStartMs>`, docs.daily.co/reference/rest-api/webhooks/events/recording-ready-to-download).
 * A track key outside that folder, under another room, or not shaped like a raw track would let
 * whoever holds the webhook secret (or a confused platform) make us process and then delete
 * someone else's object: such an event is refused whole, nothing is fetched or deleted.
 */
import { isPlainKey } from '../../storage/object-key.ts';
import { parseDailyTrackName } from '../../timeline/daily-track-name.ts';

const MAX_TRACKS_PER_RECORDING = 256;

export type KeyCheck = { ok: true } | { ok: false; reason: string };

const folderOf = (key: string) => key.slice(0, Math.max(0, key.lastIndexOf('/')));

export const checkDailyTrackKeys = (recording: { room_name: string; s3_key?: string | null; tracks: ReadonlyArray<{ s3Key: string }> }): KeyCheck => {
  if (recording.tracks.length > MAX_TRACKS_PER_RECORDING)
    return { ok: false, reason: `${recording.tracks.length} tracks, more than ${MAX_TRACKS_PER_RECORDING}` };
  let folder: string | null = null;
  let recordingStart: string | null = null;
  if (recording.s3_key) {
    if (!isPlainKey(recording.s3_key)) return { ok: false, reason: `s3_key ${JSON.stringify(recording.s3_key.slice(0, 200))} is not a plain key` };
    folder = folderOf(recording.s3_key);
    recordingStart = /^\d{12,14}$/.exec(recording.s3_key.slice(folder.length + 1))?.[0] ?? null;
  }
  for (const { s3Key } of recording.tracks) {
    const shown = JSON.stringify(s3Key.slice(0, 200));
    if (!isPlainKey(s3Key)) return { ok: false, reason: `track key ${shown} is not a plain key` };
    const trackFolder = folderOf(s3Key);
    if (folder !== null && trackFolder !== folder)
      return { ok: false, reason: `track key ${shown} is outside the recording's folder ${JSON.stringify(folder)}` };
    folder ??= trackFolder;
    if (trackFolder !== folder) return { ok: false, reason: `track keys lie in different folders (${shown})` };
    if (trackFolder.slice(trackFolder.lastIndexOf('/') + 1) !== recording.room_name)
      return { ok: false, reason: `track key ${shown} is not in room ${JSON.stringify(recording.room_name)}'s folder` };
    const name = parseDailyTrackName(s3Key);
    if (!name) return { ok: false, reason: `track key ${shown} is not a Daily raw-track name` };
    if (recordingStart !== null && String(name.recordingStartMs) !== recordingStart)
      return { ok: false, reason: `track key ${shown} belongs to another recording than ${recordingStart}` };
  }
  return { ok: true };
};
