// Run by hermetic.test.ts with PATH=<a directory holding only node>; prints a JSON report.
import { execFileSync } from 'node:child_process';
import { createNodeEngine } from '../../src/engine/node-engine.ts';
import { readWav } from '../helpers/wav.ts';

const pathHasFfmpeg = (() => {
  try {
    execFileSync('ffmpeg', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
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
  process.stdout.write(
    JSON.stringify({ pathHasFfmpeg, exitCodes: [encoded.exitCode, decoded.exitCode], codec: probe.streams?.[0]?.codec_name, durationMs }),
  );
} finally {
  await engine.close();
}
