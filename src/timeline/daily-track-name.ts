/**
 * Daily raw-tracks object names: `{recordingStartMs}-{participantId}-{trackName}-{trackStartMs}`,
 * often without a file extension (Daily's raw-tracks docs:
 * docs.daily.co/guides/products/live-streaming-recording/recording-calls-with-the-daily-api#raw-tracks). `trackStartMs - recordingStartMs` is the filename offset, a cross-check on the
 * container's start_time (Daily recordings show the container ~209 ms earlier on every track).
 */
export type DailyTrackName = {
  recordingStartMs: number;
  participantId: string;
  /** e.g. `cam-audio`, `cam-video`, `screen-audio`, `screen-video`, or a custom track name. */
  trackName: string;
  trackStartMs: number;
  /** Track start relative to the recording start, from the name alone. */
  filenameOffsetMs: number;
};

// Epoch milliseconds (13 digits until 2286), a UUID participant id, then the track name (which may
// itself contain dashes), then the track start; an extension is optional.
const PATTERN = /^(\d{12,14})-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-(.+)-(\d{12,14})(?:\.[A-Za-z0-9]{1,5})?$/i;

/** Parses a raw-track object name or file path; null when it does not follow Daily's pattern. */
export const parseDailyTrackName = (nameOrPath: string): DailyTrackName | null => {
  const base = nameOrPath.slice(nameOrPath.lastIndexOf('/') + 1);
  const match = PATTERN.exec(base);
  if (!match) return null;
  const recordingStartMs = Number(match[1]);
  const trackStartMs = Number(match[4]);
  return {
    recordingStartMs,
    participantId: match[2]!.toLowerCase(),
    trackName: match[3]!,
    trackStartMs,
    filenameOffsetMs: trackStartMs - recordingStartMs,
  };
};
