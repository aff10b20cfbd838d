/**
 * MPEG-1 Layer III frame headers: enough to cut an MP3 stream at frame boundaries (the segmented
 * mixdown joins independently encoded segments frame by frame). Only what our encoder writes is
 * accepted: MPEG-1 Layer III at 32, 44.1 or 48 kHz.
 */
import type { ByteReader } from '../probe/byte-reader.ts';
import { TracksError } from '../errors.ts';

export const MP3_SAMPLES_PER_FRAME = 1152;

const BITRATES_KBPS = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const SAMPLE_RATES_HZ = [44100, 48000, 32000];

/** Byte length of the frame whose header starts `header`, or null if it is not an MPEG-1 Layer III header. */
const mp3FrameBytes = (header: Uint8Array): number | null => {
  if (header.length < 4 || header[0] !== 0xff || (header[1]! & 0xfe) !== 0xfa) return null; // sync, MPEG-1, Layer III
  const bitrate = BITRATES_KBPS[header[2]! >> 4];
  const rate = SAMPLE_RATES_HZ[(header[2]! >> 2) & 0x03];
  if (!bitrate || !rate) return null;
  const padding = (header[2]! >> 1) & 0x01;
  return Math.floor((144 * bitrate * 1000) / rate) + padding;
};

/**
 * Byte range [start, end) of frames [firstFrame, firstFrame + frameCount) of an MP3 stream that
 * holds frames only (no ID3, no Xing frame). Fewer frames at the end of the stream shorten it.
 */
export const mp3FrameRange = async (reader: ByteReader, firstFrame: number, frameCount: number): Promise<{ start: number; end: number; frames: number }> => {
  let offset = 0;
  let frame = 0;
  let start = -1;
  let chunk: Uint8Array = new Uint8Array(0);
  let chunkStart = 0;
  while (offset + 4 <= reader.sizeBytes && frame < firstFrame + frameCount) {
    if (offset < chunkStart || offset + 4 > chunkStart + chunk.length) {
      chunk = await reader.read(offset, 1 << 20);
      chunkStart = offset;
    }
    const size = mp3FrameBytes(chunk.subarray(offset - chunkStart, offset - chunkStart + 4));
    if (size === null) throw new TracksError('MEDIA_MIX_FAILED', `mixdown segment: no MP3 frame header at byte ${offset}.`);
    if (frame === firstFrame) start = offset;
    offset += size;
    frame++;
  }
  if (start < 0) return { start: offset, end: offset, frames: 0 };
  return { start, end: Math.min(offset, reader.sizeBytes), frames: frame - firstFrame };
};
