/**
 * Speech analysis of a WAV as it is written (or at once, in the browser): the WAV's samples
 * (wav-tap.ts) into the analyzer for their rate — 16 kHz halved first, 8 kHz as it is.
 */
import type { loadFvad } from './fvad.ts';
import { createSpeechAnalyzer, createSpeechAnalyzer16k, type SpeechAnalyzer } from './speech-analyzer.ts';
import { createWavTap } from './wav-tap.ts';

export type WavSpeech = {
  /** A write of the WAV file at byte `position`, as the muxer makes it. */
  write(position: number, bytes: Uint8Array): void;
  /** The frames and their levels, or null if no audio data was written. */
  finish(): { frames: Uint8Array; levels: Uint8Array } | null;
};

export const createWavSpeech = (fvad: Awaited<ReturnType<typeof loadFvad>>): WavSpeech => {
  let analyzer: SpeechAnalyzer | null = null;
  const tap = createWavTap((rateHz) => {
    const created = rateHz === 16000 ? createSpeechAnalyzer16k(fvad) : createSpeechAnalyzer(fvad);
    analyzer = created;
    return (samples) => created.push(samples);
  });
  return {
    write: (position, bytes) => tap.write(position, bytes),
    finish: () => {
      const done = analyzer as SpeechAnalyzer | null;
      return done ? { frames: done.finish(), levels: done.levels() } : null;
    },
  };
};
