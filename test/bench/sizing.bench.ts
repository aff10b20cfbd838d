/**
 * `npm run bench:sizing`: how many 1-hour 4-track meetings one service process turns into
 * outputs per hour, at WORKER_CONCURRENCY 1 and 2 (jobs at once, sharing one engine pool of
 * ENGINE_WORKERS = all cores, as `serve`/`worker` run them). Each setting runs in a child
 * process of its own, so its peak RSS is its own.
 *
 * What is measured is a job's media work, the part that scales with the meeting: probe, renders,
 * speech, mixdown (`processFiles`, as src/processing/process-recording.ts calls it) on the
 * generated meeting of `npm run bench`. Downloads from and uploads to S3 and the database writes
 * come on top (seconds per job on a local network); transcription runs on its own API.
 *
 * Options: BENCH_MINUTES (60), BENCH_MEETINGS per setting (2), BENCH_FORMATS (opus,wav).
 */
import { execFileSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { createNodeEngine } from '../../src/engine/node-engine.ts';
import { BENCH_ROOT, benchInputs } from './bench-inputs.ts';
import { processFiles } from '../../src/pipeline/process-files.ts';
import type { TrackFormat } from '../../src/mix/track-format.ts';

const minutes = Number(process.env.BENCH_MINUTES ?? 60);
const meetings = Number(process.env.BENCH_MEETINGS ?? 2);
const root = BENCH_ROOT;

type Setting = { format: TrackFormat; concurrency: number };
type Measured = Setting & { wallSec: number; peakRssMb: number };

if (process.env.SIZING_CHILD) {
  // One setting: `meetings` jobs, at most `concurrency` at once, on one pool of all cores.
  const { format, concurrency } = JSON.parse(process.env.SIZING_CHILD) as Setting;
  const { paths } = await benchInputs(minutes);
  const engine = await createNodeEngine();
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < meetings) {
        const job = next++;
        const outDir = join(root, `sizing-${job}`);
        await processFiles(paths, { engine, outDir, trackFormat: format });
        await rm(outDir, { recursive: true, force: true });
      }
    }),
  );
  const wallSec = (performance.now() - started) / 1000;
  await engine.close();
  process.stdout.write(JSON.stringify({ format, concurrency, wallSec, peakRssMb: process.resourceUsage().maxRSS / 1024 } satisfies Measured));
} else {
  const { tracks } = await benchInputs(minutes);
  console.log(
    `sizing bench: ${meetings} meetings of ${tracks.length} × ${minutes} min per setting; ${availableParallelism()} × ${cpus()[0]?.model ?? '?'}, node ${process.version}`,
  );
  const formats = (process.env.BENCH_FORMATS ?? 'opus,wav').split(',') as TrackFormat[];
  for (const format of formats) {
    for (const concurrency of [1, 2]) {
      const out = execFileSync(process.execPath, [process.argv[1]!], {
        env: { ...process.env, SIZING_CHILD: JSON.stringify({ format, concurrency }) },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const m = JSON.parse(out) as Measured;
      const perHour = (meetings / m.wallSec) * 3600 * (minutes / 60);
      console.log(
        `  ${format.padEnd(4)} WORKER_CONCURRENCY=${concurrency}: ${meetings} meetings in ${m.wallSec.toFixed(0)} s → ` +
          `${perHour.toFixed(1)} one-hour 4-track meetings per hour; peak RSS ${m.peakRssMb.toFixed(0)} MB`,
      );
    }
  }
}
