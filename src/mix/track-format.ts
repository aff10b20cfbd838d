/**
 * Output formats of rendered tracks. Opus in WebM is the default: compact, 48 kHz, what
 * transcription services take. WAV and FLAC are 16 kHz mono, the rate speech models run at.
 */
export type TrackFormat = 'opus' | 'wav' | 'flac';

export const TRACK_FORMATS: readonly TrackFormat[] = ['opus', 'wav', 'flac'];

export type TrackFormatSpec = {
  extension: string;
  sampleRateHz: number;
  /** Encoder and muxer arguments. */
  codecArgs: string[];
};

export const trackFormatSpec = (format: TrackFormat): TrackFormatSpec => {
  switch (format) {
    case 'opus':
      // VoIP tuning favours speech intelligibility; 32 kbps mono is transparent enough for ASR.
      // Encoder complexity 5 instead of libopus's 10: the encode was ~90% of an Opus render, and 5
      // takes a 15-minute track from 12.7–15.5 s to 7.3–7.4 s in wasm, for 0.15 dB of waveform SNR against the
      // source (13.56 → 13.41 dB; complexity 3: 6.1 s, 13.10 dB; npm run bench:quality). WebRTC
      // itself runs complexity 5 or lower on phones.
      return {
        extension: 'webm',
        sampleRateHz: 48000,
        codecArgs: ['-c:a', 'libopus', '-b:a', '32k', '-application', 'voip', '-compression_level', '5', '-f', 'webm'],
      };
    case 'wav':
      return { extension: 'wav', sampleRateHz: 16000, codecArgs: ['-c:a', 'pcm_s16le', '-f', 'wav'] };
    case 'flac':
      // 16-bit like the WAV: from the resampler's float samples ffmpeg's FLAC encoder would pick 24 bits (and say so on every render).
      return { extension: 'flac', sampleRateHz: 16000, codecArgs: ['-c:a', 'flac', '-sample_fmt', 's16', '-f', 'flac'] };
  }
};

export const isTrackFormat = (value: string): value is TrackFormat => (TRACK_FORMATS as readonly string[]).includes(value);

/** A file name's extension (`.webm`, `.mp4`): up to five letters or digits after the last dot. */
const EXTENSION = /\.[A-Za-z0-9]{1,5}$/;

/**
 * Where each input's render goes: `tracks/<input name without its extension>.<ext>` (a Daily
 * raw-track name has none), in the inputs' order. Inputs whose names would collide without
 * their extensions (`a.webm`, `a.mp4`) keep their full names.
 */
export const trackOutputNames = (files: readonly string[], format: TrackFormat): string[] => {
  const stem = (file: string) => (file.lastIndexOf('.') > 0 ? file.replace(EXTENSION, '') : file);
  const count = new Map<string, number>();
  for (const file of files) count.set(stem(file), (count.get(stem(file)) ?? 0) + 1);
  return files.map((file) => `tracks/${count.get(stem(file))! > 1 ? file : stem(file)}.${trackFormatSpec(format).extension}`);
};
