/**
 * A stored recording's waveforms: each rendered track's peaks file, fetched through the
 * recording's signed link (`GET /v1/recordings/:id/tracks/:trackId/peaks`), parsed and drawn;
 * no audio is downloaded or decoded. Resolves to the number of tracks drawn, once all are in
 * (`#timeline[data-peaks-drawn]` says so too, with the time it took).
 */
import type { ServedTimeline } from '../../src/server/served-timeline.ts';
import { peaksFromFile } from './waveform.ts';
import type { TimelineView } from './view.ts';

export const loadStoredPeaks = async (timeline: ServedTimeline, peaksUrl: (trackId: string) => URL, view: TimelineView): Promise<number> => {
  const started = performance.now();
  const tracks = timeline.tracks.filter((t) => t.trackId && t.peaks);
  const drawn = await Promise.all(
    tracks.map(async (track) => {
      const response = await fetch(peaksUrl(track.trackId!));
      if (!response.ok) return 0;
      view.setPeaks(track.file, peaksFromFile(new Uint8Array(await response.arrayBuffer())));
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
