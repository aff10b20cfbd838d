/**
 * What a processed recording commits (process-recording.ts, step 1): a row per input (tracks with
 * their placement, skipped inputs with why) and the raw objects to delete once the outputs are
 * verified — the rendered tracks only, the event JSON once no kept track may still need it, video
 * too under DELETE_RAW_RECORDINGS=all, nothing under `none`. Pure.
 */
import type { RecordingJob } from '../recordings/recording-jobs.ts';
import type { TrackOutcome } from '../recordings/recording-states.ts';
import type { Timeline } from '../timeline/types.ts';

/** What happens to raw objects once their outputs are stored: audio tracks (default), everything (video too), nothing. */
export type RawDeletionPolicy = 'audio' | 'all' | 'none';

/** An object key's last part: the pipeline's input name for it. */
export const baseName = (key: string) => key.slice(key.lastIndexOf('/') + 1);

export const recordingOutcomes = (
  timeline: Timeline,
  payload: RecordingJob,
  eventJsonKey: string | null,
  policy: RawDeletionPolicy,
): { tracks: TrackOutcome[]; deletable: string[]; skippedKeys: string[] } => {
  const byFile = new Map(payload.objects.map((o) => [baseName(o.key), o]));
  const rendered = timeline.tracks
    .filter((t) => t.output)
    .map((t) => byFile.get(t.file)?.key)
    .filter((k): k is string => Boolean(k));
  const skippedKeys = timeline.skipped.map((x) => byFile.get(x.file)?.key ?? x.file);
  // The event JSON goes with the raw tracks, unless a kept track may still need it to be placed.
  const eventJsonRaw = eventJsonKey && skippedKeys.length === 0 && timeline.tracks.every((t) => t.output) ? [eventJsonKey] : [];
  const deletable = policy === 'none' ? [] : [...rendered, ...eventJsonRaw, ...(policy === 'all' ? payload.otherObjects : [])];
  const tracks: TrackOutcome[] = [
    ...timeline.tracks.map((t) => ({
      participant_id: t.participantId,
      object_key: byFile.get(t.file)?.key ?? t.file,
      screen_share: byFile.get(t.file)?.screenShare ?? false,
      offset_ms: Math.round(t.offsetMs),
      filename_offset_ms: t.filenameOffsetMs === null ? null : Math.round(t.filenameOffsetMs),
      display_name: t.displayName,
      end_ms: Math.round(t.endMs),
      duration_ms: Math.round(t.durationMs),
      gaps: JSON.stringify(t.gaps),
      output: Boolean(t.output),
    })),
    ...timeline.skipped.map((x) => ({
      participant_id: null,
      object_key: byFile.get(x.file)?.key ?? x.file,
      screen_share: byFile.get(x.file)?.screenShare ?? false,
      offset_ms: null,
      filename_offset_ms: null,
      duration_ms: null,
      gaps: '[]',
      skipped: `${x.code}: ${x.reason}`,
    })),
  ];
  return { tracks, deletable, skippedKeys };
};
