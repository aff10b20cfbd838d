/**
 * Transcription end to end against a stand-in server that derives its words from the audio it
 * receives (test/helpers/transcriber-server.ts): each track's speech in chunks, every word mapped
 * back to meeting time and its speaker, both answer shapes and the segment-only fallback, a 429
 * retried, a 500 until failure, a timeout; and never the mixdown.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine, type NodeEngine } from '../../src/engine/node-engine.ts';
import { TracksError } from '../../src/errors.ts';
import { processFiles } from '../../src/pipeline/process-files.ts';
import { speakerOfTimeline } from '../../src/recordings/speaker-names.ts';
import type { Timeline } from '../../src/timeline/types.ts';
import { transcribeTimeline } from '../../src/transcription/transcribe-timeline.ts';
import { createTranscriber, type TranscriberOptions } from '../../src/transcription/transcriber.ts';
import { ALICE, BOB } from '../fixtures/meeting.ts';
import { writeSpeechTrack, type SpeechTrack } from '../helpers/speech-meeting.ts';
import { startTranscriberStandIn, type StandInOptions } from '../helpers/transcriber-server.ts';

let engine: NodeEngine;
let dir: string;
let timeline: Timeline;
let tracks: { alice: SpeechTrack; bob: SpeechTrack };
const stopServers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  engine = await createNodeEngine({ workers: 2 });
  dir = await mkdtemp(join(tmpdir(), 'rt-transcribe-'));
  const [alice, bob] = await Promise.all([
    writeSpeechTrack(
      engine,
      {
        participantId: ALICE,
        startSec: 0.4,
        endSec: 30,
        noiseDb: -60,
        mutesSec: [[14, 17]],
        utterances: [
          { clip: 'm1.ogg', atSec: 1 },
          { clip: 'm2.ogg', atSec: 8.5 },
          { clip: 'm3.ogg', atSec: 24 },
        ],
      },
      dir,
    ),
    writeSpeechTrack(
      engine,
      {
        participantId: BOB,
        startSec: 2,
        endSec: 28,
        noiseDb: -62,
        utterances: [
          { clip: 'f1.ogg', atSec: 3.5 },
          { clip: 'f2.ogg', atSec: 10 },
          { clip: 'f3.ogg', atSec: 19 },
        ],
      },
      dir,
    ),
  ]);
  tracks = { alice, bob };
  ({ timeline } = await processFiles([alice.path, bob.path], { engine, outDir: join(dir, 'out') }));
}, 120_000);

afterAll(async () => {
  await Promise.all(stopServers.map((stop) => stop()));
  await engine?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const standIn = async (options: StandInOptions = {}) => {
  const server = await startTranscriberStandIn(options);
  stopServers.push(server.close);
  return server;
};

const transcribe = (transcriber: Omit<TranscriberOptions, 'apiUrl'> & { apiUrl: string }, chunks?: { maxChunkMs?: number }) =>
  transcribeTimeline({
    engine,
    transcriber: createTranscriber(transcriber),
    timeline,
    renderedPath: (track) => join(dir, 'out', track.output!),
    speakerOf: speakerOfTimeline(timeline),
    workDir: dir,
    chunks,
  });

/** Every utterance heard exactly once, within 100 ms of its start, by the right participant. */
const expectOneWordPerUtterance = (words: Array<{ startMs: number; participantId: string | null }>) => {
  const truth = [
    ...tracks.alice.utterances.map((u) => ({ ...u, participantId: ALICE })),
    ...tracks.bob.utterances.map((u) => ({ ...u, participantId: BOB })),
  ].sort((a, b) => a.startMs - b.startMs);
  expect(words.map((w) => w.participantId)).toEqual(truth.map((u) => u.participantId));
  for (const [i, w] of words.entries()) {
    expect(Math.abs(w.startMs - truth[i]!.startMs), `word ${i} at ${w.startMs}, utterance at ${truth[i]!.startMs}`).toBeLessThanOrEqual(100);
  }
};

