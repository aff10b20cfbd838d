/**
 * The pipeline over files on disk (the `process` command, the jobs): sources are read in place
 * through WORKERFS, outputs are written straight to `<outDir>/tracks/…` and
 * `<outDir>/mixdown.mp3` by the workers, and `<outDir>/timeline.json` is written last. The paths
 * are media only: Daily's event JSON comes as the `events` option, parsed (the CLI sorts dropped
 * files with input-files.ts, the jobs pass the log they found in the recording's folder).
 */
import { mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Engine, RunOutput } from '../engine/engine.ts';
import { joinMp3Segments } from '../mix/join-mp3.ts';
import { fileByteReader } from '../probe/file-byte-reader.ts';
import { TracksError } from '../errors.ts';
import { probeFile } from '../probe/probe-file.ts';
import { probeInputs } from './probe-inputs.ts';
import { unreadableReason } from './input-files.ts';
import { buildTimeline, type TimelineOptions } from '../timeline/build-timeline.ts';
import type { Timeline } from '../timeline/types.ts';
import { runPipeline } from './run-pipeline.ts';
import type { PipelineOptions, PipelineResult } from './types.ts';
import { nodeCopyIo } from './copy-io-node.ts';

export type ProcessFilesOptions = Omit<PipelineOptions, 'trackOutput' | 'mixInputOutput' | 'mixdownSegmentOutput' | 'joinMixdown' | 'engine'> & {
  engine: Engine;
  outDir: string;
};

export type ProcessFilesResult = PipelineResult & { timelinePath: string; mixdownPath: string };

const fileInputs = (paths: readonly string[], options: TimelineOptions) =>
  paths.map((path) => {
    const file = basename(path);
    const probe = async () => {
      // A missing or unreadable input is skipped with a plain reason, like any bad track.
      const reason = await unreadableReason(path);
      if (reason) throw new TracksError('MEDIA_UNREADABLE', `${reason} (${path})`, { data: { file } });
      return probeFile(file, path, { gapThresholdMs: options.gapThresholdMs });
    };
    return { file, source: { name: file, path: resolve(path) }, probe };
  });

/** The timeline alone: probes only, no decoding (the `inspect` command); `paths` are media, the event log comes in `options.events`. */
export const inspectFiles = async (paths: readonly string[], options: TimelineOptions = {}): Promise<Timeline> =>
  buildTimeline(await probeInputs(fileInputs(paths, options)), options);

export const processFiles = async (paths: readonly string[], options: ProcessFilesOptions): Promise<ProcessFilesResult> => {
  const outDir = resolve(options.outDir);
  await mkdir(join(outDir, 'tracks'), { recursive: true });
  const inputs = fileInputs(paths, options);
  const timelinePath = join(outDir, 'timeline.json');
  // Copied renders decoded once for the speech analyzer and the mixdown (run-pipeline.ts); removed after the run.
  const mixInputs = new Set<string>();
  let result: PipelineResult;
  try {
    result = await runPipeline(inputs, {
      ...options,
      copyIo: nodeCopyIo,
      trackOutput: (output) => ({ name: output, path: join(outDir, output) }),
      mixInputOutput: (index) => {
        const path = join(outDir, `.mix-input-${index}.wav`);
        mixInputs.add(path);
        return { name: `mix${index}.wav`, path };
      },
      mixdownSegmentOutput: (index) => ({ name: `mixdown-${index}.mp3`, path: join(outDir, `.mixdown-${index}.mp3`) }),
      joinMixdown: (segments) => joinSegmentFiles(segments, join(outDir, 'mixdown.mp3')),
      writePeaks: (name, bytes) => writeFile(join(outDir, name), bytes),
      fileSize: options.fileSize ?? (async (path) => (await stat(path)).size),
    });
  } catch (error) {
    // A failed run still leaves its timeline (what was skipped and why) for whoever looks next.
    const timeline = TracksError.isError(error) ? (error.data.timeline as Timeline | undefined) : undefined;
    if (timeline) await writeJsonAtomic(timelinePath, timeline);
    throw error;
  } finally {
    await Promise.all([...mixInputs].map((path) => rm(path, { force: true })));
  }
  await writeJsonAtomic(timelinePath, result.timeline);
  return { ...result, timelinePath, mixdownPath: join(outDir, 'mixdown.mp3') };
};

/** Joins segment files into `path` (streamed, then renamed into place) and removes them. */
const joinSegmentFiles = async (segments: Array<{ output: RunOutput; firstFrame: number; frameCount: number }>, path: string): Promise<RunOutput> => {
  const temp = `${path}.${process.pid}.tmp`;
  const out = await open(temp, 'w');
  const handles = await Promise.all(segments.map((s) => open(s.output.path!, 'r')));
  try {
    const readers = await Promise.all(handles.map(async (h) => fileByteReader(h, (await h.stat()).size)));
    const sizeBytes = await joinMp3Segments(
      segments.map((s, i) => ({ reader: readers[i]!, firstFrame: s.firstFrame, frameCount: s.frameCount })),
      async (bytes) => void (await out.write(bytes)),
    );
    await out.close();
    await rename(temp, path);
    return { name: 'mixdown.mp3', sizeBytes, path };
  } finally {
    await Promise.all(handles.map((h) => h.close()));
    await out.close().catch(() => {});
    await Promise.all([temp, ...segments.map((s) => s.output.path!)].map((p) => rm(p, { force: true })));
  }
};

/** Written beside and renamed, so a reader never sees half a timeline. */
const writeJsonAtomic = async (path: string, value: Timeline | unknown): Promise<void> => {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(value, null, 2)}\n`);
  await rename(temp, path);
};
