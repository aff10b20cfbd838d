/**
 * Mixdown segments started before the last render ends. Four tracks on two pool slots rarely
 * finish together: on the benchmark meeting (three 15-minute tracks and a 9-minute one) one slot
 * sat idle for 0.9 s of the 7-second run, waiting for the other's last render before any segment
 * could start (npm run bench, "pool … idle"). A segment only needs every track up to its own end,
 * and a WAV render is written in meeting order as it goes, so a free slot can mix the first
 * stretches of the meeting while the last render is still writing the later ones.
 *
 * WAV renders on disk only (their byte offsets follow from the time; an Opus or FLAC file cannot
 * be cut at a known time while it grows). A segment starts when a slot is free (fewer unfinished
 * renders than the pool has slots) and every unfinished track's file already holds the segment's
 * end plus a second: the worker mounts each input at its size of that moment, so the segment reads
 * exactly what a later run would (ffmpeg's WAV muxer leaves the data size at 0xFFFFFFFF until the
 * end, which its demuxer reads as "up to the end of the file", libavformat/wavdec.c). Whatever goes
 * wrong here only costs time: a segment that fails is mixed again after the renders, and the
 * pipeline drops every early segment if a render fails (the mix then has other inputs).
 */
import type { MixdownSegment } from '../mix/mixdown-segments.ts';
import type { SegmentResult } from './types.ts';

/** The WAV header ffmpeg writes (RIFF, fmt, a LIST/INFO tag, data) is well under this. */
const HEADER_BYTES = 4096;
/** Past a segment's last sample, so the mix filters' look-ahead never meets the end of a growing file. */
const MARGIN_SEC = 1;
/** How often file sizes are looked at while a slot waits for a render to write far enough. */
const POLL_MS = 100;

export type EarlyMixdown = {
  /** Render `track` (an index into `trackPaths`) has ended; after one that failed nothing more starts. */
  renderEnded(track: number, ok: boolean): void;
  /** Stops starting segments; the ones started, by segment index (null: it failed and must be mixed again). */
  stop(): Map<number, Promise<SegmentResult | null>>;
};

export const startEarlyMixdown = (args: {
  /** The engine's pool slots (its concurrency). */
  slots: number;
  plan: readonly MixdownSegment[];
  /** Where each track's WAV render is being written, in the mixdown's input order. */
  trackPaths: readonly string[];
  renderRateHz: number;
  mixRateHz: number;
  sizeOf: (path: string) => Promise<number>;
  mix: (segment: MixdownSegment) => Promise<SegmentResult>;
}): EarlyMixdown => {
  const { slots, plan, trackPaths } = args;
  const ended = new Set<number>();
  const started = new Map<number, Promise<SegmentResult | null>>();
  let running = 0;
  let stopped = false;
  let checking = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  /** Bytes a track's file must hold before segment `s` may read it (mono s16). */
  const bytesNeeded = (s: MixdownSegment) =>
    HEADER_BYTES + 2 * Math.ceil((s.seekMs / 1000 + s.trimEndSample / args.mixRateHz + MARGIN_SEC) * args.renderRateHz);

  const check = async () => {
    timer = undefined;
    if (stopped || checking) return;
    const freeSlots = slots - (trackPaths.length - ended.size) - running;
    const next = plan.find((s) => !started.has(s.index));
    if (freeSlots <= 0 || !next) return;
    checking = true;
    try {
      const writing = trackPaths.filter((_, i) => !ended.has(i));
      const sizes = await Promise.all(writing.map((path) => args.sizeOf(path).catch(() => 0)));
      if (stopped) return;
      if (sizes.some((size) => size < bytesNeeded(next))) {
        // Never what keeps a process alive: a run that ends stops this anyway.
        timer = setTimeout(check, POLL_MS);
        if (typeof timer === 'object' && 'unref' in timer) timer.unref();
        return;
      }
      running++;
      started.set(
        next.index,
        args
          .mix(next)
          .then(
            (result) => result,
            () => null,
          )
          .finally(() => {
            running--;
            void check();
          }),
      );
    } finally {
      checking = false;
    }
    void check();
  };

  return {
    renderEnded: (track, ok) => {
      ended.add(track);
      if (!ok) stopped = true;
      void check();
    },
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      return started;
    },
  };
};
