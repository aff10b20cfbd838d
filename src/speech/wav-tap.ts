/**
 * The samples of a 16-bit mono WAV as a muxer writes it: the header first (ffmpeg's wav muxer
 * puts a LIST chunk before `data`, so its length varies), then the data in order, then a rewrite
 * of the header's size fields at the end — which is not audio and is ignored. Lets the speech
 * analyzer read a WAV render as it is written instead of ffmpeg making a second output.
 */
import { parseWavHeader } from '../probe/wav-header.ts';

export type WavTap = { write(position: number, bytes: Uint8Array): void };

export const createWavTap = (onFormat: (sampleRateHz: number) => (samples: Uint8Array) => void): WavTap => {
  let header = new Uint8Array(0);
  let next = -1; // the byte position the next sample write starts at; -1 until the header is read
  let sink: ((samples: Uint8Array) => void) | null = null;

  return {
    write(position, bytes) {
      if (next < 0) {
        if (position !== header.length) return;
        const grown = new Uint8Array(header.length + bytes.length);
        grown.set(header);
        grown.set(bytes, header.length);
        header = grown;
        const parsed = parseWavHeader(header);
        if (parsed === 'incomplete') return;
        if (parsed === null) throw new Error('speech-wav output is not a RIFF/WAVE file');
        if (parsed.channels !== 1 || parsed.bitsPerSample !== 16) throw new Error('speech-wav output must be 16-bit mono PCM');
        sink = onFormat(parsed.sampleRateHz);
        if (header.length > parsed.dataStart) sink(header.subarray(parsed.dataStart));
        next = header.length;
        return;
      }
      if (position !== next) return; // the size fields rewritten at the end
      next += bytes.length;
      sink!(bytes);
    },
  };
};
