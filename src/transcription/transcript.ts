/**
 * The meeting transcript, pure: every track's heard words on the meeting timeline with their
 * speaker, sorted by start, and segments — a speaker's consecutive words up to a sentence end, a
 * change of speaker or a pause over `SEGMENT_PAUSE_MS`.
 */
export type TranscriptWord = { text: string; startMs: number; endMs: number; speaker: string; participantId: string | null; file: string };
export type TranscriptSegment = { speaker: string; participantId: string | null; startMs: number; endMs: number; text: string };
export type Transcript = {
  language: string | null;
  durationMs: number;
  words: TranscriptWord[];
  segments: TranscriptSegment[];
  /** Words heard inside their track's bleed-only stretches (another participant's voice), dropped. */
  droppedBleedWords: number;
};

export const SEGMENT_PAUSE_MS = 1500;
const SENTENCE_END = /[.!?…]["')\]]*$/;

export const buildTranscript = (words: readonly TranscriptWord[], durationMs: number, language: string | null, droppedBleedWords = 0): Transcript => {
  const sorted = [...words].sort((a, b) => a.startMs - b.startMs || a.file.localeCompare(b.file));
  const segments: Array<TranscriptSegment & { ended: boolean }> = [];
  let open: (TranscriptSegment & { ended: boolean }) | null = null;
  for (const w of sorted) {
    if (open && !open.ended && open.speaker === w.speaker && open.participantId === w.participantId && w.startMs - open.endMs <= SEGMENT_PAUSE_MS) {
      open.text += ` ${w.text}`;
      open.endMs = Math.max(open.endMs, w.endMs);
    } else {
      open = { speaker: w.speaker, participantId: w.participantId, startMs: w.startMs, endMs: w.endMs, text: w.text, ended: false };
      segments.push(open);
    }
    open.ended = SENTENCE_END.test(w.text);
  }
  return { language, durationMs, words: sorted, segments: segments.map(({ ended: _, ...s }) => s), droppedBleedWords };
};
