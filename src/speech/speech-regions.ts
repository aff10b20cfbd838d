/**
 * Frames (speech-analyzer.ts) → speech regions, pure. An utterance is a run of voiced frames:
 * - voiced runs shorter than `MIN_RUN_FRAMES` (40 ms) are no evidence: a key click, smeared by
 *   the codec, can ring periodic for a few frames; a vowel lasts 50 ms and more;
 * - runs closer than `BRIDGE_MS` join (the unvoiced consonants and short pauses of one utterance:
 *   at 300 ms, "Let's start" split at its "st"), and a region needs `MIN_VOICED_FRAMES` (120 ms)
 *   in all — a "yes" has more, a 100 ms beep has less;
 * - each region widens over the VAD's adjacent candidate frames, up to `EXTEND_START_MS` before
 *   (an utterance that starts on a fricative) and `EXTEND_END_MS` after (a trailing consonant),
 *   plus `PAD_MS`.
 * Tuned on the demo meeting's crosstalk (1.40 s found, 1.34 s true; 0.87 s at 300/150/30 ms) and
 * held to the speech tests' recall, precision and onset bounds (test/speech/).
 * Times are those of the analysed PCM: meeting time for rendered tracks, which start at 0.
 */
import { CANDIDATE, SPEECH_FRAME_MS, VOICED } from './speech-analyzer.ts';

export type SpeechRegion = { startMs: number; endMs: number };

const MIN_RUN_FRAMES = 4;
const BRIDGE_MS = 450;
const MIN_VOICED_FRAMES = 12;
// Onsets widen less than ends: typing right before someone speaks is a candidate too, and an
// onset must stay within 150 ms of the truth (100 + 50 ms at worst); trailing consonants fade longer.
const EXTEND_START_MS = 100;
const EXTEND_END_MS = 200;
const PAD_MS = 50;

export const speechRegions = (flags: Uint8Array): SpeechRegion[] => {
  const n = flags.length;
  const frame = SPEECH_FRAME_MS;
  const runs: Array<[number, number]> = [];
  for (let i = 0; i < n; ) {
    if (!(flags[i]! & VOICED)) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && flags[j]! & VOICED) j++;
    if (j - i >= MIN_RUN_FRAMES) runs.push([i, j]);
    i = j;
  }
  const regions: Array<{ from: number; to: number; voiced: number }> = [];
  for (const [a, b] of runs) {
    const last = regions.at(-1);
    if (last && (a - last.to) * frame <= BRIDGE_MS) {
      last.to = b;
      last.voiced += b - a;
    } else regions.push({ from: a, to: b, voiced: b - a });
  }
  const out: SpeechRegion[] = [];
  const before = EXTEND_START_MS / frame;
  const after = EXTEND_END_MS / frame;
  for (const { from, to, voiced } of regions) {
    if (voiced < MIN_VOICED_FRAMES) continue;
    let start = from;
    let end = to;
    while (start > 0 && from - start < before && flags[start - 1]! & CANDIDATE) start--;
    while (end < n && end - to < after && flags[end]! & CANDIDATE) end++;
    const region = { startMs: Math.max(0, start * frame - PAD_MS), endMs: Math.min(n * frame, end * frame + PAD_MS) };
    const last = out.at(-1);
    if (last && region.startMs <= last.endMs) last.endMs = Math.max(last.endMs, region.endMs);
    else out.push(region);
  }
  return out;
};

/** Total length of regions that do not overlap. */
export const regionsMs = (regions: readonly SpeechRegion[]): number => regions.reduce((sum, r) => sum + (r.endMs - r.startMs), 0);
