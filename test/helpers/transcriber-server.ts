/**
 * A local stand-in for an OpenAI-compatible transcription server (`POST /v1/audio/transcriptions`,
 * multipart) whose answer is *derived from the audio it receives*: it decodes the uploaded WAV and
 * answers one word per burst of sound (10 ms frames over -45 dBFS, pauses under 500 ms joined), at
 * that burst's time in the file. A chunk cut or mapped wrongly therefore yields misplaced words.
 * Words are `u1.`, `u2.`, … in the order heard by the server (each ends a sentence).
 *
 * Shapes: `openai` (top-level `words` and `segments`), `whisper.cpp` (`segments[].words`),
 * `segments` (segment times only). Faults: the first `fail429` requests get 429 with Retry-After,
 * `fail500` makes every request 500, `delayMs` holds every answer that long.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readWav } from './wav.ts';

export type StandInOptions = { shape?: 'openai' | 'whisper.cpp' | 'segments'; fail429?: number; fail500?: boolean; delayMs?: number };

export type ReceivedRequest = {
  authorization: string | null;
  fields: Record<string, string[]>;
  fileName: string;
  audioMs: number;
  /** Bursts heard, seconds in the file. */
  bursts: Array<{ startSec: number; endSec: number }>;
  status: number;
};

export type StandIn = { url: string; requests: ReceivedRequest[]; close(): Promise<void> };

const bursts = (samples: Int16Array, sampleRateHz: number) => {
  const frame = sampleRateHz / 100;
  const found: Array<{ startSec: number; endSec: number }> = [];
  for (let f = 0; (f + 1) * frame <= samples.length; f++) {
    let sum = 0;
    for (let k = f * frame; k < (f + 1) * frame; k++) sum += samples[k]! * samples[k]!;
    if (10 * Math.log10(sum / frame / 32768 ** 2 + 1e-12) < -45) continue;
    const last = found.at(-1);
    if (last && f / 100 - last.endSec < 0.5) last.endSec = (f + 1) / 100;
    else found.push({ startSec: f / 100, endSec: (f + 1) / 100 });
  }
  return found.filter((b) => b.endSec - b.startSec >= 0.1);
};

const readBody = async (req: IncomingMessage) => {
  const parts: Buffer[] = [];
  for await (const chunk of req) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
};

export const startTranscriberStandIn = async (options: StandInOptions = {}): Promise<StandIn> => {
  const requests: ReceivedRequest[] = [];
  let served = 0;
  let wordCount = 0;
  const server: Server = createServer((req, res) => {
    // A client that gives up (a timeout) aborts mid-upload: that request simply ends.
    handle(req, res).catch(() => res.destroy());
  });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(json));
    };
    if (req.method !== 'POST' || req.url !== '/v1/audio/transcriptions') return answer(404, { error: { message: 'not found' } });
    const form = await new Request('http://stand-in/', { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? '' }, body }).formData();
    const fields: Record<string, string[]> = {};
    for (const [k, v] of form.entries()) {
      if (typeof v !== 'string') continue;
      fields[k] ??= [];
      fields[k].push(v);
    }
    const file = form.get('file');
    if (!(file instanceof Blob)) return answer(400, { error: { message: 'file is required' } });
    const pcm = readWav(new Uint8Array(await file.arrayBuffer()));
    const heard = bursts(pcm.samples, pcm.sampleRateHz);
    const n = ++served;
    const status = options.fail500 ? 500 : n <= (options.fail429 ?? 0) ? 429 : 200;
    requests.push({ authorization: req.headers.authorization ?? null, fields, fileName: (file as File).name, audioMs: pcm.durationMs, bursts: heard, status });
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    if (status === 429) return answer(429, { error: { message: 'slow down' } }, { 'retry-after': '0.2' });
    if (status === 500) return answer(500, { error: { message: 'the model fell over' } });
    const words = heard.map((b) => ({ word: ` u${++wordCount}.`, start: b.startSec, end: b.endSec }));
    const segments = words.map((w, id) => ({ id, start: w.start, end: w.end, text: w.word }));
    const text = words.map((w) => w.word).join('');
    const duration = pcm.durationMs / 1000;
    if (options.shape === 'whisper.cpp')
      return answer(200, { task: 'transcribe', language: 'english', duration, text, segments: segments.map((s, i) => ({ ...s, words: [words[i]] })) });
    if (options.shape === 'segments') return answer(200, { task: 'transcribe', language: 'en', duration, text, segments });
    return answer(200, { task: 'transcribe', language: 'en', duration, text, words, segments });
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