describe('transcription through an OpenAI-compatible server', () => {
  it('puts one word per utterance on the meeting timeline, with its speaker, sorted (OpenAI shape)', async () => {
    const server = await standIn({ shape: 'openai' });
    const { transcript, stats } = await transcribe({ apiUrl: server.url, model: 'whisper-large-v3', language: 'en' });
    expectOneWordPerUtterance(transcript.words);
    expect(transcript.words.map((w) => w.startMs)).toEqual([...transcript.words.map((w) => w.startMs)].sort((a, b) => a - b));
    expect(new Set(transcript.words.map((w) => w.speaker))).toEqual(new Set(['Speaker 1', 'Speaker 2']));
    expect(transcript.words.find((w) => w.participantId === ALICE)!.speaker).toBe('Speaker 1');
    expect(transcript.language).toBe('en');
    expect(transcript.segments).toHaveLength(6);
    expect(transcript.durationMs).toBe(timeline.durationMs);
    // The request carried what the issue names, and no key header without a key.
    const first = server.requests[0]!;
    expect(first.fields.model).toEqual(['whisper-large-v3']);
    expect(first.fields.response_format).toEqual(['verbose_json']);
    expect(first.fields['timestamp_granularities[]']?.sort()).toEqual(['segment', 'word']);
    expect(first.fields.language).toEqual(['en']);
    expect(first.authorization).toBeNull();
    // Speech only: never the mixdown, never a whole track.
    expect(stats.audioSentMs).toBeLessThan(stats.tracksMs * 0.8);
    for (const r of server.requests) expect(r.audioMs).toBeLessThan(timeline.durationMs * 0.9);
    for (const r of server.requests) expect(timeline.tracks.some((t) => r.fileName.startsWith(t.file))).toBe(true);
  });

  it('reads whisper.cpp’s answer (words inside segments) and sends the key when one is set', async () => {
    const server = await standIn({ shape: 'whisper.cpp' });
    const { transcript } = await transcribe({ apiUrl: server.url, apiKey: 'sk-test-123' });
    expectOneWordPerUtterance(transcript.words);
    expect(server.requests.every((r) => r.authorization === 'Bearer sk-test-123')).toBe(true);
    expect(server.requests[0]!.fields.model).toEqual(['whisper-1']);
    expect(server.requests[0]!.fields.language).toBeUndefined();
  });

  it('falls back to segment times when no word times come back', async () => {
    const server = await standIn({ shape: 'segments' });
    const { transcript } = await transcribe({ apiUrl: server.url });
    expectOneWordPerUtterance(transcript.words);
  });

  it('maps words exactly and doubles none when many small chunks cut the speech', async () => {
    const server = await standIn();
    const { transcript, stats } = await transcribe({ apiUrl: server.url }, { maxChunkMs: 3000 });
    expect(stats.requests).toBeGreaterThanOrEqual(6);
    expectOneWordPerUtterance(transcript.words);
  });

  it('retries a 429 (honouring Retry-After) and succeeds', async () => {
    const server = await standIn({ fail429: 2 });
    const { transcript } = await transcribe({ apiUrl: server.url, concurrency: 1 });
    expectOneWordPerUtterance(transcript.words);
    expect(server.requests.slice(0, 2).map((r) => r.status)).toEqual([429, 429]);
    expect(server.requests.at(-1)!.status).toBe(200);
  });

  it('fails with TRANSCRIPTION_FAILED once a 500 outlasts the retries', async () => {
    const server = await standIn({ fail500: true });
    const error = await transcribe({ apiUrl: server.url, maxRetries: 2, concurrency: 1 }).catch((e: unknown) => e);
    expect(TracksError.isError(error, 'TRANSCRIPTION_FAILED')).toBe(true);
    expect((error as TracksError).message).toMatch(/HTTP 500/);
    // First attempt and two retries of the first chunk, then no more.
    expect(server.requests.length).toBeGreaterThanOrEqual(3);
    // Nothing of it runs on: the other track's work was stopped and its decoded audio removed
    // before the failure was answered, so the next call in this folder keeps its files.
    expect((await readdir(dir)).filter((name) => name.startsWith('transcribe-'))).toEqual([]);
  });

  it('gives up on a server slower than the timeout', async () => {
    const server = await standIn({ delayMs: 3000 });
    const error = await transcribe({ apiUrl: server.url, timeoutMs: 300, maxRetries: 1, concurrency: 1 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TRANSCRIPTION_FAILED', message: expect.stringMatching(/timed out/i) });
  });
});
