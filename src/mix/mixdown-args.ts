/**
 * ffmpeg arguments for the mixdown MP3: every rendered track (all start at meeting time 0) summed
 * into one mono stream. Pure.
 *
 * - `amix=normalize=0`: amix scales each input by 1/N by default and re-normalizes over
 *   `dropout_transition` when an input ends, so loudness jumps when a participant leaves
 *   (amix docs, ffmpeg-filters.html#amix: normalize=1 divides by the number of inputs). Plain summing keeps every voice at its level.
 * - `alimiter=level=0:latency=1`: summing can clip; a look-ahead limiter catches peaks without
 *   auto-gain, and `latency=1` removes its look-ahead delay so nothing moves in time.
 * - `loudnorm` (optional, EBU R128, single pass) upsamples internally; aresample brings it back.
 *   It measures over the whole stream, so a loudness-normalized mixdown is one segment.
 */
export type MixdownOptions = {
  /** Time segments encoded in parallel and joined (see mixdown-segments.ts); default: the engine's concurrency for meetings of 5 minutes or more. */
  segments?: number;
  bitrateKbps?: number;
  sampleRateHz?: number;
  /** Peak ceiling of the limiter, linear (0.0625–1). */
  limit?: number;
  loudnorm?: false | { integratedLufs: number; truePeakDb: number; lra: number };
  /**
   * Lower each track in its bleed-only stretches (src/speech/bleed.ts), so the mix has no echo or
   * comb filtering; needs the analysis before the mixdown, so no early mixdown (README).
   */
  bleedGate?: boolean;
  /** With `bleedGate`: per input (timeline order), the stretches to lower, meeting ms; filled by the pipeline. */
  gatesMs?: ReadonlyArray<ReadonlyArray<{ startMs: number; endMs: number }>>;
};

/** What the bleed gate takes off (the issue asks for at least 20 dB), and its ramps. */
export const BLEED_GATE_DB = -30;
const BLEED_GATE_RAMP_MS = 20;
/** Frames the gain is computed for: 10 ms at the renders' rates, so the ramps step in 10 ms. */
const GATE_FRAME_MS = 10;

/**
 * The gate of one input over one segment: a `volume` expression of the segment's time, 1 outside
 * the stretches and `BLEED_GATE_DB` inside, ramping over `BLEED_GATE_RAMP_MS` inside each edge
 * (the stretches of a track never overlap, so their terms add). Null when no stretch falls in the segment.
 */
export const bleedGateFilter = (
  stretches: ReadonlyArray<{ startMs: number; endMs: number }>,
  fromMs: number,
  toMs: number,
  inputRateHz: number,
): string | null => {
  const terms = stretches
    .filter((s) => s.endMs > fromMs && s.startMs < toMs)
    .map((s) => {
      const a = ((s.startMs - fromMs) / 1000).toFixed(3);
      const b = ((s.endMs - fromMs) / 1000).toFixed(3);
      const r = (BLEED_GATE_RAMP_MS / 1000).toFixed(3);
      return `clip(min((t-${a})/${r},(${b}-t)/${r}),0,1)`;
    });
  if (terms.length === 0) return null;
  const depth = (1 - 10 ** (BLEED_GATE_DB / 20)).toFixed(4);
  return `asetnsamples=n=${Math.round((inputRateHz * GATE_FRAME_MS) / 1000)}:p=0,volume=eval=frame:volume='1-${depth}*(${terms.join('+')})'`;
};

import type { MixdownSegment } from './mixdown-segments.ts';
import { RESAMPLER_FILTER_SIZE } from './resampler.ts';

/** The mixdown's rate: Opus tracks decode at 48 kHz, so mixing there resamples nothing. */
export const MIXDOWN_SAMPLE_RATE_HZ = 48000;

/** The rate a mixdown with these options is mixed and encoded at. */
export const mixdownRateHz = (options: MixdownOptions = {}): number => options.sampleRateHz ?? MIXDOWN_SAMPLE_RATE_HZ;

export const DEFAULT_LOUDNORM = { integratedLufs: -16, truePeakDb: -1.5, lra: 11 } as const;

