/**
 * Whose voice is it: each track's frames sorted into owner speech, owner speech over bleed, bleed
 * only and silence, by comparing the track with every other track of the meeting (Wrigley et al.,
 * "Speech and crosstalk detection in multichannel audio", IEEE TSAP 13(1), 2005: the four classes;
 * Boakye & Stolcke, Interspeech 2006: cross-channel energy features). Pure, the same in Node and
 * the browser; in the service it runs in the engine's worker pool (bleed-codec.ts).
 *
 * 1. Coupling (bleed-lag.ts): windows where two tracks' level envelopes correlate, with the lag.
 * 2. Per direction source → destination (a lag of −50 … +500 ms), the coupling's level per band:
 *    the median of destination − source over the frames of coupled windows where the source has
 *    speech and is the louder by 3 dB or more (the bleed copies). A direction needs
 *    `MIN_COUPLED_FRAMES` such frames and a level ≤ `MAX_LEVEL_DB` (bleed is quieter than its
 *    source; a mic louder than its "source" is the source).
 * 3. Per frame of a destination with a speech candidate: the bleed it would carry — each coupled
 *    source's level over the frames around its lag (`SMEAR`: lag error and the room's decay) plus
 *    the coupling level, over the destination's own noise floor — against its real level, per band.
 *    A frame louder than every prediction by `OWNER_MARGIN_DB` in some band carries its owner's
 *    voice (owner speech, over bleed or not): the residual after the coupling, which is what lets a
 *    quiet owner talk over a loud neighbour. Any other frame is bleed, from the loudest source.
 * 4. The owner's speech is speech-regions.ts over the frames left (so it starts at the owner's
 *    onset); what the track's speech loses to it is bleed, attributed to the source most frames name.
 */
import { createLagCursor, LAG_WINDOW_FRAMES, type LagEstimate, MAX_LAG_FRAMES, NEAR_ACTIVE_FRAMES, pairLags, type LagTrackInput } from './bleed-lag.ts';
import { CANDIDATE, SPEECH_FRAME_MS } from './speech-analyzer.ts';
import { decodeLevelDb, LEVEL_BANDS } from './speech-levels.ts';
import { regionsMs, speechRegions, type SpeechRegion } from './speech-regions.ts';

/** One track's analysis (speech-analyzer.ts), frame 0 at meeting time 0. */
export type BleedTrackInput = { flags: Uint8Array; levels: Uint8Array };

export type BleedStretch = SpeechRegion & { from: number; lagMs: number; levelDb: number };
export type BleedPair = { from: number; to: number; lagMs: number; minLagMs: number; maxLagMs: number; bleedMs: number };
export type BleedResult = {
  /** Per track: the owner's speech, and the bleed-only stretches (`from` is a track index). */
  tracks: Array<{ speech: SpeechRegion[]; bleed: BleedStretch[] }>;
  pairs: BleedPair[];
  /** Track pairs and 10-s windows whose correlation was computed (the cost). */
  pairsExamined: number;
  windowsExamined: number;
};

const MIN_COUPLED_FRAMES = 100;
const MAX_LEVEL_DB = -6;
const LOUDER_DB = 3;
export const OWNER_MARGIN_DB = 6;
/** Source frames around the lag that a destination frame may carry: 1 later, 3 earlier (the decay). */
const SMEAR_BEFORE = 3;
const SMEAR_AFTER = 1;
const FLOOR_PERCENTILE = 0.1;
const MIN_BLEED_MS = 100;

type Track = { frames: number; flags: Uint8Array; db: Float32Array[]; floorDb: number[] };

const prepare = (input: BleedTrackInput): Track => {
  const frames = Math.min(input.flags.length, Math.floor(input.levels.length / LEVEL_BANDS));
  const db: Float32Array[] = [];
  const floorDb: number[] = [];
  for (let b = 0; b < LEVEL_BANDS; b++) {
    const band = new Float32Array(frames);
    const histogram = new Uint32Array(256);
    for (let t = 0; t < frames; t++) {
      const byte = input.levels[t * LEVEL_BANDS + b]!;
      band[t] = decodeLevelDb(byte);
      if (byte > 0) histogram[byte]!++;
    }
    let total = 0;
    for (const n of histogram) total += n;
    let seen = 0;
    let floor = 0;
    for (; floor < 255 && seen + histogram[floor]! < total * FLOOR_PERCENTILE; floor++) seen += histogram[floor]!;
    db.push(band);
    floorDb.push(decodeLevelDb(floor));
  }
  return { frames, flags: input.flags, db, floorDb };
};

/**
 * Per track, the frames where it is a source worth listening for: a speech candidate louder than
 * every other track is anywhere in the last 500 ms (the longest lag). A mic's copy of another voice
 * is never that — the voice itself was louder on its own track a moment before — so only a talker's
 * own speech is compared with the others (measured: with every candidate, a pair in one room
 * estimated each other's lag with the wrong sign in half the windows; with "loudest at that frame"
 * a speakerphone's echo tails became sources and gave a headset a spurious 405 ms path).
 */
