/**
 * The mixdown split into time segments that encode in parallel (LAME is the slowest step of the
 * pipeline: ~24 s per hour of 48 kHz mono in wasm, measured, and single-threaded), then joined
 * frame by frame into one MP3 with every sample where it belongs. Pure arithmetic.
 *
 * The join is exact because of three choices:
 * - LAME delays its output by 1105 samples (576 encoder + 529 decoder: ffmpeg's libmp3lame sets
 *   initial_padding = encoder delay + 528 + 1). Each segment's encoder input starts that much
 *   later, less whole frames of warm-up, so decoded sample d of the joined stream is meeting
 *   sample d. The file carries no Xing/LAME tag, so no decoder trims anything; the price is
 *   that the first 23 ms of the meeting decode as the encoder's priming (near silence).
 * - Segments after the first drop two warm-up frames, so the kept frames were encoded with a
 *   primed psychoacoustic model and MDCT overlap.
 * - No bit reservoir (`-reservoir 0`): a kept frame never borrows bits from a dropped one.
 */
import { MP3_SAMPLES_PER_FRAME } from './mp3-frames.ts';

/** LAME's total delay as seen by ffmpeg's decoder (576 + 528 + 1). */
const LAME_DELAY_SAMPLES = 1105;
const WARMUP_FRAMES = 2;
/** Mix history decoded before a segment's first encoded sample: limiter and resampler settle. */
const PREROLL_MS = 1000;

export type MixdownSegment = {
  index: number;
  /** Where each input is seeked to (whole ms, so 16 and 48 kHz inputs seek to exact samples). */
  seekMs: number;
  /** Encoder input, in samples of the mix counted from `seekMs`. */
  trimStartSample: number;
  trimEndSample: number;
  /** Frames of this segment's MP3 to keep. */
  firstFrame: number;
  frameCount: number;
};

/**
 * Splits `durationMs` into `segments` parts of whole frames, the last `halvedTail` of them cut in
 * two (so `segments + halvedTail` segments). The decoded joined stream covers
 * ceil(duration / frame) frames: at most one frame (24 ms at 48 kHz) past the meeting's end.
 */
export const planMixdownSegments = (durationMs: number, segments: number, sampleRateHz: number, halvedTail = 0): MixdownSegment[] => {
  const totalSamples = Math.round((durationMs / 1000) * sampleRateHz);
  const totalFrames = Math.max(1, Math.ceil(totalSamples / MP3_SAMPLES_PER_FRAME));
  const count = Math.max(1, Math.min(segments, Math.floor(totalFrames / 64)));
  const samplesPerMs = sampleRateHz / 1000;
  // Segment starts in meeting frames: `count` equal parts, the last `halvedTail` of them in halves
  // (never a meeting kept whole for being short).
  const halved = count > 1 ? Math.min(halvedTail, count) : 0;
  const starts: number[] = [];
  for (let k = 0; k < count; k++) {
    starts.push(Math.floor((k * totalFrames) / count));
    if (k >= count - halved) starts.push(Math.floor(((2 * k + 1) * totalFrames) / (2 * count)));
  }
  const plan: MixdownSegment[] = [];
  for (let k = 0; k < starts.length; k++) {
    const firstMeetingFrame = starts[k]!;
    const endMeetingFrame = starts[k + 1] ?? totalFrames;
    const warmup = k === 0 ? 0 : WARMUP_FRAMES;
    // Encoder input sample i decodes at local position i + LAME delay; local frame `warmup` must
    // decode meeting frame `firstMeetingFrame`.
    const encodeStart = firstMeetingFrame * MP3_SAMPLES_PER_FRAME - warmup * MP3_SAMPLES_PER_FRAME + LAME_DELAY_SAMPLES;
    // Encode a little past the segment so its last kept frame is complete; the last runs to the end.
    const encodeEnd = k === starts.length - 1 ? totalSamples : Math.min(totalSamples, endMeetingFrame * MP3_SAMPLES_PER_FRAME + 2 * MP3_SAMPLES_PER_FRAME);
    const seekMs = Math.max(0, Math.floor(encodeStart / samplesPerMs - PREROLL_MS));
    const seekSamples = seekMs * samplesPerMs;
    plan.push({
      index: k,
      seekMs,
      trimStartSample: encodeStart - seekSamples,
      trimEndSample: Math.max(encodeStart, encodeEnd) - seekSamples,
      firstFrame: warmup,
      frameCount: endMeetingFrame - firstMeetingFrame,
    });
  }
  return plan;
};
