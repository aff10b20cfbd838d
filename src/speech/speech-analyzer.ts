/**
 * Streaming speech analysis of one track: 8 kHz mono s16le PCM in (any chunking), one byte per
 * 10 ms frame out. Runs where the PCM is made: inside the ffmpeg worker as the render writes it
 * (Node), or over the decoded bytes (browser); speech-regions.ts turns the frames into speech.
 *
 * Per frame:
 * - `CANDIDATE`: WebRTC's VAD (30 ms blocks, mode 1) hears voice *and* the frame stands
 *   `ABOVE_FLOOR_DB` over the mic's noise floor (the quietest frame of the last 5 s: speech pauses
 *   between syllables, a steady hum or hiss does not), so the steady noise the VAD sometimes calls
 *   voice is not a candidate;
 * - `VOICED`: a candidate that is periodic at a pitch of 60–400 Hz (normalized autocorrelation ≥
 *   0.55 over 20 ms at 4 kHz). Keyboard clicks and noise bursts are broadband and aperiodic; WebRTC's
 *   VAD alone called ~60% of typing frames voice (test/bench/vad.bench.ts).
 * Digital silence (mutes rendered as zeros) is neither, never moves the noise floor and is not fed
 * to the VAD.
 */
import { createFvad, type loadFvad } from './fvad.ts';
import { createHalfbandDecimator } from './halfband.ts';
import { encodeLevelDb, LEVEL_BANDS, powerDb } from './speech-levels.ts';

export const SPEECH_SAMPLE_RATE_HZ = 8000;
export const SPEECH_FRAME_MS = 10;
export const CANDIDATE = 1;
export const VOICED = 2;

const FRAME = 80; // samples per 10 ms at 8 kHz
const BLOCK = 3 * FRAME; // WebRTC VAD block: 30 ms
// Over the 5 s minimum, which sits some 5 dB under the noise's typical level (minimum statistics are
// biased low): clicks' decaying tails 5–10 dB over the hiss measured as voiced runs at 9 dB.
const ABOVE_FLOOR_DB = 12;
const FLOOR_WINDOW_FRAMES = 500;
const SILENCE_DB = -90;
const VOICED_R = 0.55;
// Periodicity at 4 kHz (pairs of samples summed): a 20 ms window against lags of 10–67 samples.
const WINDOW = 80;
const MIN_LAG = 10;
const MAX_LAG = 67;
const HISTORY = 2 * (WINDOW + MAX_LAG); // 8 kHz samples the periodicity check looks back over

/** The analyzer over 16 kHz PCM (a WAV render's samples): halved to 8 kHz first (halfband.ts). */
export const createSpeechAnalyzer16k = (module: Awaited<ReturnType<typeof loadFvad>>): SpeechAnalyzer => {
  const inner = createSpeechAnalyzer(module);
  const decimate = createHalfbandDecimator();
  const samples = createSampleReader();
  return {
    push: (bytes) => inner.pushSamples(decimate(samples(bytes))),
    pushSamples: (pcm) => inner.pushSamples(decimate(pcm)),
    finish: () => inner.finish(),
    levels: () => inner.levels(),
  };
};

/**
 * Little-endian int16 PCM bytes in chunks of any length (a sample may be split across two) →
 * the samples they complete. The result is a view of a reused buffer: consume it before the next call.
 */
const createSampleReader = () => {
  let scratch = new Int16Array(16384);
  let odd = -1; // low byte of a sample split across chunks, or -1
  return (bytes: Uint8Array): Int16Array => {
    const needed = (bytes.length + 1) >> 1;
    if (scratch.length < needed) scratch = new Int16Array(needed);
    let n = 0;
    let i = 0;
    if (odd >= 0 && bytes.length > 0) {
      scratch[n++] = (bytes[0]! << 8) | odd;
      odd = -1;
      i = 1;
    }
    const pairs = (bytes.length - i) >> 1;
    if ((bytes.byteOffset + i) % 2 === 0) {
      // Aligned: view the bytes as samples. Typed arrays use the platform's byte order, little-endian
      // on every target Node and browsers ship for (x64, arm64, wasm32).
      scratch.set(new Int16Array(bytes.buffer, bytes.byteOffset + i, pairs), n);
      n += pairs;
      i += pairs * 2;
    } else {
      for (; i + 1 < bytes.length; i += 2) scratch[n++] = (bytes[i + 1]! << 8) | bytes[i]!;
    }
    if (i < bytes.length) odd = bytes[i]!;
    return scratch.subarray(0, n);
  };
};

export type SpeechAnalyzer = {
  /** Feeds PCM bytes (little-endian int16, mono at the analyzer's rate); chunks may split a sample. */
  push(bytes: Uint8Array): void;
  /** Feeds samples (mono, at the analyzer's rate); the same as pushing their bytes, without the conversion. */
  pushSamples(samples: Int16Array): void;
  /** Analyses what is left and returns one flag byte per 10 ms frame. */
  finish(): Uint8Array;
  /** After `finish`: `LEVEL_BANDS` bytes per frame (speech-levels.ts), for the bleed analysis. */
  levels(): Uint8Array;
};

