/**
 * A stored recording's waveforms, through the recording's signed link (`GET
 * /v1/recordings/:id/tracks/:trackId/peaks`): first each track reduced to `WHOLE_POINTS` points
 * (`?points=`, a few kB, what a fitted view draws), then, as the view zooms in closer than that,
 * the file's own points for the span in view, fetched by byte ranges in chunks and kept. No
 * audio is downloaded or decoded. Resolves to the number of tracks drawn, once all are in
 * (`#timeline[data-peaks-drawn]` says so too, with the time it took).
 *
 * Why: the ten full files of a 3-hour, 10-participant recording are 21.6 MB, and fetching them was
 * most of the time to a drawn page (`npm run bench:inspector -- --profile`).
 */
import { PEAKS_POINTS_PER_SECOND } from '../../src/mix/peaks.ts';
import type { ServedTimeline } from '../../src/server/served-timeline.ts';
import { levelsOf, type Peaks, type Resolution, wholeResolution } from './waveform.ts';
import type { TimelineView } from './view.ts';

/** Points of the whole-track reduction: two per device pixel of a 4K-wide lane. */
const WHOLE_POINTS = 8192;
/** Fine points per byte-range request: 64 Ki points, 11 minutes at 100 a second, 128 kB. */
const CHUNK_POINTS = 1 << 16;
/** The version-2 header before the points (src/mix/peaks.ts). */
const HEADER_BYTES = 24;

/** The file's own points, chunk by chunk as they are asked for. */
const rangedResolution = (url: URL, onLoaded: () => void): Resolution & { want(fromPoint: number, toPoint: number): void } => {
  const chunks = new Map<number, Float32Array | 'loading'>();
  let wanted: [number, number] | null = null;
  const load = async (c: number) => {
    chunks.set(c, 'loading');
    const first = HEADER_BYTES + 2 * c * CHUNK_POINTS;
    const response = await fetch(url, { headers: { range: `bytes=${first}-${first + 2 * CHUNK_POINTS - 1}` } }).catch(() => null);
    // 416: past the track's end, no points there.
    const bytes = response?.status === 206 ? new Int8Array(await response.arrayBuffer()) : new Int8Array(0);
    if (response && response.status !== 206 && response.status !== 416) return void chunks.delete(c);
    const levels = new Float32Array(bytes.length >> 1);
    for (let i = 0; i < levels.length; i++) levels[i] = Math.max(-bytes[2 * i]!, bytes[2 * i + 1]!) / 128;
    chunks.set(c, levels);
    onLoaded();
  };
  return {
    msPerPoint: 1000 / PEAKS_POINTS_PER_SECOND,
    peak(from, to) {
      let peak = 0;
      for (let i = Math.max(0, from); i < to; ) {
        const chunk = chunks.get(Math.floor(i / CHUNK_POINTS));
        if (!(chunk instanceof Float32Array)) return null;
        const base = Math.floor(i / CHUNK_POINTS) * CHUNK_POINTS;
        const end = Math.min(to, base + CHUNK_POINTS);
        for (let j = i - base; j < end - base && j < chunk.length; j++) if (chunk[j]! > peak) peak = chunk[j]!;
        i = end;
      }
      return peak;
    },
    // The span of the last draw before the next frame: a burst of zoom steps fetches the chunks of where it ends only.
    want(fromPoint, toPoint) {
      const scheduled = wanted !== null;
      wanted = [fromPoint, toPoint];
      if (scheduled) return;
      requestAnimationFrame(() => {
        const [from, to] = wanted!;
        wanted = null;
        for (let c = Math.floor(Math.max(0, from) / CHUNK_POINTS); c * CHUNK_POINTS < to; c++) if (!chunks.has(c)) void load(c);
      });
    },
  };
};

export const loadStoredPeaks = async (timeline: ServedTimeline, peaksUrl: (trackId: string) => URL, view: TimelineView): Promise<number> => {
  const started = performance.now();
  const tracks = timeline.tracks.filter((t) => t.trackId && t.peaks);
  const drawn = await Promise.all(
    tracks.map(async (track) => {
      const url = peaksUrl(track.trackId!);
      const whole = new URL(url);
      whole.searchParams.set('points', String(WHOLE_POINTS));
      const response = await fetch(whole);
      if (!response.ok) return 0;
      const reduced = levelsOf(new Uint8Array(await response.arrayBuffer()));
      const coarse = wholeResolution(reduced.msPerPoint, reduced.levels);
      const fine = rangedResolution(url, () => view.setPeaks(track.file, peaks));
      // A short track comes whole: nothing finer to fetch.
      const peaks: Peaks = reduced.msPerPoint <= fine.msPerPoint ? { coarse, fine: coarse } : { coarse, fine };
      if (peaks.fine === fine) peaks.want = (fromMs, toMs) => fine.want(Math.floor(fromMs / fine.msPerPoint), Math.ceil(toMs / fine.msPerPoint));
      view.setPeaks(track.file, peaks);
      return 1;
    }),
  );
  const count = drawn.reduce<number>((n, d) => n + d, 0);
  // After the frame that draws them.
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  performance.mark('peaks-drawn');
  const box = document.getElementById('timeline');
  if (box) {
    box.dataset.peaksDrawn = String(count);
    box.dataset.peaksDrawMs = String(Math.round(performance.now() - started));
  }
  return count;
};
