// A test double for a worker that dies mid-command (an OOM kill, a fatal bug in the core): the real
// ffmpeg worker, except that a command whose args contain "-crash-test" ends the thread at once.
// Static import: the real worker's listener must be attached before any message arrives.
import { parentPort } from 'node:worker_threads';
import '../../workers/ffmpeg-worker.mjs';

parentPort?.on('message', (message) => {
  if (JSON.stringify(message).includes('-crash-test')) process.exit(70);
});
