/**
 * `reflector-tracks demo [--out <dir>]`: the main job on embedded defaults, needing nothing but
 * this checkout. Synthesizes a Daily-style 4-participant meeting (late joiner, mutes, lost
 * packets, DTX, a camera track without audio) with the wasm engine, then processes it like real
 * recordings.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createNodeEngine } from '../engine/node-engine.ts';
import { dailyName, writeSyntheticTracks, type SyntheticTrack } from '../demo/synthetic-meeting.ts';
import { processFiles } from '../pipeline/process-files.ts';
import { formatTimelineTable } from '../timeline/format-table.ts';
import { numberOption, parseCommandArgs, type Command } from './command.ts';
import { endProgress, stderrProgress } from './progress.ts';

const help = `Usage: reflector-tracks demo [--out <dir>] [--minutes <n>]

Synthesizes a 4-participant Daily raw-tracks meeting (default 2 minutes) into <dir>/inputs and
processes it into <dir>/result (default dir: ./out/demo). Needs no network and no system ffmpeg.`;

const ids = ['a11ce000-0000-4000-8000-000000000001', 'b0b00000-0000-4000-8000-000000000002', 'ca201000-0000-4000-8000-000000000003', 'da900000-0000-4000-8000-000000000004'];

/** A meeting of `minutes`: offsets, mutes, lost packets and DTX scaled to its length. */
export const demoMeeting = (minutes: number): SyntheticTrack[] => {
  const end = minutes * 60;
  const at = (fraction: number) => Math.round(end * fraction * 100) / 100;
  return [
    { name: dailyName(ids[0]!, 'cam-audio', 0), startSec: 0, endSec: end, mutesSec: [[at(0.2), at(0.3)]], beepsSec: [at(0.1), at(0.9)], toneHz: 220 },
    { name: dailyName(ids[1]!, 'cam-audio', 8.13), startSec: 8.13, endSec: end, mutesSec: [[at(0.5), at(0.55)]], lostPacketsSec: [at(0.4), at(0.41), at(0.6)], beepsSec: [at(0.35)], toneHz: 330 },
    { name: dailyName(ids[2]!, 'cam-audio', 3.5), startSec: 3.5, endSec: at(0.7), dtxSec: [[at(0.3), at(0.4)]], beepsSec: [at(0.45)], toneHz: 440 },
    { name: dailyName(ids[3]!, 'cam-audio', 20), startSec: 20, endSec: at(0.95), beepsSec: [at(0.8)], toneHz: 550 },
    { name: dailyName(ids[3]!, 'cam-video', 20), kind: 'video-webm', startSec: 0, endSec: 2 },
  ];
};

export const demoCommand: Command = {
  name: 'demo',
  summary: 'synthesize a Daily-style meeting and process it (no setup needed)',
  help,
  async run(argv) {
    const { values } = parseCommandArgs(argv, { out: { type: 'string', short: 'o' }, minutes: { type: 'string' }, quiet: { type: 'boolean', short: 'q' } });
    const dir = resolve(values.out ?? 'out/demo');
    const minutes = numberOption(values.minutes, 'minutes', 2, [0.5, 180]);
    await mkdir(join(dir, 'inputs'), { recursive: true });
    const engine = await createNodeEngine();
    try {
      process.stderr.write(`synthesizing a ${minutes}-minute meeting into ${join(dir, 'inputs')}\n`);
      const paths = await writeSyntheticTracks(engine, demoMeeting(minutes), join(dir, 'inputs'));
      const result = await processFiles(paths, { engine, outDir: join(dir, 'result'), onProgress: stderrProgress(values.quiet ?? false) });
      endProgress();
      process.stdout.write(`${formatTimelineTable(result.timeline)}\n\nwrote ${join(dir, 'result')}/{tracks/,mixdown.mp3,timeline.json}\n`);
      return 0;
    } finally {
      await engine.close();
    }
  },
};
