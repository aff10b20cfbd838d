/**
 * Whereby cloud recordings are stored as `{room name}-{uuid}-{ISO 8601 start}Z.mp4`
 * (platforms.md §2.4); the name gives the meeting's room and the recording time. Anything else
 * still gets processed, under the key itself as its room name.
 */
export type WherebyRecordingKey = { roomName: string; recordingStartMs: number | null };

const PATTERN = /^(.+?)-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)\.mp4$/i;
const SHORT_PATTERN = /^(.+)-(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)\.mp4$/i;

export const parseWherebyRecordingKey = (key: string): WherebyRecordingKey => {
  const base = key.slice(key.lastIndexOf('/') + 1);
  const match = PATTERN.exec(base);
  if (match) return { roomName: match[1]!, recordingStartMs: Date.parse(match[3]!) };
  const short = SHORT_PATTERN.exec(base);
  if (short) return { roomName: short[1]!, recordingStartMs: Date.parse(short[2]!) };
  return { roomName: base.replace(/\.[^.]+$/, ''), recordingStartMs: null };
};
