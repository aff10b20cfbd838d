/**
 * An OpenAI-compatible transcription answer (`response_format=verbose_json`) → timed words, pure.
 * Servers differ in where the words are: top-level `words` (OpenAI, faster-whisper / speaches),
 * `segments[].words` (whisper.cpp's server), or none (no word timestamps: each segment's words
 * are spread evenly over the segment). Times are seconds in the uploaded audio.
 */
import { z } from 'zod';

const Word = z.object({ word: z.string(), start: z.number(), end: z.number() }).loose();
const Segment = z.object({ start: z.number(), end: z.number(), text: z.string().default(''), words: z.array(Word).optional() }).loose();
const Answer = z
  .object({ language: z.string().nullish(), text: z.string().nullish(), words: z.array(Word).nullish(), segments: z.array(Segment).nullish() })
  .loose();

export type HeardWord = { text: string; startSec: number; endSec: number };
export type HeardChunk = { language: string | null; words: HeardWord[] };

const clean = (text: string) => text.trim();

export const parseTranscriptionAnswer = (body: unknown): HeardChunk => {
  const answer = Answer.parse(body);
  const language = answer.language ?? null;
  const fromWords = (words: z.infer<typeof Word>[]) =>
    words.map((w) => ({ text: clean(w.word), startSec: w.start, endSec: Math.max(w.start, w.end) })).filter((w) => w.text.length > 0);
  if (answer.words?.length) return { language, words: fromWords(answer.words) };
  const segments = answer.segments ?? [];
  if (segments.some((s) => s.words?.length)) return { language, words: fromWords(segments.flatMap((s) => s.words ?? [])) };
  // Segment times only: the segment's words share its span evenly.
  const words: HeardWord[] = [];
  for (const s of segments) {
    const texts = s.text.split(/\s+/).filter(Boolean);
    const stepSec = (s.end - s.start) / Math.max(1, texts.length);
    for (const [i, text] of texts.entries()) words.push({ text, startSec: s.start + i * stepSec, endSec: s.start + (i + 1) * stepSec });
  }
  return { language, words };
};
