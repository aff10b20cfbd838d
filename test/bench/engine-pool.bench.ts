/**
 * `npm run bench:engine`: throughput of the worker pool on a realistic job, 1 worker vs all cores.
 * Job = decode a 10-minute Opus/WebM speech-like track and re-encode it (Opus → MP3 64 kbps mono),
 * the CPU-heavy kind of work the pipeline does per track. Prints jobs/minute and the speed-up.
 *
 * Options: BENCH_JOBS (jobs per round, default 2 × cores), BENCH_TRACK_SEC (default 600).
 */
import { availableParallelism } from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNodeEngine, type NodeEngine } from '../../src/engine/node-engine.ts';
import { loadNodeCoreAssets } from '../../wasm/node-core-assets.ts';

const cores = availableParallelism();
const jobs = Number(process.env.BENCH_JOBS ?? 2 * cores);
const trackSec = Number(process.env.BENCH_TRACK_SEC ?? 600);
const dir = await mkdtemp(join(tmpdir(), 'rt-bench-engine-'));
const track = join(dir, 'track.webm');
const assets = await loadNodeCoreAssets();

// A speech-like source: pink noise shaped into 1.5 s bursts, as Opus voip at 32 kbps (Daily-like).
{
  const engine = await createNodeEngine({ workers: 1, assets });
  const made = await engine.run({
    args: [
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      `anoisesrc=c=pink:a=0.3:r=48000:d=${trackSec}`,
      '-af',
      "volume='if(lt(mod(t,3),1.5),1,0.05)':eval=frame",
      '-ac',
      '1',
      '-c:a',
      'libopus',
      '-b:a',
      '32k',
      '-application',
      'voip',
      'track.webm',
    ],
    outputs: [{ name: 'track.webm', path: track }],
  });
  await engine.close();
  if (made.exitCode !== 0) throw new Error(`could not generate the bench track:\n${made.log.join('\n')}`);
}

const round = async (workers: number) => {
  const startMs = performance.now();
  const engine: NodeEngine = await createNodeEngine({ workers, assets });
  const startupMs = performance.now() - startMs;
  const t0 = performance.now();
  const results = await Promise.all(
    Array.from({ length: jobs }, () =>
      engine.run({
        args: ['-loglevel', 'error', '-i', 'in.webm', '-ac', '1', '-c:a', 'libmp3lame', '-b:a', '64k', 'out.mp3'],
        inputs: [{ name: 'in.webm', path: track }],
        outputs: [{ name: 'out.mp3' }],
      }),
    ),
  );
  const wallSec = (performance.now() - t0) / 1000;
  await engine.close();
  if (results.some((r) => r.exitCode !== 0)) throw new Error('a bench job failed');
  return { workers, startupMs, wallSec, jobsPerMin: (jobs / wallSec) * 60, realtime: (jobs * trackSec) / wallSec };
};

console.log(`engine pool bench: ${jobs} jobs of decode+re-encode (${trackSec} s Opus → MP3 64k), ${cores} cores, node ${process.version}`);
const one = await round(1);
const all = await round(cores);
for (const r of [one, all]) {
  console.log(
    `  ${r.workers} worker(s): wall ${r.wallSec.toFixed(2)} s, ${r.jobsPerMin.toFixed(2)} jobs/min, ` +
      `${r.realtime.toFixed(0)}× realtime, pool start ${r.startupMs.toFixed(0)} ms`,
  );
}
console.log(`  speed-up ${cores} vs 1 worker: ${(all.jobsPerMin / one.jobsPerMin).toFixed(2)}×`);
console.log(`  peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
await rm(dir, { recursive: true, force: true });
