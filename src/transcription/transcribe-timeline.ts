/**
 * Transcribes a processed meeting: every track's speech (never the mixdown) in chunks
 * (chunk-plan.ts) through the transcriber, each heard word mapped back to meeting time and named
 * after its speaker, all merged into one transcript. Chunks are cut from 16 kHz PCM: a WAV render
 * in place, any other render decoded once into `workDir` (on the engine's pool).
 *
 * All or nothing: a chunk that fails after the transcriber's retries fails the transcription
 * (a transcript missing one speaker's words would read as if they said nothing).
 */
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Engine } from '../engine/engine.ts';
import { logTail } from '../engine/log-tail.ts';
import { TracksError } from '../errors.ts';
import type { Timeline, TimelineTrack } from '../timeline/types.ts';
import { allOrNone } from './all-or-none.ts';
import { parseTranscriptionAnswer } from './answer.ts';
import { CHUNK_SAMPLE_RATE_HZ, chunkWav, wavChunkSource } from './chunk-audio.ts';
import { type ChunkOptions, chunkToMeetingMs, planChunks } from './chunk-plan.ts';
import { buildTranscript, type Transcript, type TranscriptWord } from './transcript.ts';
import type { Transcriber } from './transcriber.ts';

export type TranscribeOptions = {
  engine: Engine;
  transcriber: Transcriber;
  /** A processed timeline: tracks with `speech` and `output`. */
  timeline: Timeline;
  /** The rendered track of a timeline track, on disk. */
  renderedPath: (track: TimelineTrack) => string;
  /** The name a track's words carry. */
  speakerOf: (track: TimelineTrack) => string;
  workDir: string;
  chunks?: ChunkOptions;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
};

export type TranscriptionStats = { requests: number; audioSentMs: number; tracksMs: number; droppedBleedWords: number };

export const transcribeTimeline = async (options: TranscribeOptions): Promise<{ transcript: Transcript; stats: TranscriptionStats }> => {
  const { engine, transcriber, timeline, signal } = options;
  const unanalysed = timeline.tracks.find((t) => t.speech === null);
  if (unanalysed) throw new TracksError('USAGE', `${unanalysed.file} has no speech analysis; transcribe a processed timeline, not an inspected one.`);
  // Bleed-only stretches (another participant's voice on this mic) are never sent.
  const plans = timeline.tracks
    .map((track) => ({ track, chunks: planChunks(track.speech!, track, options.chunks, track.bleed ?? []) }))
    .filter((p) => p.chunks.length > 0);
  const total = plans.reduce((n, p) => n + p.chunks.length, 0);
  const stats: TranscriptionStats = { requests: 0, audioSentMs: 0, tracksMs: timeline.tracks.reduce((sum, t) => sum + t.durationMs, 0), droppedBleedWords: 0 };
  const languages: string[] = [];
  let done = 0;
  options.onProgress?.(0, total);
  const words = await allOrNone(plans, signal, async ({ track, chunks }, i, trackSignal) => {
    // A 16 kHz WAV render is read in place; anything else is decoded once to 16 kHz PCM on disk.
    const rendered = await open(options.renderedPath(track), 'r');
    const dataOffset = await wavChunkSource(rendered).catch(async (error) => {
      await rendered.close();
      throw error;
    });
    const pcmPath = dataOffset === null ? join(options.workDir, `transcribe-${i}.pcm`) : null;
    if (pcmPath) {
      await rendered.close();
      const decoded = await engine.run({
        args: ['-loglevel', 'error', '-i', 'track', '-ac', '1', '-ar', String(CHUNK_SAMPLE_RATE_HZ), '-c:a', 'pcm_s16le', '-f', 's16le', 'track.pcm'],
        inputs: [{ name: 'track', path: options.renderedPath(track) }],
        outputs: [{ name: 'track.pcm', path: pcmPath }],
        signal: trackSignal,
      });
      if (decoded.exitCode !== 0)
        throw new TracksError('MEDIA_UNREADABLE', `${track.file}: the rendered track could not be decoded (${logTail(decoded.log)}).`);
    }
    const pcm = pcmPath ? await open(pcmPath, 'r') : rendered;
    try {
      const speaker = options.speakerOf(track);
      const perChunk = await allOrNone(chunks, trackSignal, async (chunk, _, chunkSignal) => {
        const wav = await chunkWav(pcm, chunk, dataOffset ?? 0);
        const answer = await transcriber.transcribe(wav, `${track.file}.${chunk.index}.wav`, chunkSignal);
        stats.requests++;
        stats.audioSentMs += chunk.durationMs;
        options.onProgress?.(++done, total);
        const heard = parseTranscriptionAnswer(answer);
        if (heard.language) languages.push(heard.language);
        return heard.words.map((w): TranscriptWord => {
          const startMs = Math.round(chunkToMeetingMs(chunk, w.startSec * 1000));
          return {
            text: w.text,
            startMs,
            endMs: Math.max(startMs, Math.round(chunkToMeetingMs(chunk, w.endSec * 1000))),
            speaker,
            participantId: track.participantId,
            file: track.file,
          };
        });
      });
      // A word inside the track's bleed-only stretch is another participant's (heard at a chunk's edge): dropped and counted.
      const heard = perChunk.flat();
      const kept = heard.filter((w) => !inBleed(track, w));
      stats.droppedBleedWords += heard.length - kept.length;
      return kept;
    } finally {
      await pcm.close();
      if (pcmPath) await rm(pcmPath, { force: true });
    }
  });
  return { transcript: buildTranscript(words.flat(), timeline.durationMs, mostCommon(languages), stats.droppedBleedWords), stats };
};

/** The word's middle lies in one of the track's bleed-only stretches (a word over bleed lies in the owner's speech instead). */
const inBleed = (track: TimelineTrack, word: TranscriptWord) => {
  const middleMs = (word.startMs + word.endMs) / 2;
  return (track.bleed ?? []).some((b) => middleMs >= b.startMs && middleMs < b.endMs);
};

const mostCommon = (values: readonly string[]): string | null => {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
};
