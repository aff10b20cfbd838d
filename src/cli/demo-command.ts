/**
 * `reflector-tracks demo [--out <dir>]`: the main job on embedded defaults, needing nothing but
 * this checkout. Synthesizes a Daily-style 4-participant meeting (late joiner, mutes, lost
 * packets, DTX, a camera track without audio) with the wasm engine, then processes it like real
 * recordings.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { numberOption, parseCommandArgs, type Command } from './command.ts';
import { endProgress, stderrProgress } from './progress.ts';

const help = `Usage: reflector-tracks demo [--out <dir>] [--minutes <n>] [--pipeline] [--port <n>]

Runs the product on embedded defaults (PGlite, local object storage; no services, no system
ffmpeg) and prints each step: starts the service, synthesizes a 4-participant Daily raw-tracks
meeting (default 2 minutes) into the local Daily bucket, sends the signed webhook, waits for
the transcript; then does the same for a Whereby MP4 through the S3-event queue (an in-process
SQS emulator). Files go under <dir> (default ./out/demo).

  --pipeline   only the media pipeline: synthesize the meeting into <dir>/inputs and process it
               into <dir>/result (tracks, mixdown.mp3, timeline.json), no service
  --port <n>   the demo server's port (default: any free port)
  --keep-running  keep the service up afterwards to browse the API and the inspector`;

export const demoCommand: Command = {
  name: 'demo',
  summary: 'run both ingestion flows on embedded defaults and show each step',
  help,
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      out: { type: 'string', short: 'o' },
      minutes: { type: 'string' },
      pipeline: { type: 'boolean' },
      port: { type: 'string' },
      'keep-running': { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
    });
    const dir = resolve(values.out ?? 'out/demo');
    const minutes = numberOption(values.minutes, 'minutes', 2, [0.5, 180]);
    await mkdir(join(dir, 'inputs'), { recursive: true });
    // The engine, the service and the pipeline load once the options are valid: `--help` and a usage error answer without them.
    const [{ createNodeEngine }, { writeSyntheticTracks }, { demoMeeting }, { runServiceDemo }, { processFiles }, { formatTimelineTable }] = await Promise.all([
      import('../engine/node-engine.ts'),
      import('../demo/synthetic-meeting.ts'),
      import('../demo/demo-meeting.ts'),
      import('../demo/service-demo.ts'),
      import('../pipeline/process-files.ts'),
      import('../timeline/format-table.ts'),
    ]);
    const engine = await createNodeEngine();
    try {
      if (!values.pipeline) {
        await runServiceDemo({
          dir,
          minutes,
          engine,
          port: numberOption(values.port, 'port', 0, [0, 65535]),
          keepRunning: values['keep-running'] ?? false,
          say: (line) => process.stdout.write(`${line}\n`),
        });
        return 0;
      }
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
