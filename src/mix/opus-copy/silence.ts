/**
 * Encoded digital silence: one CELT-only fullband Opus frame per length (RFC 6716 §3.1, configs
 * 28–31: 2.5, 5, 10, 20 ms), code 0, whose range-coded payload `FF FE` sets the CELT silence flag
 * (RFC 6716 §4.3, "silence" symbol, decoded first). These are the bytes libopus itself writes for
 * digital silence in CELT mode (checked with the engine's libopus: `-application lowdelay`
 * encodes anullsrc as `f8 ff fe` per 20 ms frame, `f0 ff fe` per 10 ms; test/mix/opus-copy.test.ts
 * decodes a fill back to zeros). A packet with no frame data would not do: decoders treat it as a
 * lost packet and conceal it (RFC 6716 §4.4).
 */
const CELT_FULLBAND_CONFIG: Record<number, number> = { 120: 28, 240: 29, 480: 30, 960: 31 };

/** Frame lengths silence is written in, longest first (48 kHz samples). */
export const SILENCE_FRAME_SAMPLES = [960, 480, 240, 120] as const;

/** The silent frame of `samples` (one of SILENCE_FRAME_SAMPLES) for a mono or stereo stream. */
export const silentOpusFrame = (samples: number, channels: number): Uint8Array => {
  const config = CELT_FULLBAND_CONFIG[samples];
  if (config === undefined) throw new RangeError(`no Opus frame lasts ${samples} samples`);
  return Uint8Array.of((config << 3) | (channels === 2 ? 0x04 : 0), 0xff, 0xfe);
};
