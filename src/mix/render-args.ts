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
 * - Exactly the samples from 0 to `endMs` (`exactly`), and `-t` there too: Opus in WebM has no reliable duration.
 * - With `speechName`, the same gap-filled stream is split (`asplit`) into a second output: 8 kHz
 *   mono s16le PCM for the speech analyzer (src/speech/speech-analyzer.ts), so the source is
 *   decoded once for both, and speech times are the track's own meeting times.
 */
import type { TimelineTrack } from '../timeline/types.ts';
import { containerShiftMs } from '../timeline/container-shift.ts';
import type { Gap } from '../probe/packet-timeline.ts';
import { SPEECH_SAMPLE_RATE_HZ } from '../speech/speech-analyzer.ts';
import { planFill, type FillOptions, type FillSegment } from './fill-plan.ts';
import { trackFormatSpec, type TrackFormat } from './track-format.ts';
import { RESAMPLER_FILTER_SIZE, speechTapResample } from './resampler.ts';

/** Hole size that makes aresample insert silence at once, in seconds. */
const HARD_COMP_SEC = 0.001;

export type RenderNames = { inputName: string; outputName: string; speechName?: string };

/**
 * Long holes are cut out of the resampler's reach (fill-plan.ts): the holes between packets, in
 * meeting time, and the rate the source decodes at (aresample's `first_pts` counts input samples:
 * measured, a first_pts of 16000 on a 48 kHz input placed the first sample at 1/3 s).
 */
export type RenderFill = FillOptions & { packetGaps: readonly Gap[]; decodedRateHz: number };

/**
 * Samples per frame after the resampler. The decoder hands over one frame per 20 ms packet, and
 * every filter, the sample-format conversion, the encoder and the muxer after it pay a fixed cost
 * per frame; `asetnsamples` (without padding: `p=0`) regroups the same samples into frames of
 * half a second at 16 kHz, so the rest of the graph runs ~25× less often. Measured in the engine
 * on a 15-minute, two-piece 16 kHz WAV render: 1.32 → 1.18 s; a one-filter render 0.73 → 0.70 s.
 * The samples are the same: the benchmark meeting's WAV renders and mixdown came out byte for byte
 * as before.
 */
const FRAME_SAMPLES = 8192;

/** The gap-filling resampler; `firstPts` (in input samples) is where its output starts: 0, or a piece's first sample. */
const fill = (sampleRateHz: number, firstPts = 0) =>
  `aresample=${sampleRateHz}:async=1:min_hard_comp=${HARD_COMP_SEC}:first_pts=${firstPts}:filter_size=${RESAMPLER_FILTER_SIZE},` +
  `asetnsamples=n=${FRAME_SAMPLES}:p=0`;

/**
 * Exactly `samples` samples: silence after the decoded audio, then cut. The decoded stream ends
 * before the last packet's end whenever the encoder padded that packet (libopus pads its last
 * frame and the muxer marks the padding as discarded, so the decoder drops it): the one-filter
 * render of a Daily-style track came out 20.5 ms short of its `endMs` (test/mix/render-length.test.ts).
 */
const exactly = (samples: number) => `apad=whole_len=${samples},atrim=end_sample=${samples}`;

/** Samples of `sampleRateHz` from meeting time 0 to `endMs`. */
export const samplesTo = (endMs: number, sampleRateHz: number): number => Math.round((endMs * sampleRateHz) / 1000);

const sec = (ms: number) => (ms / 1000).toFixed(6).replace(/\.?0+$/, '') || '0';