const dominantFrames = (tracks: readonly Track[]): Uint8Array[] => {
  const frames = Math.max(0, ...tracks.map((t) => t.frames));
  const recentMax = tracks.map((t) => slidingMax(t.db[0]!, frames, MAX_LAG_FRAMES + 1));
  return tracks.map((track, i) => {
    const out = new Uint8Array(track.frames);
    const level = track.db[0]!;
    for (let t = 0; t < track.frames; t++) {
      if (!(track.flags[t]! & CANDIDATE)) continue;
      let louder = true;
      for (let j = 0; j < tracks.length && louder; j++) if (j !== i && recentMax[j]![t]! >= level[t]!) louder = false;
      if (louder) out[t] = 1;
    }
    return out;
  });
};

/** max(values[t − width + 1 … t]) for every t (a monotonic queue); past the end, −∞. */
const slidingMax = (values: Float32Array, frames: number, width: number): Float32Array => {
  const out = new Float32Array(frames).fill(Number.NEGATIVE_INFINITY);
  const queue = new Int32Array(values.length + 1);
  let head = 0;
  let tail = 0;
  for (let t = 0; t < values.length; t++) {
    while (tail > head && values[queue[tail - 1]!]! <= values[t]!) tail--;
    queue[tail++] = t;
    if (queue[head]! <= t - width) head++;
    out[t] = values[queue[head]!]!;
  }
  return out;
};

const lagInput = (track: Track, dominant: Uint8Array): LagTrackInput => {
  const envelope = new Float32Array(track.frames);
  const activePrefix = new Uint32Array(track.frames + 1);
  const candidatePrefix = new Uint32Array(track.frames + 1);
  const nearActive = new Uint8Array(track.frames);
  const full = track.db[0]!;
  for (let t = 0; t < track.frames; t++) {
    envelope[t] = Math.max(0, full[t]! - track.floorDb[0]!);
    const active = dominant[t]!;
    activePrefix[t + 1] = activePrefix[t]! + (active ? 1 : 0);
    candidatePrefix[t + 1] = candidatePrefix[t]! + (track.flags[t]! & CANDIDATE ? 1 : 0);
    if (active) nearActive.fill(1, Math.max(0, t - NEAR_ACTIVE_FRAMES), Math.min(track.frames, t + NEAR_ACTIVE_FRAMES + 1));
  }
  return { envelope, activePrefix, candidatePrefix, nearActive };
};

type Coupling = { source: number; windows: LagEstimate[]; levelDb: number[] };

/** Median of a histogram of diffs in half-dB bins over −100 … 0 dB. */
const DIFF_BINS = 200;
const histogramMedian = (histogram: Uint32Array, count: number): number => {
  let seen = 0;
  for (let i = 0; i < DIFF_BINS; i++) {
    seen += histogram[i]!;
    if (seen * 2 >= count) return -100 + (i + 0.5) / 2;
  }
  return 0;
};

/** The coupling source → destination over the windows whose lag suits that direction, or null. */
const coupling = (source: Track, dominant: Uint8Array, destination: Track, sourceIndex: number, directed: readonly LagEstimate[]): Coupling | null => {
  if (directed.length === 0) return null;
  const histograms = Array.from({ length: LEVEL_BANDS }, () => new Uint32Array(DIFF_BINS));
  let count = 0;
  const frames = Math.min(source.frames, destination.frames);
  for (const w of directed) {
    const lag = Math.round(w.lagFrames);
    const from = Math.max(0, Math.round(w.centerFrame - LAG_WINDOW_FRAMES / 2), lag);
    const to = Math.min(frames, Math.round(w.centerFrame + LAG_WINDOW_FRAMES / 2), frames + lag);
    for (let t = from; t < to; t++) {
      const s = t - lag;
      if (!dominant[s]) continue;
      const diff = destination.db[0]![t]! - source.db[0]![s]!;
      if (diff > -LOUDER_DB || diff <= -100) continue;
      count++;
      for (let b = 0; b < LEVEL_BANDS; b++) {
        const d = destination.db[b]![t]! - source.db[b]![s]!;
        histograms[b]![Math.max(0, Math.min(DIFF_BINS - 1, Math.floor((d + 100) * 2)))]!++;
      }
    }
  }
  if (count < MIN_COUPLED_FRAMES) return null;
  const levelDb = histograms.map((h) => histogramMedian(h, count));
  if (levelDb[0]! > MAX_LEVEL_DB) return null;
  return { source: sourceIndex, windows: [...directed], levelDb };
};

const powerSum = (aDb: number, bDb: number) => 10 * Math.log10(10 ** (aDb / 10) + 10 ** (bDb / 10));

