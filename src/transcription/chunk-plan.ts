/**
 * What of a track goes to the transcriber, pure: its speech (src/speech/), each region widened by
 * `padMs`, regions closer than `joinGapMs` sent with the audio between them, then packed into
 * chunks of at most `maxChunkMs` of audio with `separatorMs` of silence between pieces. Chunks are
 * cut only at those separators — between utterances, never inside one — so no word can be heard
 * by two requests; pieces never overlap (padding stops at the previous piece). Only a single
 * speech region (no pause of 450 ms) longer than `maxChunkMs` makes a longer chunk, sent whole
 * (transcribers take long files: OpenAI up to 25 MB, 13 min of 16 kHz WAV).
 *
 * Every piece keeps where it sits in the chunk and on the meeting timeline, so a time the
 * transcriber reports maps back exactly (`chunkToMeetingMs`).
 */
import type { SpeechRegion } from '../speech/speech-regions.ts';

export type ChunkPiece = { meetingStartMs: number; meetingEndMs: number; chunkStartMs: number };
export type Chunk = { index: number; pieces: ChunkPiece[]; durationMs: number };

export type ChunkOptions = {
  /** Audio around each region, so a word's onset and release are heard (default 250 ms). */
  padMs?: number;
  /** Regions closer than this go as one piece with the pause between them (default 1000 ms). */
  joinGapMs?: number;
  /** Silence between pieces in a chunk (default 1000 ms): Whisper hears a pause, the stand-in a gap. */
  separatorMs?: number;
  /** Audio per request (default 60 s). */
  maxChunkMs?: number;
};

/** Where a track has audio, meeting time: its speech is clipped to it. */
export type TrackSpan = { offsetMs: number; endMs: number };

/**
 * `exclude`: stretches never sent (the track's bleed-only stretches: another participant's voice),
 * cut out of the padded and joined pieces.
 */
export const planChunks = (speech: readonly SpeechRegion[], track: TrackSpan, options: ChunkOptions = {}, exclude: readonly SpeechRegion[] = []): Chunk[] => {
  const padMs = options.padMs ?? 250;
  const joinGapMs = options.joinGapMs ?? 1000;
  const separatorMs = options.separatorMs ?? 1000;
  const maxChunkMs = options.maxChunkMs ?? 60_000;
  const stretches: SpeechRegion[] = [];
  for (const r of speech) {
    const startMs = Math.max(track.offsetMs, r.startMs - padMs);
    const endMs = Math.min(track.endMs, r.endMs + padMs);
    if (endMs <= startMs) continue;
    const last = stretches.at(-1);
    // Joined only while the piece fits a chunk: a talker who never pauses a second still gets
    // cut at their pauses (the VAD's, 450 ms and more), not sent as one endless request.
    if (last && startMs - last.endMs < joinGapMs && endMs - last.startMs <= maxChunkMs) last.endMs = Math.max(last.endMs, endMs);
    else stretches.push({ startMs: Math.max(startMs, last?.endMs ?? startMs), endMs });
  }
  const chunks: Chunk[] = [];
  for (const s of withoutRegions(stretches, exclude)) {
    const lengthMs = s.endMs - s.startMs;
    const current = chunks.at(-1);
    if (current && current.durationMs + separatorMs + lengthMs <= maxChunkMs) {
      current.pieces.push({ meetingStartMs: s.startMs, meetingEndMs: s.endMs, chunkStartMs: current.durationMs + separatorMs });
      current.durationMs += separatorMs + lengthMs;
    } else {
      chunks.push({ index: chunks.length, pieces: [{ meetingStartMs: s.startMs, meetingEndMs: s.endMs, chunkStartMs: 0 }], durationMs: lengthMs });
    }
  }
  return chunks;
};

/**
 * A time in the chunk's audio → meeting time. Inside a piece it is exact; in a separator (a
 * transcriber's loose word edge) it snaps to the nearer piece edge.
 */
export const chunkToMeetingMs = (chunk: Chunk, chunkMs: number): number => {
  const { pieces } = chunk;
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i]!;
    const lengthMs = p.meetingEndMs - p.meetingStartMs;
    if (chunkMs < p.chunkStartMs) {
      const previous = pieces[i - 1];
      if (!previous) return p.meetingStartMs;
      const previousEnd = previous.chunkStartMs + (previous.meetingEndMs - previous.meetingStartMs);
      return chunkMs - previousEnd < p.chunkStartMs - chunkMs ? previous.meetingEndMs : p.meetingStartMs;
    }
    if (chunkMs <= p.chunkStartMs + lengthMs) return p.meetingStartMs + (chunkMs - p.chunkStartMs);
  }
  return pieces.at(-1)!.meetingEndMs;
};

/** `regions` less `exclude` (both sorted, not overlapping among themselves). */
const withoutRegions = (regions: readonly SpeechRegion[], exclude: readonly SpeechRegion[]): SpeechRegion[] =>
  exclude.length === 0
    ? [...regions]
    : regions.flatMap((r) => {
        let pieces: SpeechRegion[] = [r];
        for (const x of exclude) {
          pieces = pieces.flatMap((p) =>
            x.endMs <= p.startMs || x.startMs >= p.endMs
              ? [p]
              : [
                  ...(x.startMs > p.startMs ? [{ startMs: p.startMs, endMs: x.startMs }] : []),
                  ...(x.endMs < p.endMs ? [{ startMs: x.endMs, endMs: p.endMs }] : []),
                ],
          );
        }
        return pieces;
      });
