/**
 * The prober on real files made by the wasm engine: the fast WebM/Opus scan and the general
 * mediabunny path must agree packet for packet.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { open, readFile, writeFile } from 'node:fs/promises';
import { buildTimeline } from '../../src/timeline/build-timeline.ts';
import { parseDailyTrackName } from '../../src/timeline/daily-track-name.ts';
import { FilePathSource } from 'mediabunny';
import { probeFile } from '../../src/probe/probe-file.ts';
import { probeMedia } from '../../src/probe/probe-media.ts';
import { scanWebmOpusPackets } from '../../src/probe/webm-opus-scan.ts';
import { blobByteReader, bytesByteReader } from '../../src/probe/byte-reader.ts';
import { fileByteReader } from '../../src/probe/file-byte-reader.ts';
import { fixtureMeeting, type FixtureMeeting } from '../helpers/fixture-meeting.ts';
import { TRACKS } from '../fixtures/meeting.ts';

let meeting: FixtureMeeting;

beforeAll(async () => {
  meeting = await fixtureMeeting();
});

describe('prober', () => {
  it('does not silently shorten a track with damaged block headers mid-file: resumes at the next cluster and says what was lost', async () => {
    const bytes = new Uint8Array(await readFile(meeting.paths.fromZero));
    const sound = await probeFile('sound', meeting.paths.fromZero);
    // Break the element header of a block in the middle (an ID byte flipped to an invalid one).
    const firstBlock = bytes.indexOf(0xa3, Math.floor(bytes.length / 2));
    const damaged = bytes.slice();
    damaged[firstBlock] = 0x00;
    const path = `${meeting.dir}/damaged-${TRACKS.fromZero.name}`;
    await writeFile(path, damaged);
    const probe = await probeFile(TRACKS.fromZero.name, path);
    expect(probe.audio!.damage).toHaveLength(1);
    const [damage] = probe.audio!.damage;
    expect(damage!.atByte).toBe(firstBlock);
    expect(damage!.skippedBytes).toBeGreaterThan(0);
    expect(damage!.resumedMs! - damage!.lastGoodMs!).toBeGreaterThan(0);
    // Not shortened: the audio after the damaged cluster is still there.
    expect(probe.audio!.endMs).toBe(sound.audio!.endMs);
    const timeline = buildTimeline([{ file: TRACKS.fromZero.name, daily: parseDailyTrackName(TRACKS.fromZero.name), probe }]);
    expect(timeline.tracks[0]!.warnings).toContainEqual(
      expect.stringMatching(new RegExp(`^damaged data at byte ${firstBlock}: \\d+ bytes unreadable, audio [\\d.]+–[\\d.]+ s \\(track time\\) lost$`)),
    );
    expect(timeline.warnings).toContainEqual(expect.stringContaining('the mixdown is silent there'));
    // The lost stretch is a gap in the track, never audio pulled earlier.
    expect(timeline.tracks[0]!.gaps.some((g) => g.startMs <= damage!.lastGoodMs! + 1 && g.endMs >= damage!.resumedMs! - 1)).toBe(true);
  });

  it('names an empty file and an MP4 cut before its track table for what they are', async () => {
    const empty = `${meeting.dir}/empty.webm`;
    await writeFile(empty, new Uint8Array(0));
    await expect(probeFile('empty.webm', empty)).rejects.toMatchObject({ code: 'MEDIA_UNREADABLE', message: 'empty.webm: empty file (0 bytes).' });
    const mp4 = new Uint8Array(await readFile(meeting.whereby));
    const cut = `${meeting.dir}/cut.mp4`;
    await writeFile(cut, mp4.slice(0, 4096));
    await expect(probeFile('cut.mp4', cut)).rejects.toMatchObject({
      code: 'MEDIA_UNREADABLE',
      message: 'cut.mp4: MP4 file without any track: cut short or never finished.',
    });
  });

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
    expect(scan?.timeline?.packetCount).toBe((await probeFile('dtx', meeting.paths.dtx)).audio!.packetCount);
  });

  it('reads the same packets from a file in small chunks through one reused buffer as from the bytes in memory', async () => {
    const bytes = new Uint8Array(await readFile(meeting.paths.lateJoiner));
    const handle = await open(meeting.paths.lateJoiner);
    try {
      const chunked = await scanWebmOpusPackets(fileByteReader(handle, bytes.length), { chunkBytes: 4096 });
      expect(bytes.length / 4096).toBeGreaterThan(10);
      expect(chunked?.timeline?.gaps).toHaveLength(1);
      expect(chunked).toEqual(await scanWebmOpusPackets(bytesByteReader(bytes)));
    } finally {
      await handle.close();
    }
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
    await expect(probeFile('missing', '/nonexistent/file')).rejects.toMatchObject({
      code: 'MEDIA_UNREADABLE',
      message: expect.stringContaining('cannot open'),
    });
  });
});
