/**
 * ffmpeg arguments that turn one source track into one continuous, gap-filled stream from meeting
 * time 0 to the track's end. Pure: the tests assert these arrays and run them.
 *
 * - `-copyts`: keep the container's timestamps; without it the CLI shifts the stream to start at
 *   0 and the offset is lost (measured: test/pipeline/process-meeting.test.ts places a late joiner by it).
 * - No `-nostats`: the core derives progress events from the stats lines.
 * - `aresample=async=1:first_pts=0`: pad with silence from 0 to the first packet, and wherever
 *   packets are missing. Its default `min_hard_comp` of 100 ms lets shorter holes (a lost 20 ms
 *   packet, DTX) accumulate as drift, so audio after them plays early until the drift passes
 *   100 ms; 1 ms fills every real hole while ignoring the ±0.5 ms rounding of WebM's ms clock.
 * - The sample clock of the output starts at 0, so players that honour pts do not add the offset
 *   a second time (the original system's padded files kept the source pts).
 * - `-t`: cap at the end of the last packet; Opus in WebM has no reliable duration.
 * - With `speechName`, the same gap-filled stream is split (`asplit`) into a second output: 8 kHz
 *   mono s16le PCM for the speech analyzer (src/speech/speech-analyzer.ts), so the source is
 *   decoded once for both, and speech times are the track's own meeting times.
 */
import type { TimelineTrack } from '../timeline/types.ts';
import { SPEECH_SAMPLE_RATE_HZ } from '../speech/speech-analyzer.ts';
import { trackFormatSpec, type TrackFormat } from './track-format.ts';

/** Hole size that makes aresample insert silence at once, in seconds. */
const HARD_COMP_SEC = 0.001;

export type RenderNames = { inputName: string; outputName: string; speechName?: string };

const fill = (sampleRateHz: number) => `aresample=${sampleRateHz}:async=1:min_hard_comp=${HARD_COMP_SEC}:first_pts=0`;

const sec = (ms: number) => (ms / 1000).toFixed(6).replace(/\.?0+$/, '') || '0';

export const renderTrackArgs = (track: Pick<TimelineTrack, 'offsetMs' | 'containerOffsetMs' | 'endMs'>, format: TrackFormat, names: RenderNames): string[] => {
  const spec = trackFormatSpec(format);
  // Non-zero only when the track was placed by another clock than its container's.
  const shiftMs = track.offsetMs - (track.containerOffsetMs ?? 0);
  return [
    '-loglevel',
    'warning',
    '-copyts',
    ...(Math.abs(shiftMs) >= 0.5 ? ['-itsoffset', sec(shiftMs)] : []),
    '-i',
    names.inputName,
    ...(names.speechName
      ? [
          '-filter_complex',
          `[0:a:0]${fill(spec.sampleRateHz)},asplit=2[track][speech];[speech]aformat=channel_layouts=mono,aresample=${SPEECH_SAMPLE_RATE_HZ}[speech8k]`,
          '-map',
          '[track]',
        ]
      : ['-map', '0:a:0', '-vn', '-sn', '-dn', '-af', fill(spec.sampleRateHz)]),
    '-ac',
    '1',
    '-t',
    sec(track.endMs),
    ...spec.codecArgs,
    names.outputName,
    ...(names.speechName ? ['-map', '[speech8k]', '-t', sec(track.endMs), '-c:a', 'pcm_s16le', '-f', 's16le', names.speechName] : []),
  ];
};