/**
 * One segment of the mixdown (the whole of it when there is one segment). Every input is seeked
 * to the segment's pre-roll; `atrim` then cuts the encoder input at exact samples, and the
 * MP3 is written as bare frames (no ID3, no Xing/LAME tag, no bit reservoir) so segments join
 * frame by frame.
 */
export const mixdownSegmentArgs = (
  inputNames: readonly string[],
  segment: MixdownSegment,
  outputName: string,
  options: MixdownOptions = {},
  /** The rendered tracks' sample rate, when known. */
  inputRateHz?: number,
): string[] => {
  if (inputNames.length === 0) throw new RangeError('mixdown needs at least one input');
  const sampleRateHz = mixdownRateHz(options);
  // Limited at the tracks' own rate, then resampled: for 16 kHz renders the limiter runs on a third
  // of the samples; 48 kHz renders resample nothing.
  const gates = inputNames.map((_, i) =>
    options.bleedGate && options.gatesMs?.[i]
      ? bleedGateFilter(options.gatesMs[i]!, segment.seekMs, segment.seekMs + (segment.trimEndSample / sampleRateHz) * 1000, inputRateHz ?? sampleRateHz)
      : null,
  );
  const gated = gates.flatMap((g, i) => (g ? [`[${i}:a]${g}[g${i}]`] : []));
  const chain = [
    `${inputNames.map((_, i) => (gates[i] ? `[g${i}]` : `[${i}:a]`)).join('')}amix=inputs=${inputNames.length}:normalize=0:duration=longest:dropout_transition=0`,
    `alimiter=limit=${options.limit ?? 0.95}:level=0:latency=1`,
    `aresample=${sampleRateHz}:filter_size=${RESAMPLER_FILTER_SIZE}`,
  ];
  if (options.loudnorm) {
    const { integratedLufs, truePeakDb, lra } = options.loudnorm;
    chain.push(`loudnorm=I=${integratedLufs}:TP=${truePeakDb}:LRA=${lra}`, `aresample=${sampleRateHz}`);
  }
  chain.push(`atrim=start_sample=${segment.trimStartSample}:end_sample=${segment.trimEndSample}`, 'asetpts=N/SR/TB');
  const seek = segment.seekMs > 0 ? ['-ss', (segment.seekMs / 1000).toFixed(3)] : [];
  return [
    '-loglevel',
    'warning',
    ...inputNames.flatMap((name) => [...seek, '-i', name]),
    '-filter_complex',
    [...gated, `${chain.join(',')}[mix]`].join(';'),
    '-map',
    '[mix]',
    '-ac',
    '1',
    '-ar',
    String(sampleRateHz),
    // -b:a without -abr is constant bitrate in libmp3lame.
    '-c:a',
    'libmp3lame',
    '-b:a',
    `${options.bitrateKbps ?? 128}k`,
    // LAME's algorithm quality 7 (ffmpeg's -compression_level is lame_set_quality): psychoacoustics
    // without noise-shaping iterations. At 128 kbps mono the bits barely change: decoded, it stands
    // 55 dB over the earlier mixdown (LAME's default quality, limiter after the resampler) and both
    // sit 26.0 dB over the unencoded mix, while the mixdown of a 15-minute 4-track meeting takes
    // 3.5 s instead of 4.9 s on one wasm worker (npm run bench:quality).
    '-compression_level',
    '7',
    // Tracks rendered at 16 kHz hold nothing above 8 kHz: LAME told so (its lowpass, which it
    // otherwise puts near 17 kHz at 128 kbps) skips the empty subbands, ~4% of the mixdown's time.
    // Decoded, the mixdown still stands 26.0 dB over the unencoded mix, and 55 dB over the same
    // encode without the cutoff (npm run bench:quality measures the first).
    ...(inputRateHz && inputRateHz < sampleRateHz ? ['-cutoff', String(inputRateHz / 2)] : []),
    '-reservoir',
    '0',
    '-write_xing',
    '0',
    '-id3v2_version',
    '0',
    '-f',
    'mp3',
    outputName,
  ];
};
