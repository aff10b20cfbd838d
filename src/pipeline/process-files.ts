/**
 * The pipeline over files on disk (the `process` command, the jobs): sources are read in place
 * through WORKERFS, outputs are written straight to `<outDir>/tracks/…` and
 * `<outDir>/mixdown.mp3` by the workers, and `<outDir>/timeline.json` is written last.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Engine } from '../engine/engine.ts';
import { probeFile } from '../probe/probe-file.ts';
import type { Timeline } from '../timeline/types.ts';
import { runPipeline, type PipelineOptions, type PipelineResult } from './run-pipeline.ts';

export type ProcessFilesOptions = Omit<PipelineOptions, 'trackOutput' | 'mixdownOutput' | 'engine'> & {
  engine: Engine;
  outDir: string;
};

export type ProcessFilesResult = PipelineResult & { timelinePath: string; mixdownPath: string };

export const processFiles = async (paths: readonly string[], options: ProcessFilesOptions): Promise<ProcessFilesResult> => {
  const outDir = resolve(options.outDir);
  await mkdir(join(outDir, 'tracks'), { recursive: true });
  const inputs = paths.map((path) => {
    const file = basename(path);
    return { file, source: { name: file, path: resolve(path) }, probe: () => probeFile(file, path, { gapThresholdMs: options.gapThresholdMs }) };
  });
  const result = await runPipeline(inputs, {
    ...options,
    trackOutput: (output) => ({ name: output, path: join(outDir, output) }),
    mixdownOutput: (output) => ({ name: output, path: join(outDir, output) }),
  });
  const timelinePath = join(outDir, 'timeline.json');
  await writeJsonAtomic(timelinePath, result.timeline);
  return { ...result, timelinePath, mixdownPath: join(outDir, 'mixdown.mp3') };
};

/** Written beside and renamed, so a reader never sees half a timeline. */
export const writeJsonAtomic = async (path: string, value: Timeline | unknown): Promise<void> => {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(value, null, 2)}\n`);
  await rename(temp, path);
};
