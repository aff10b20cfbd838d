// Run by hermetic.test.ts with PATH=<a directory holding only node>; prints a JSON report.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { createNodeEngine } from '../../src/engine/node-engine.ts';
import { readWav } from '../helpers/wav.ts';

// Looked up, never run: is there any `ffmpeg` or `ffprobe` in a PATH directory?
const pathHasFfmpeg = (process.env.PATH ?? '').split(delimiter).some((dir) => ['ffmpeg', 'ffprobe'].some((tool) => existsSync(join(dir, tool))));
const engine = await createNodeEngine({ workers: 1 });
try {
  const encoded = await engine.run({
    args: ['-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=d=2', '-c:a', 'libopus', 'a.webm'],
    outputs: [{ name: 'a.webm' }],
  });
  const webm = encoded.outputs[0]!.bytes!;
  const probe = await engine.probe({ name: 'a.webm', data: webm.slice() });
  const decoded = await engine.run({
    args: ['-loglevel', 'error', '-i', 'a.webm', '-c:a', 'pcm_s16le', 'a.wav'],
    inputs: [{ name: 'a.webm', data: webm }],
    outputs: [{ name: 'a.wav' }],
  });
  const { durationMs } = readWav(decoded.outputs[0]!.bytes!);
  process.stdout.write(JSON.stringify({ pathHasFfmpeg, exitCodes: [encoded.exitCode, decoded.exitCode], codec: probe.streams?.[0]?.codec_name, durationMs }));
} finally {
  await engine.close();
}
