/**
 * `reflector-tracks process … --transcribe` as a user runs it: the transcriber from
 * TRANSCRIPTION_* variables, the four transcript files beside the audio, and a clear usage error
 * (before any work) when no transcriber is configured.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedEngine } from '../helpers/shared-engine.ts';
import type { Transcript } from '../../src/transcription/transcript.ts';
import { ALICE } from '../fixtures/meeting.ts';
import { runCli } from '../helpers/serve-process.ts';
import { writeSpeechTrack, type SpeechTrack } from '../helpers/speech-meeting.ts';
import { startTranscriberStandIn, type StandIn } from '../helpers/transcriber-server.ts';

let dir: string;
let track: SpeechTrack;
let server: StandIn;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-transcribe-'));
  const engine = await sharedEngine();
  track = await writeSpeechTrack(
    engine,
    {
      participantId: ALICE,
      startSec: 1,
      endSec: 12,
      noiseDb: -60,
      utterances: [
        { clip: 'f2.ogg', atSec: 2 },
        { clip: 'm3.ogg', atSec: 8 },
      ],
    },
    dir,
  );
  server = await startTranscriberStandIn();
}, 60_000);

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('process --transcribe', () => {
  it('writes transcript.json, .vtt, .srt and .txt with the words on the meeting timeline (WAV renders, cut in place)', async () => {
    const out = join(dir, 'out');
    const run = await runCli(['process', track.path, '--out', out, '--track-format', 'wav', '--transcribe', '--quiet'], {
      TRANSCRIPTION_API_URL: server.url,
      TRANSCRIPTION_API_KEY: 'sk-cli',
      TRANSCRIPTION_MODEL: 'large-v3',
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/transcribed 2 words in 2 segments: sent [\d.]+ s of [\d.]+ s of tracks in 1 request/);
    const transcript = JSON.parse(await readFile(join(out, 'transcript.json'), 'utf8')) as Transcript;
    expect(transcript.words.map((w) => w.speaker)).toEqual(['Speaker 1', 'Speaker 1']);
    for (const [i, w] of transcript.words.entries()) expect(Math.abs(w.startMs - track.utterances[i]!.startMs)).toBeLessThanOrEqual(100);
    expect(await readFile(join(out, 'transcript.vtt'), 'utf8')).toMatch(/^WEBVTT\n\n1\n00:00:0\d\.\d{3} --> /);
    expect(await readFile(join(out, 'transcript.txt'), 'utf8')).toBe('Speaker 1: u1.\nSpeaker 1: u2.\n');
    expect((await stat(join(out, 'transcript.srt'))).size).toBeGreaterThan(0);
    expect(server.requests.at(-1)!.authorization).toBe('Bearer sk-cli');
    expect(server.requests.at(-1)!.fields.model).toEqual(['large-v3']);
  });

  it('refuses --transcribe without TRANSCRIPTION_API_URL, and a bad one, before rendering anything', async () => {
    const out = join(dir, 'none');
    const missing = await runCli(['process', track.path, '--out', out, '--transcribe'], {});
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--transcribe needs TRANSCRIPTION_API_URL/);
    const bad = await runCli(['process', track.path, '--out', out, '--transcribe'], { TRANSCRIPTION_API_URL: 'ftp://x', TRANSCRIPTION_CONCURRENCY: '0' });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/TRANSCRIPTION_API_URL: must be an http\(s\) URL/);
    expect(bad.stderr).toMatch(/TRANSCRIPTION_CONCURRENCY/);
    await expect(stat(out)).rejects.toThrow();
  });
});
