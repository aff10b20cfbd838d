/**
 * Where a track carries another's sound, and how late: the normalized cross-correlation of their
 * level envelopes (10 ms frames, dB over each track's noise floor) in windows of 10 s every 5 s,
 * at the lags a bleed path can have (−50 … +500 ms), counted only around the source's own speech
 * candidates (±200 ms): a speakerphone that also echoes other participants would otherwise dilute
 * each pair's peak (measured: the echo of a third voice in the window kept it under the
 * threshold). A window whose peak reaches `MIN_CORRELATION` is evidence of coupling; two people
 * who really talk at once do not correlate (their syllables do not line up). The lag is
 * re-estimated in every window, so an echo path that drifts is followed (bleed.ts interpolates
 * between windows). Pure.
 */
export const LAG_WINDOW_FRAMES = 1000;
const HOP_FRAMES = 500;
/** −50 … +500 ms: a neighbour's air path and clock skew, up to a speakerphone's round trip. */
export const MIN_LAG_FRAMES = -5;
export const MAX_LAG_FRAMES = 50;
/** A window needs this many speech candidate frames on both tracks to be examined. */
const MIN_ACTIVE_FRAMES = 50;
export const MIN_CORRELATION = 0.6;
/** Source frames this close to one of its speech candidates count (the mask's half-width). */
export const NEAR_ACTIVE_FRAMES = 20;

/** One examined window: its centre frame, the lag (frames, the destination later when positive) and the peak. */
export type LagEstimate = { centerFrame: number; lagFrames: number; correlation: number };

export type LagTrackInput = {
  /** dB over the track's noise floor, per frame (0 at or under it). */
  envelope: Float32Array;
  /** Frames where the track is the source to listen for (bleed.ts), prefix sums (length frames + 1), to skip idle windows cheaply. */
  activePrefix: Uint32Array;
  /** Speech candidate frames (its own voice or bleed), prefix sums: a destination with none carries nothing. */
  candidatePrefix: Uint32Array;
  /** 1 within `NEAR_ACTIVE_FRAMES` of a speech candidate frame. */
  nearActive: Uint8Array;
};

export type PairLags = { examined: number; windows: LagEstimate[] };

/** The windows where `destination` carries `source`'s sound, with its lag. */
export const pairLags = (source: LagTrackInput, destination: LagTrackInput): PairLags => {
  const a = source;
  const b = destination;
  const frames = Math.min(a.envelope.length, b.envelope.length);
  const windows: LagEstimate[] = [];
  let examined = 0;
  const lags = MAX_LAG_FRAMES - MIN_LAG_FRAMES + 1;
  const span = LAG_WINDOW_FRAMES + lags;
  const xa = new Float32Array(LAG_WINDOW_FRAMES);
  const mask = new Float32Array(LAG_WINDOW_FRAMES);
  const xb = new Float32Array(span);
  const scores = new Float64Array(lags);
  for (let start = 0; start + HOP_FRAMES <= frames; start += HOP_FRAMES) {
    const end = Math.min(frames, start + LAG_WINDOW_FRAMES);
    const length = end - start;
    if (length < LAG_WINDOW_FRAMES / 2) break;
    if (a.activePrefix[end]! - a.activePrefix[start]! < MIN_ACTIVE_FRAMES) continue;
    const from = Math.max(0, start + MIN_LAG_FRAMES);
    const to = Math.min(frames, end + MAX_LAG_FRAMES);
    if (b.candidatePrefix[to]! - b.candidatePrefix[from]! < MIN_ACTIVE_FRAMES) continue;
    examined++;
    let meanA = 0;
    let count = 0;
    for (let t = start; t < end; t++) {
      if (!a.nearActive[t]) continue;
      meanA += a.envelope[t]!;
      count++;
    }
    meanA /= count;
    let meanB = 0;
    for (let t = start; t < end; t++) if (a.nearActive[t]) meanB += b.envelope[t]!;
    meanB /= count;
    let energyA = 0;
    for (let k = 0; k < length; k++) {
      const near = a.nearActive[start + k]!;
      const v = near ? a.envelope[start + k]! - meanA : 0;
      xa[k] = v;
      mask[k] = near;
      energyA += v * v;
    }
    if (energyA === 0) continue;
    // b from the earliest lag on, centred on its mean around a's speech; out of the track counts as the mean.
    for (let k = 0; k < span; k++) {
      const t = start + MIN_LAG_FRAMES + k;
      xb[k] = t >= 0 && t < frames ? b.envelope[t]! - meanB : 0;
    }
    let best = -1;
    let bestIndex = 0;
    for (let i = 0; i < lags; i++) {
      let c = 0;
      let energyB = 0;
      for (let k = 0; k < length; k++) {
        const v = xb[i + k]!;
        c += xa[k]! * v;
        energyB += mask[k]! * v * v;
      }
      const r = energyB > 0 ? c / Math.sqrt(energyA * energyB) : 0;
      scores[i] = r;
      if (r > best) {
        best = r;
        bestIndex = i;
      }
    }
    if (best < MIN_CORRELATION) continue;
    // Parabolic interpolation between the frames around the peak: the lag to a few ms.
    let fraction = 0;
    if (bestIndex > 0 && bestIndex < lags - 1) {
      const left = scores[bestIndex - 1]!;
      const right = scores[bestIndex + 1]!;
      const curvature = left - 2 * best + right;
      if (curvature < 0) fraction = Math.max(-0.5, Math.min(0.5, (0.5 * (left - right)) / curvature));
    }
    windows.push({ centerFrame: start + length / 2, lagFrames: MIN_LAG_FRAMES + bestIndex + fraction, correlation: best });
  }
  return { examined, windows };
};

/**
 * The lag at a frame, linear between the estimates around it and held beyond the first and last.
 * Frames must be asked in increasing order (a cursor walks the windows once).
 */
export const createLagCursor = (windows: readonly LagEstimate[]) => {
  let i = 1;
  return (frame: number): number => {
    if (frame <= windows[0]!.centerFrame) return windows[0]!.lagFrames;
    while (i < windows.length && windows[i]!.centerFrame < frame) i++;
    if (i >= windows.length) return windows.at(-1)!.lagFrames;
    const previous = windows[i - 1]!;
    const next = windows[i]!;
    const w = (frame - previous.centerFrame) / (next.centerFrame - previous.centerFrame);
    return previous.lagFrames + w * (next.lagFrames - previous.lagFrames);
  };
};
