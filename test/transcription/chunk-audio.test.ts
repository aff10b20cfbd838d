/**
 * Chunks are cut from 16 kHz PCM: a WAV render (`--track-format wav`, ffmpeg's muxer with its LIST
 * chunk) is read in place and must give the same bytes as the track decoded to raw PCM; anything
 * else is not taken for PCM.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from '../../src/engine/engine.ts';
import { sharedEngine } from '../helpers/shared-engine.ts';
import { chunkWav, wavChunkSource } from '../../src/transcription/chunk-audio.ts';
import { planChunks } from '../../src/transcription/chunk-plan.ts';

let engine: Engine;
let dir: string;

const make = async (name: string, tail: string[]) => {
  const result = await engine.run({
    args: ['-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=f=440:d=12:r=48000', '-af', 'volume=0.5', ...tail, name],
    outputs: [{ name, path: join(dir, name) }],
  });
  expect(result.exitCode, result.log.join('\n')).toBe(0);
  return join(dir, name);
};

beforeAll(async () => {
  engine = await sharedEngine();
  dir = await mkdtemp(join(tmpdir(), 'rt-chunks-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('chunk audio', () => {
  it('reads a 16 kHz WAV render in place, byte for byte what the decoded PCM gives', async () => {
    const wavPath = await make('render.wav', ['-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', '-f', 'wav']);
    const pcmPath = await make('render.pcm', ['-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', '-f', 's16le']);
    const [wav, pcm] = await Promise.all([open(wavPath), open(pcmPath)]);
    try {
      const offset = await wavChunkSource(wav);
      expect(offset).toBeGreaterThan(44); // ffmpeg's LIST chunk sits before `data`
      const chunks = planChunks(
        [
          { startMs: 1000, endMs: 2500 },
          { startMs: 6000, endMs: 7200 },
          { startMs: 11_000, endMs: 11_900 },
        ],
        { offsetMs: 0, endMs: 12_000 },
        { maxChunkMs: 4000 },
      );
      expect(chunks.length).toBeGreaterThan(1);
      for (const chunk of chunks) expect(await chunkWav(wav, chunk, offset!)).toEqual(await chunkWav(pcm, chunk));
    } finally {
      await Promise.all([wav.close(), pcm.close()]);
    }
  });

  it('decodes anything else: another rate, or no WAV at all', async () => {
    const wav48 = await open(await make('r48.wav', ['-ac', '1', '-ar', '48000', '-c:a', 'pcm_s16le', '-f', 'wav']));
    const webm = await open(await make('r.webm', ['-ac', '1', '-c:a', 'libopus', '-b:a', '32k', '-f', 'webm']));
    try {
      expect(await wavChunkSource(wav48)).toBeNull();
      expect(await wavChunkSource(webm)).toBeNull();
    } finally {
      await Promise.all([wav48.close(), webm.close()]);
    }
  });
});
