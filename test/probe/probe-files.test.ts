/**
 * The prober on real files made by the wasm engine: the fast WebM/Opus scan and the general
 * mediabunny path must agree packet for packet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { open, readFile } from 'node:fs/promises';
import { FilePathSource } from 'mediabunny';
import { createNodeEngine, type NodeEngine } from '../../src/engine/node-engine.ts';
import { probeFile } from '../../src/probe/probe-file.ts';
import { probeMedia } from '../../src/probe/probe-media.ts';
import { scanWebmOpusPackets } from '../../src/probe/webm-opus-scan.ts';
import { blobByteReader } from '../../src/probe/byte-reader.ts';
import { makeFixtureMeeting, type FixtureMeeting } from '../helpers/fixture-meeting.ts';
import { TRACKS } from '../fixtures/meeting.ts';

let engine: NodeEngine;
let meeting: FixtureMeeting;

beforeAll(async () => {
  engine = await createNodeEngine({ workers: 2 });
  meeting = await makeFixtureMeeting(engine);
});
afterAll(() => engine?.close());

describe('prober', () => {
  it('the fast WebM/Opus scan and the general path agree on every fixture track', async () => {
    for (const key of ['lateJoiner', 'fromZero', 'lostPackets', 'dtx'] as const) {
      const path = meeting.paths[key];
      const fast = await probeFile(key, path);
      const general = await probeMedia(key, new FilePathSource(path));
      expect(fast.audio, key).toEqual(general.audio);
    }
  });

  it('reads codec, rate, first packet, end and gaps of a late joiner', async () => {
    const probe = await probeFile('late', meeting.paths.lateJoiner);
    expect(probe).toMatchObject({ container: 'WebM', truncated: null, videoCodecs: [], audio: { codec: 'opus', sampleRateHz: 48000, channels: 1 } });
    expect(Math.abs(probe.audio!.firstMs - 8130)).toBeLessThanOrEqual(15);
    expect(probe.audio!.gaps).toHaveLength(1);
  });

  it('works on a Blob through the browser reader', async () => {
    const bytes = await readFile(meeting.paths.dtx);
    const scan = await scanWebmOpusPackets(blobByteReader(new Blob([bytes])));
    expect(scan?.packets.length).toBe((await probeFile('dtx', meeting.paths.dtx)).audio!.packetCount);
  });

  it('leaves MP4 to the general path and reads AAC priming as a small negative start', async () => {
    const handle = await open(meeting.whereby);
    const size = (await handle.stat()).size;
    const scan = await scanWebmOpusPackets({ sizeBytes: size, read: async (o, l) => (await handle.read(new Uint8Array(l), 0, l, o)).buffer });
    await handle.close();
    expect(scan).toBeNull();
    const probe = await probeFile('w.mp4', meeting.whereby);
    expect(probe).toMatchObject({ container: 'MP4', videoCodecs: ['avc'], audio: { codec: 'aac' } });
    expect(probe.audio!.firstMs).toBeLessThan(0);
    expect(probe.audio!.firstMs).toBeGreaterThan(-50);
  });

  it('flags a truncated WebM and reads what it holds', async () => {
    const probe = await probeFile('t', meeting.truncated);
    expect(probe.truncated).toMatchObject({ sizeBytes: expect.any(Number), declaredBytes: expect.any(Number) });
    expect(probe.truncated!.declaredBytes).toBeGreaterThan(probe.truncated!.sizeBytes);
    expect(probe.audio!.endMs).toBeLessThan(TRACKS.lateJoiner.endSec * 1000);
  });

  it('reports a video-only track as having no audio, and garbage as unreadable', async () => {
    expect(await probeFile('v', meeting.paths.videoOnly)).toMatchObject({ audio: null, videoCodecs: ['vp8'] });
    await expect(probeFile('garbage.webm', meeting.garbage)).rejects.toMatchObject({ code: 'MEDIA_UNREADABLE' });
    await expect(probeFile('missing', '/nonexistent/file')).rejects.toMatchObject({ code: 'MEDIA_UNREADABLE', message: expect.stringContaining('cannot open') });
  });
});
