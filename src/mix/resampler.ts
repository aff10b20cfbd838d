/**
 * The resampler settings every command shares (renders, the mixdown).
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
