/**
 * `writeSyntheticTracks` (src/demo/synthetic-meeting.ts) kept by content (media-cache.ts): each
 * track is made once, keyed by its spec, the generator and the speech clips it reads, and every
 * suite that asks for it gets its own copy. Suites that ask for the same track (the fixture
 * meeting's late joiner, say) share one synthesis per run, and none after the first run.
 */
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Engine } from '../../src/engine/engine.ts';
import { SPEECH_CLIPS_DIR, type SyntheticTrack, writeSyntheticTracks } from '../../src/demo/synthetic-meeting.ts';
import { cachedMedia, mediaKey } from './media-cache.ts';

const GENERATOR = new URL('../../src/demo/synthetic-meeting.ts', import.meta.url);

/** Copies of `tracks` in `dir`, made with `engine` where the cache has none; their paths, in order. */
export const syntheticTracks = (engine: Engine, tracks: readonly SyntheticTrack[], dir: string): Promise<string[]> =>
  Promise.all(
    tracks.map(async (track) => {
      const clips = (track.speech?.utterances ?? []).map((u) => new URL(u.clip, `file://${SPEECH_CLIPS_DIR}`));
      const cached = await cachedMedia(await mediaKey('synthetic-track', track, [GENERATOR, ...clips]), async (into) => {
        await writeSyntheticTracks(engine, [track], into);
      });
      const path = join(dir, track.name);
      await copyFile(join(cached, track.name), path);
      return path;
    }),
  );
