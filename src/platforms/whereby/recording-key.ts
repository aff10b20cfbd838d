/**
 * Whereby cloud recordings are stored as `[folder/]{room name}-{ISO 8601 start}.mp4|mkv`
 * (docs.whereby.com, cloud recording: file naming), where the room name is the API's `roomName` without its leading `/`
 * (e.g. `teamstandup-2f1c0a5e-…`). The name gives the meeting's room and the recording time.
 * Anything else is still processed, under the file name as its room.
 */
export type WherebyRecordingKey = { roomName: string; recordingStartMs: number | null };

const PATTERN = /^(?:.*\/)?(.+)-(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)\.(?:mp4|mkv)$/i;

/** Room names from webhooks carry a leading `/`; keys and our rows do not. */
export const normalizeWherebyRoomName = (roomName: string): string => roomName.replace(/^\/+/, '');

export const parseWherebyRecordingKey = (key: string): WherebyRecordingKey => {
  const match = PATTERN.exec(key);
  if (match) return { roomName: match[1]!, recordingStartMs: Date.parse(match[2]!) };
  const base = key.slice(key.lastIndexOf('/') + 1);
  return { roomName: base.replace(/\.[^.]+$/, ''), recordingStartMs: null };
};
