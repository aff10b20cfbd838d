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
      return { extension: 'webm', sampleRateHz: 48000, codecArgs: ['-c:a', 'libopus', '-b:a', '32k', '-application', 'voip', '-f', 'webm'] };
    case 'wav':
      return { extension: 'wav', sampleRateHz: 16000, codecArgs: ['-c:a', 'pcm_s16le', '-f', 'wav'] };
    case 'flac':
      return { extension: 'flac', sampleRateHz: 16000, codecArgs: ['-c:a', 'flac', '-f', 'flac'] };
  }
};

export const isTrackFormat = (value: string): value is TrackFormat => (TRACK_FORMATS as readonly string[]).includes(value);
