/**
 * The resampler settings every command shares (renders, the mixdown, the 8 kHz speech taps).
 *
 * libswresample's filter size (its default is 32): for a rate change it sets the windowed-sinc
 * filter's length, in samples of the lower rate on each side, so its cost is that many
 * multiply-adds per output sample, per side. The 48 → 16 kHz conversion was a sixth of a WAV
 * render's time in wasm; 16 takes 0.15–0.2 s off each 15-minute track, and ~0.2 s off the mixdown's
 * 16 → 48 kHz upsampling of a 15-minute meeting. What it costs in quality, measured on the
 * benchmark meeting (npm run bench:quality): a 16 kHz render stands 46 dB SNR over the one made
 * with the default filter, and against a render with a much longer filter (128) the default
 * scores 45.5 dB and 16 scores 40.5 dB; the passband's edge moves from ~6.4 to ~5 kHz. The Opus
 * sources' own coding noise is far louder (a 32 kbps voice track stands ~13 dB over its input).
 * Where input and output rates are equal (Opus renders of Opus sources) nothing is filtered.
 */
export const RESAMPLER_FILTER_SIZE = 16;

/**
 * The speech analyzer's 8 kHz tap (render-args.ts, opus-copy/speech-decode-args.ts). Down to 8 kHz
 * the filter spans six 48 kHz samples per sample of the lower rate: over decoding a 15-minute
 * track alone (2.6 s of CPU in wasm), the tap with the default size cost 0.8 s, with 16 0.53 s
 * (one fresh process each, loaded VM). On the benchmark meeting (4 × 5 min) the speech frames of
 * 4 of 98,980 10 ms frames change and a band level moves by at most 3 dB (each track decoded with
 * both filters, the analyzer's frames and levels compared; issue 28).
 */
export const speechTapResample = (rateHz: number): string => `aresample=${rateHz}:filter_size=${RESAMPLER_FILTER_SIZE}`;