export const analyseBleed = (inputs: readonly BleedTrackInput[]): BleedResult => {
  const tracks = inputs.map(prepare);
  const dominant = dominantFrames(tracks);
  const lagInputs = tracks.map((t, i) => lagInput(t, dominant[i]!));
  const couplings: Coupling[][] = tracks.map(() => []);
  let pairsExamined = 0;
  let windowsExamined = 0;
  for (let s = 0; s < tracks.length; s++) {
    for (let d = 0; d < tracks.length; d++) {
      if (s === d) continue;
      const lags = pairLags(lagInputs[s]!, lagInputs[d]!);
      pairsExamined++;
      windowsExamined += lags.examined;
      const found = coupling(tracks[s]!, dominant[s]!, tracks[d]!, s, lags.windows);
      if (found) couplings[d]!.push(found);
    }
  }

  const result = tracks.map((track, d) => {
    const owner = track.flags.slice();
    const from = new Int16Array(track.frames).fill(-1);
    const lagOf = new Float32Array(track.frames);
    const sources = couplings[d]!.map((c) => ({ c, lagAt: createLagCursor(c.windows), lag: 0 }));
    for (let t = 0; t < track.frames; t++) {
      if (!(track.flags[t]! & CANDIDATE) || sources.length === 0) continue;
      for (const s of sources) s.lag = s.lagAt(t);
      let residual = Number.NEGATIVE_INFINITY;
      let loudest = Number.NEGATIVE_INFINITY;
      let source = -1;
      let sourceLag = 0;
      for (let b = 0; b < LEVEL_BANDS; b++) {
        let predicted = track.floorDb[b]!;
        for (const { c, lag } of sources) {
          const s = Math.round(t - lag);
          const band = tracks[c.source]!.db[b]!;
          let peak = Number.NEGATIVE_INFINITY;
          for (let k = Math.max(0, s - SMEAR_BEFORE); k <= Math.min(band.length - 1, s + SMEAR_AFTER); k++) peak = Math.max(peak, band[k]!);
          if (peak === Number.NEGATIVE_INFINITY) continue;
          predicted = powerSum(predicted, peak + c.levelDb[b]!);
          if (b === 0 && peak > loudest && peak + c.levelDb[0]! >= track.db[0]![t]! - OWNER_MARGIN_DB) {
            loudest = peak;
            source = c.source;
            sourceLag = lag;
          }
        }
        residual = Math.max(residual, track.db[b]![t]! - predicted);
      }
      if (residual > OWNER_MARGIN_DB || source < 0) continue;
      owner[t] = 0;
      from[t] = source;
      lagOf[t] = sourceLag;
    }
    const speech = speechRegions(owner);
    const bleed = bleedStretches(speechRegions(track.flags), speech, from, lagOf, couplings[d]!);
    return { speech, bleed };
  });

  const pairs: BleedPair[] = [];
  for (let d = 0; d < tracks.length; d++) {
    for (const c of couplings[d]!) {
      const stretches = result[d]!.bleed.filter((b) => b.from === c.source);
      if (stretches.length === 0) continue;
      const lags = c.windows.map((w) => w.lagFrames * SPEECH_FRAME_MS).sort((x, y) => x - y);
      pairs.push({
        from: c.source,
        to: d,
        lagMs: Math.round(lags[lags.length >> 1]!),
        minLagMs: Math.round(lags[0]!),
        maxLagMs: Math.round(lags.at(-1)!),
        bleedMs: regionsMs(stretches),
      });
    }
  }
  return { tracks: result, pairs, pairsExamined, windowsExamined };
};

/** `all` − `owner`: the speech the owner does not account for, where bleed frames say whose it is. */
const bleedStretches = (
  all: readonly SpeechRegion[],
  owner: readonly SpeechRegion[],
  from: Int16Array,
  lagOf: Float32Array,
  couplings: readonly Coupling[],
): BleedStretch[] => {
  const out: BleedStretch[] = [];
  for (const region of all) {
    let pieces: SpeechRegion[] = [region];
    for (const o of owner) {
      pieces = pieces.flatMap((p) =>
        o.endMs <= p.startMs || o.startMs >= p.endMs
          ? [p]
          : [
              ...(o.startMs > p.startMs ? [{ startMs: p.startMs, endMs: o.startMs }] : []),
              ...(o.endMs < p.endMs ? [{ startMs: o.endMs, endMs: p.endMs }] : []),
            ],
      );
    }
    for (const piece of pieces) {
      if (piece.endMs - piece.startMs < MIN_BLEED_MS) continue;
      const votes = new Map<number, number[]>();
      for (let t = Math.floor(piece.startMs / SPEECH_FRAME_MS); t < Math.min(from.length, piece.endMs / SPEECH_FRAME_MS); t++) {
        if (from[t]! < 0) continue;
        const list = votes.get(from[t]!) ?? [];
        list.push(lagOf[t]!);
        votes.set(from[t]!, list);
      }
      const [source, lags] = [...votes].sort((a, b) => b[1].length - a[1].length)[0] ?? [];
      if (source === undefined || !lags) continue;
      lags.sort((a, b) => a - b);
      out.push({
        ...piece,
        from: source,
        lagMs: Math.round(lags[lags.length >> 1]! * SPEECH_FRAME_MS),
        levelDb: Math.round(couplings.find((c) => c.source === source)!.levelDb[0]! * 10) / 10,
      });
    }
  }
  return out;
};
