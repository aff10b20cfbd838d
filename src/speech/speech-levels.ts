/**
 * Per-frame levels of a track, kept for the cross-track bleed analysis (bleed.ts): for each 10 ms
 * frame, `LEVEL_BANDS` bytes — the frame's level in dBFS over the whole 8 kHz band, over its low
 * half (x[n] + x[n-1]: a zero at 4 kHz) and over its high half (x[n] − x[n-1]: a zero at 0 Hz) —
 * in half-dB steps. 3 bytes per frame: 1.1 MB per track-hour, where the 8 kHz PCM would be 58 MB.
 */
export const LEVEL_BANDS = 3;
/** The byte of digital silence (and of any level at or under `LEVEL_FLOOR_DB`). */
export const LEVEL_FLOOR_DB = -120;
const STEPS_PER_DB = 2;

/** dBFS → byte (half-dB steps over `LEVEL_FLOOR_DB`, up to +7.5 dBFS). */
export const encodeLevelDb = (db: number): number => Math.max(0, Math.min(255, Math.round((db - LEVEL_FLOOR_DB) * STEPS_PER_DB)));
/** Byte → dBFS. */
export const decodeLevelDb = (byte: number): number => byte / STEPS_PER_DB + LEVEL_FLOOR_DB;

/** Mean power of `count` samples (int16 units squared) → dBFS; full scale is a square wave at ±32768. */
export const powerDb = (sumOfSquares: number, count: number): number => 10 * Math.log10(sumOfSquares / count / 1073741824 + 1e-12);
