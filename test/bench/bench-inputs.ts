/**
 * The benchmarks' meeting: `demoMeeting(minutes)`'s audio tracks, generated once by the project's
 * own engine into `.cache/bench/inputs-<minutes>min-speech` and reused (four hours of Opus take
 * minutes to make, and making them is not what is measured). `-speech`: inputs made before the
 * demo meeting spoke (tone and beeps only) are not reused.
 */
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createNodeEngine } from '../../src/engine/node-engine.ts';
import { demoMeeting } from '../../src/demo/demo-meeting.ts';
import { writeSyntheticTracks } from '../../src/demo/synthetic-meeting.ts';

export const BENCH_ROOT = join(process.cwd(), '.cache', 'bench');

export const benchInputs = async (minutes: number) => {
  const inputDir = join(BENCH_ROOT, `inputs-${minutes}min-speech`);
  const tracks = demoMeeting(minutes).filter((t) => t.kind !== 'video-webm');
  await mkdir(inputDir, { recursive: true });
  const existing = new Set(await readdir(inputDir));
  if (!tracks.every((t) => existing.has(t.name))) {
    console.log(`generating ${tracks.length} × ${minutes} min tracks into ${inputDir} (cached for later runs) …`);
    const engine = await createNodeEngine();
    await writeSyntheticTracks(engine, tracks, inputDir);
    await engine.close();
  }
  return { inputDir, tracks, paths: tracks.map((t) => join(inputDir, t.name)) };
};
