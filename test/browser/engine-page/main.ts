// Runs the browser engine through the same steps as the Node engine tests and leaves a report on
// window.__report for the test to read.
import { BrowserEngine } from '../../../src/engine/browser-engine.ts';
import { loadBrowserCoreUrls } from '../../../wasm/browser-core-assets.ts';
import { TracksError } from '../../../src/errors.ts';

const report: Record<string, unknown> = {};
try {
  const urls = await loadBrowserCoreUrls(new URL('/ffmpeg-core/', location.href));
  const engine = await BrowserEngine.create({ urls, workers: 2 });
  report.concurrency = engine.concurrency;
  const encoded = await engine.run({
    args: [
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      'sine=f=440:d=4:r=48000:samples_per_frame=960',
      '-af',
      "aselect='gte(t,1.5)'",
      '-c:a',
      'libopus',
      'tone.webm',
    ],
    outputs: [{ name: 'tone.webm' }],
  });
  report.encodeExit = encoded.exitCode;
  const webm = encoded.outputs[0]!.bytes!;
  // A Blob input goes through WORKERFS, bytes through MEMFS: both paths.
  const probe = await engine.probe({ name: 'tone.webm', data: new Blob([webm.slice()]) });
  report.codec = probe.streams?.[0]?.codec_name;
  report.startTime = Number(probe.streams?.[0]?.start_time);
  const decoded = await engine.run({
    args: ['-loglevel', 'error', '-i', 'tone.webm', '-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', '-f', 'wav', 'tone.wav'],
    inputs: [{ name: 'tone.webm', data: webm }],
    outputs: [{ name: 'tone.wav' }],
  });
  report.decodeExit = decoded.exitCode;
  report.wavBytes = decoded.outputs[0]?.sizeBytes;
  const garbage = await engine.run({
    args: ['-loglevel', 'error', '-i', 'g.webm', '-f', 'null', '-'],
    inputs: [{ name: 'g.webm', data: new Uint8Array(4096).fill(7) }],
  });
  report.garbageExit = garbage.exitCode;
  report.garbageLog = garbage.log.join('\n');
  const controller = new AbortController();
  const long = engine.run({
    args: ['-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=d=3600', '-c:a', 'libmp3lame', '-f', 'null', '-'],
    signal: controller.signal,
  });
  setTimeout(() => controller.abort(), 300);
  const aborted = await long.catch((e: unknown) => e);
  report.abortedCode = TracksError.isError(aborted) ? aborted.code : String(aborted);
  const after = await engine.run({ args: ['-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=d=1', '-f', 'null', '-'] });
  report.afterAbortExit = after.exitCode;
  // Closing with one command running on each instance and one queued: all three ENGINE_CLOSED.
  const pending = [1, 2, 3].map(() =>
    engine.run({ args: ['-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=d=3600', '-c:a', 'libmp3lame', '-f', 'null', '-'] }).then(
      () => 'finished',
      (e: unknown) => (TracksError.isError(e) ? e.code : String(e)),
    ),
  );
  await new Promise((r) => setTimeout(r, 300));
  await engine.close();
  report.closedCodes = await Promise.all(pending);
} catch (error) {
  report.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
(window as unknown as { __report: unknown }).__report = report;
document.getElementById('out')!.textContent = JSON.stringify(report, null, 2);
