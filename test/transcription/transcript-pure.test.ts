/** The pure parts: chunk plans and their time mapping, answer shapes, segments, VTT/SRT/text. */
import { describe, expect, it } from 'vitest';
import { parseTranscriptionAnswer } from '../../src/transcription/answer.ts';
import { chunkToMeetingMs, planChunks } from '../../src/transcription/chunk-plan.ts';
import { toSrt, toText, toWebVtt } from '../../src/transcription/formats.ts';
import { buildTranscript, type TranscriptWord } from '../../src/transcription/transcript.ts';

describe('chunk plan', () => {
  const speech = [
    { startMs: 1000, endMs: 3000 },
    { startMs: 3500, endMs: 4000 },
    { startMs: 10_000, endMs: 12_000 },
    { startMs: 40_000, endMs: 41_000 },
  ];

  it('pads speech, joins close regions, separates the rest with silence and cuts only between pieces', () => {
    const chunks = planChunks(speech, { offsetMs: 900, endMs: 41_100 }, { maxChunkMs: 6000 });
    expect(chunks).toEqual([
      {
        index: 0,
        pieces: [{ meetingStartMs: 900, meetingEndMs: 4250, chunkStartMs: 0 }],
        durationMs: 3350,
      },
      {
        index: 1,
        pieces: [
          { meetingStartMs: 9750, meetingEndMs: 12_250, chunkStartMs: 0 },
          { meetingStartMs: 39_750, meetingEndMs: 41_100, chunkStartMs: 3500 },
        ],
        durationMs: 4850,
      },
    ]);
  });

  it('maps chunk time back exactly, snapping times in a separator to the nearer piece', () => {
    const [, chunk] = planChunks(speech, { offsetMs: 0, endMs: 60_000 }, { maxChunkMs: 6000 });
    expect(chunkToMeetingMs(chunk!, 0)).toBe(9750);
    expect(chunkToMeetingMs(chunk!, 1234.5)).toBe(10_984.5);
    expect(chunkToMeetingMs(chunk!, 2600)).toBe(12_250);
    expect(chunkToMeetingMs(chunk!, 3400)).toBe(39_750);
    expect(chunkToMeetingMs(chunk!, 3600)).toBe(39_850);
    expect(chunkToMeetingMs(chunk!, 99_000)).toBe(41_250);
  });

  it('joins close regions only while the piece fits a chunk, and never overlaps pieces', () => {
    const talker = Array.from({ length: 30 }, (_, i) => ({ startMs: i * 5000, endMs: i * 5000 + 4500 }));
    const chunks = planChunks(talker, { offsetMs: 0, endMs: 200_000 }, { maxChunkMs: 20_000 });
    const pieces = chunks.flatMap((c) => c.pieces);
    expect(Math.max(...chunks.map((c) => c.durationMs))).toBeLessThanOrEqual(20_000);
    for (let i = 1; i < pieces.length; i++) expect(pieces[i]!.meetingStartMs).toBeGreaterThanOrEqual(pieces[i - 1]!.meetingEndMs);
    // Every region is sent.
    for (const r of talker) expect(pieces.some((p) => p.meetingStartMs <= r.startMs && r.endMs <= p.meetingEndMs)).toBe(true);
  });

  it('sends a stretch longer than the chunk limit alone, uncut', () => {
    const chunks = planChunks([{ startMs: 0, endMs: 90_000 }], { offsetMs: 0, endMs: 90_000 }, { maxChunkMs: 60_000 });
    expect(chunks.map((c) => c.durationMs)).toEqual([90_000]);
  });
});

describe('answers', () => {
  it('reads top-level words, words in segments, and spreads segment text when there are no word times', () => {
    expect(parseTranscriptionAnswer({ language: 'en', words: [{ word: ' Hi', start: 0.5, end: 0.7 }] })).toEqual({
      language: 'en',
      words: [{ text: 'Hi', startSec: 0.5, endSec: 0.7 }],
    });
    expect(
      parseTranscriptionAnswer({
        segments: [
          {
            start: 1,
            end: 2,
            text: ' a b',
            words: [
              { word: 'a', start: 1, end: 1.4 },
              { word: 'b', start: 1.5, end: 2 },
            ],
          },
        ],
      }).words,
    ).toHaveLength(2);
    expect(parseTranscriptionAnswer({ segments: [{ start: 2, end: 3, text: ' one two' }] }).words).toEqual([
      { text: 'one', startSec: 2, endSec: 2.5 },
      { text: 'two', startSec: 2.5, endSec: 3 },
    ]);
    expect(() => parseTranscriptionAnswer({ words: [{ word: 'x' }] })).toThrow();
  });
});

describe('transcript and its files', () => {
  const w = (text: string, startMs: number, speaker: string): TranscriptWord => ({
    text,
    startMs,
    endMs: startMs + 300,
    speaker,
    participantId: speaker === 'Ann' ? 'p1' : 'p2',
    file: `${speaker}.webm`,
  });
  const transcript = buildTranscript(
    [w('Hello', 0, 'Ann'), w('there.', 400, 'Ann'), w('Next', 800, 'Ann'), w('<b>&', 1000, 'Bob'), w('later', 5000, 'Bob')],
    6000,
    'en',
  );

  it('cuts segments at a sentence end, a change of speaker and a pause over 1.5 s', () => {
    expect(transcript.segments.map((s) => [s.speaker, s.text, s.startMs, s.endMs])).toEqual([
      ['Ann', 'Hello there.', 0, 700],
      ['Ann', 'Next', 800, 1100],
      ['Bob', '<b>&', 1000, 1300],
      ['Bob', 'later', 5000, 5300],
    ]);
  });

  it('writes valid WebVTT with voice spans, SubRip and text', () => {
    const vtt = toWebVtt(transcript);
    expect(vtt.startsWith('WEBVTT\n\n')).toBe(true);
    const cues = vtt.split('\n\n').slice(1).filter(Boolean);
    expect(cues).toHaveLength(4);
    for (const cue of cues) expect(cue).toMatch(/^\d+\n\d{2}:\d{2}:\d{2}\.\d{3} --> \d{2}:\d{2}:\d{2}\.\d{3}\n<v [^>]+>[^<]*$/);
    expect(cues[2]).toContain('<v Bob>&lt;b&gt;&amp;');
    const srt = toSrt(transcript);
    expect(srt.split('\n\n')[0]).toBe('1\n00:00:00,000 --> 00:00:00,700\nAnn: Hello there.');
    expect(srt.trim().split('\n\n')).toHaveLength(4);
    expect(toText(transcript)).toBe('Ann: Hello there.\nAnn: Next\nBob: <b>&\nBob: later\n');
  });
});
