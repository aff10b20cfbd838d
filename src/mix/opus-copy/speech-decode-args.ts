/**
 * The 8 kHz speech tap of a copied render: the render decoded (never encoded) to 8 kHz mono s16le
 * PCM for the speech analyzer (src/speech/speech-analyzer.ts). It decodes the render, not the
 * source, so the PCM starts at meeting time 0 with every hole already silent, exactly as the
 * decode path's tap (render-args.ts, `asplit`) hands it over. One of the two places the 8 kHz
 * stream of a track is made; the other is render-args.ts.
 *
 * With `mixName` the same decode also writes the mixdown's input: the render at its own 48 kHz,
 * mono, as a WAV, so the mixdown reads PCM instead of decoding the render a second time (the
 * Opus decode is most of either command's time; npm run bench:copy).
 */
import { SPEECH_SAMPLE_RATE_HZ } from '../../speech/speech-analyzer.ts';
import { speechTapResample } from '../resampler.ts';

const pcmOutput = (seconds: string, format: 's16le' | 'wav', name: string): string[] => ['-t', seconds, '-c:a', 'pcm_s16le', '-f', format, name];

export const speechDecodeArgs = (inputName: string, speechName: string, endMs: number, mixName?: string): string[] => {
  const seconds = (endMs / 1000).toFixed(6);
  const head = ['-loglevel', 'warning', '-i', inputName];
  if (!mixName) {
    return [
      ...head,
      '-map',
      '0:a:0',
      '-af',
      `aformat=channel_layouts=mono,${speechTapResample(SPEECH_SAMPLE_RATE_HZ)}`,
      ...pcmOutput(seconds, 's16le', speechName),
    ];
  }
  return [
    ...head,
    '-filter_complex',
    `[0:a:0]aformat=channel_layouts=mono,asplit=2[speech][mix];[speech]${speechTapResample(SPEECH_SAMPLE_RATE_HZ)}[speech8k]`,
    '-map',
    '[speech8k]',
    ...pcmOutput(seconds, 's16le', speechName),
    '-map',
    '[mix]',
    ...pcmOutput(seconds, 'wav', mixName),
  ];
};