export const createSpeechAnalyzer = (module: Awaited<ReturnType<typeof loadFvad>>): SpeechAnalyzer => {
  const vad = createFvad(module, { mode: 1, sampleRateHz: SPEECH_SAMPLE_RATE_HZ, maxFrameSamples: BLOCK });
  // work = [HISTORY samples before the block | the block]
  const work = new Int16Array(HISTORY + BLOCK);
  let filled = 0; // samples of the block received
  let flags = new Uint8Array(1 << 12);
  let levels = new Uint8Array(LEVEL_BANDS << 12);
  let frames = 0;
  // Sliding minimum of frame levels (a monotonic queue of [frame, dB]): the noise floor.
  const floorQueue: Array<[number, number]> = [];
  let floorHead = 0;
  const floorAfter = (frame: number, db: number): number => {
    while (floorQueue.length > floorHead && floorQueue.at(-1)![1] >= db) floorQueue.pop();
    floorQueue.push([frame, db]);
    while (floorQueue[floorHead]![0] <= frame - FLOOR_WINDOW_FRAMES) floorHead++;
    if (floorHead > 1024) {
      floorQueue.splice(0, floorHead);
      floorHead = 0;
    }
    return floorQueue[floorHead]![1];
  };
  const ds = new Float32Array(WINDOW + MAX_LAG);

  const periodic = (end: number): boolean => {
    const start = end - HISTORY;
    for (let k = 0; k < ds.length; k++) ds[k] = work[start + 2 * k]! + work[start + 2 * k + 1]!;
    let e0 = 0;
    for (let k = MAX_LAG; k < ds.length; k++) e0 += ds[k]! * ds[k]!;
    let e1 = 0;
    for (let k = MAX_LAG - MIN_LAG; k < ds.length - MIN_LAG; k++) e1 += ds[k]! * ds[k]!;
    const threshold = VOICED_R * VOICED_R * e0;
    for (let lag = MIN_LAG; lag <= MAX_LAG; lag++) {
      if (lag > MIN_LAG) {
        const entering = ds[MAX_LAG - lag]!;
        const leaving = ds[ds.length - lag]!;
        e1 += entering * entering - leaving * leaving;
      }
      let c = 0;
      for (let k = MAX_LAG; k < ds.length; k++) c += ds[k]! * ds[k - lag]!;
      if (c > 0 && c * c >= threshold * e1) return true;
    }
    return false;
  };

  const analyseBlock = (samples: number) => {
    const frameCount = Math.floor(samples / FRAME);
    if (frameCount === 0) return;
    const block = work.subarray(HISTORY, HISTORY + frameCount * FRAME);
    let blockSum = 0;
    for (let k = 0; k < block.length; k++) blockSum += block[k]! * block[k]!;
    // Digital silence (a mute, filled by the render) is not fed to the VAD: its noise model would
    // adapt to nothing and take every sound after the mute for voice (measured: typing after a mute).
    const voice = 10 * Math.log10(blockSum / block.length / 1073741824 + 1e-12) > SILENCE_DB && vad.process(block);
    if (frames + frameCount > flags.length) {
      const grown = new Uint8Array(flags.length * 2);
      grown.set(flags);
      flags = grown;
      const grownLevels = new Uint8Array(levels.length * 2);
      grownLevels.set(levels);
      levels = grownLevels;
    }
    for (let f = 0; f < frameCount; f++) {
      const from = HISTORY + f * FRAME;
      let sum = 0;
      // The bleed analysis's features (speech-levels.ts): the low and high halves of the band.
      let low = 0;
      let high = 0;
      for (let k = from; k < from + FRAME; k++) {
        const x = work[k]!;
        const previous = work[k - 1]!;
        sum += x * x;
        low += (x + previous) * (x + previous);
        high += (x - previous) * (x - previous);
      }
      const db = powerDb(sum, FRAME);
      const at = frames * LEVEL_BANDS;
      levels[at] = encodeLevelDb(db);
      levels[at + 1] = encodeLevelDb(powerDb(low, 4 * FRAME));
      levels[at + 2] = encodeLevelDb(powerDb(high, 4 * FRAME));
      let flag = 0;
      if (db > SILENCE_DB) {
        const floorDb = floorAfter(frames, db);
        if (voice && db >= floorDb + ABOVE_FLOOR_DB) flag = CANDIDATE | (periodic(from + FRAME) ? VOICED : 0);
      }
      flags[frames++] = flag;
    }
    work.copyWithin(0, frameCount * FRAME, frameCount * FRAME + HISTORY);
  };

  const pushSamples = (pcm: Int16Array) => {
    for (let i = 0; i < pcm.length; ) {
      const take = Math.min(BLOCK - filled, pcm.length - i);
      work.set(pcm.subarray(i, i + take), HISTORY + filled);
      filled += take;
      i += take;
      if (filled === BLOCK) {
        filled = 0;
        analyseBlock(BLOCK);
      }
    }
  };
  const samples = createSampleReader();

  return {
    push: (bytes) => pushSamples(samples(bytes)),
    pushSamples,
    finish() {
      analyseBlock(filled);
      filled = 0;
      vad.free();
      return flags.slice(0, frames);
    },
    levels: () => levels.slice(0, frames * LEVEL_BANDS),
  };
};
