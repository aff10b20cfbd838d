/**
 * How a render fills a track's long silences with bounded memory. Pure arithmetic.
 *
 * `aresample=async=1` fills a hole by injecting its whole length of silence into the resampler's
 * input buffer, which then comes out as one frame (libswresample/swresample.c: swr_inject_silence
 * converts with no output buffer, so everything waits in `in_buffer`). The wasm heap grows to
 * several times the longest hole and never shrinks: a 6-minute mute took a render's heap from
 * 32 MB to 270 MB (measured), a late joiner at minute 40 would take ~1.8 GB. So holes of
 * `longGapMs` or more — the stretch before a late joiner's first packet, and long mutes — are
 * not left to the resampler: the track is cut inside them into audio pieces, and the hole is a
 * silence source of bounded frames between the pieces (`concat`). Each piece still starts
 * `marginMs` before its first packet and ends `marginMs` after its last, so the resampler only
 * ever fills short holes, and every cut falls where no packet is.
 *
 * All positions are samples of the output rate, counted from meeting time 0; pieces and silences
 * tile [0, end) exactly, so concatenating them places every sample where the single-filter
 * render puts it.
 */
import type { Gap } from '../probe/packet-timeline.ts';

export type FillSegment = { kind: 'audio'; startSample: number; endSample: number; startMs: number; endMs: number } | { kind: 'silence'; samples: number };

/** Holes at least this long are cut out of the resampler's reach. */
export const LONG_GAP_MS = 10_000;
/** Audio pieces reach this far into a long hole on either side. */
export const FILL_MARGIN_MS = 1_000;

export type FillOptions = { longGapMs?: number; marginMs?: number };

/**
 * The pieces of a track whose first audible sample is at `offsetMs` and whose audio ends at
 * `endMs`, given the holes between its packets (`gaps`, meeting time). A single audio piece from
 * 0 means the plain one-filter render serves.
 */
export const planFill = (track: { offsetMs: number; endMs: number }, gaps: readonly Gap[], sampleRateHz: number, options: FillOptions = {}): FillSegment[] => {
  const longMs = options.longGapMs ?? LONG_GAP_MS;
  const marginMs = options.marginMs ?? FILL_MARGIN_MS;
  const sample = (ms: number) => Math.round((ms * sampleRateHz) / 1000);
  const holes = [{ startMs: 0, endMs: track.offsetMs }, ...gaps]
    .filter((g) => g.endMs - g.startMs >= Math.max(longMs, 2 * marginMs + 1) && g.endMs <= track.endMs)
    .sort((a, b) => a.startMs - b.startMs);
  const segments: FillSegment[] = [];
  let cursorMs = 0;
  for (const hole of holes) {
    // The first piece starts at 0 only if the track does; a hole at 0 is all silence up to its margin.
    const silenceFromMs = hole.startMs === 0 ? 0 : hole.startMs + marginMs;
    const silenceToMs = hole.endMs - marginMs;
    if (silenceFromMs < cursorMs) continue; // overlaps the previous hole's cut: leave it to the resampler
    if (silenceFromMs > cursorMs) segments.push(audio(cursorMs, silenceFromMs, sample));
    segments.push({ kind: 'silence', samples: sample(silenceToMs) - sample(silenceFromMs) });
    cursorMs = silenceToMs;
  }
  segments.push(audio(cursorMs, track.endMs, sample));
  return segments;
};

const audio = (startMs: number, endMs: number, sample: (ms: number) => number): FillSegment => ({
  kind: 'audio',
  startSample: sample(startMs),
  endSample: sample(endMs),
  startMs,
  endMs,
});
