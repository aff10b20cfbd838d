/**
 * The 8 kHz speech tap of a copied render: the render decoded (never encoded) to 8 kHz mono s16le
 * PCM for the speech analyzer (src/speech/speech-analyzer.ts). It decodes the render, not the
 * source, so the PCM starts at meeting time 0 with every hole already silent, exactly as the
 * decode path's tap (render-args.ts, `asplit`) hands it over. One of the two places the 8 kHz
 * stream of a track is made; the other is render-args.ts.
 */
import { SPEECH_SAMPLE_RATE_HZ } from '../../speech/speech-analyzer.ts';

export const speechDecodeArgs = (inputName: string, speechName: string, endMs: number): string[] => [
  '-loglevel',
  'warning',
  '-i',
  inputName,
  '-map',
  '0:a:0',
  '-af',
  `aformat=channel_layouts=mono,aresample=${SPEECH_SAMPLE_RATE_HZ}`,
  '-t',
  (endMs / 1000).toFixed(6),
  '-c:a',
  'pcm_s16le',
  '-f',
  's16le',
  speechName,
];