export const renderTrackArgs = (
  track: Pick<TimelineTrack, 'offsetMs' | 'containerOffsetMs' | 'endMs'>,
  format: TrackFormat,
  names: RenderNames,
  fillOptions?: RenderFill,
): string[] => {
  const spec = trackFormatSpec(format);
  const shiftMs = containerShiftMs(track);
  // Without fill options (tools, tests) every hole is the resampler's, as before fill-plan.ts.
  const plan = fillOptions ? planFill(track, fillOptions.packetGaps, spec.sampleRateHz, fillOptions) : [];
  const pieced = fillOptions && plan.length > 1;
  const samples = samplesTo(track.endMs, spec.sampleRateHz);
  // With a speech output, the filled stream is split: the track, and 8 kHz mono for the analyzer.
  const split = `asplit=2[track][speech];[speech]aformat=channel_layouts=mono,${speechTapResample(SPEECH_SAMPLE_RATE_HZ)}[speech8k]`;
  return [
    '-loglevel',
    'warning',
    '-copyts',
    ...(Math.abs(shiftMs) >= 0.5 ? ['-itsoffset', sec(shiftMs)] : []),
    '-i',
    names.inputName,
    ...(pieced
      ? [
          '-filter_complex',
          names.speechName
            ? `${piecesGraph(plan, spec.sampleRateHz, fillOptions.decodedRateHz, 'filled')};[filled]${split}`
            : piecesGraph(plan, spec.sampleRateHz, fillOptions.decodedRateHz, 'track'),
          '-map',
          '[track]',
        ]
      : names.speechName
        ? ['-filter_complex', `[0:a:0]${fill(spec.sampleRateHz)},${exactly(samples)},${split}`, '-map', '[track]']
        : ['-map', '0:a:0', '-vn', '-sn', '-dn', '-af', `${fill(spec.sampleRateHz)},${exactly(samples)}`]),
    '-ac',
    '1',
    '-t',
    sec(track.endMs),
    ...spec.codecArgs,
    names.outputName,
    ...(names.speechName ? ['-map', '[speech8k]', '-t', sec(track.endMs), '-c:a', 'pcm_s16le', '-f', 's16le', names.speechName] : []),
  ];
};

/**
 * Zeros after a piece's last packet, before the resampler: at the end of its input aresample
 * flushes its filter over a mirrored tail (libswresample/resample.c), not silence, and the last
 * millisecond came out up to -41 dBFS off the one-filter render; with zeros it matches.
 */
const TAIL_PAD_SEC = 0.1;

/**
 * The pieced render (fill-plan.ts): the decoded stream cut into its audio pieces by `asegment` at
 * each later piece's start, each piece trimmed to its stretch of meeting time, filled and
 * resampled by the same filter as the plain render but from the piece's first sample, and made
 * exactly its length; silences are `anullsrc` in 1024-sample frames cut to length. `concat` takes
 * every segment to start at pts 0 and offsets it by the previous one's end
 * (libavfilter/avf_concat.c), so each piece is re-timed by its sample count (`asetpts=N/SR/TB`):
 * the segments lie end to end from meeting time 0.
 *
 * `asegment` hands each frame to one piece only (libavfilter/f_segment.c: a frame goes to the
 * output whose cut its pts has not reached). `asplit` handed every frame to every piece not yet
 * ended, whose `atrim` then dropped it, so the cost grew with pieces × frames: a 10.5-minute track
 * cut into 24 pieces took 1.48 s against 0.71 s uncut, with `asegment` 0.91 s. The cuts lie inside
 * long holes, so no frame straddles one, and each piece's `atrim` keeps what it kept before. (In
 * FFmpeg 5.1 it also ends a piece once the samples it has consumed reach the cut's pts, which
 * runs ahead of the frames' pts only by how far the stream starts before 0 — AAC priming, ~21 ms —
 * far less than the 1 s between a cut and the nearest packet.)
 */
const piecesGraph = (plan: readonly FillSegment[], sampleRateHz: number, decodedRateHz: number, outputLabel: string): string => {
  const pieces = plan.filter((s) => s.kind === 'audio');
  const mono = `aformat=sample_fmts=fltp:sample_rates=${sampleRateHz}:channel_layouts=mono`;
  const chains: string[] = [
    pieces.length > 1
      ? `[0:a:0]asegment=timestamps=${pieces
          .slice(1)
          .map((p) => sec(p.startMs))
          .join('|')}${pieces.map((_, i) => `[p${i}]`).join('')}`
      : `[0:a:0]anull[p0]`,
  ];
  let piece = 0;
  const labels = plan.map((segment, i) => {
    if (segment.kind === 'silence') {
      chains.push(`anullsrc=r=${sampleRateHz}:cl=mono:nb_samples=1024,atrim=end_sample=${segment.samples},${mono}[s${i}]`);
      return `[s${i}]`;
    }
    const samples = segment.endSample - segment.startSample;
    chains.push(
      `[p${piece++}]atrim=start=${sec(segment.startMs)}:end=${sec(segment.endMs)},apad=pad_dur=${TAIL_PAD_SEC},` +
        `${fill(sampleRateHz, Math.round((segment.startMs * decodedRateHz) / 1000))},apad=whole_len=${samples},atrim=end_sample=${samples},asetpts=N/SR/TB,${mono}[s${i}]`,
    );
    return `[s${i}]`;
  });
  chains.push(`${labels.join('')}concat=n=${plan.length}:v=0:a=1[${outputLabel}]`);
  return chains.join(';');
};
