/**
 * Joins mixdown segments: the kept frames of each, in order, streamed through in 1 MiB pieces
 * (Node writes to a file, the browser collects bytes; neither holds the whole MP3 at once).
 */
import type { ByteReader } from '../probe/byte-reader.ts';
import { mp3FrameRange } from './mp3-frames.ts';

export type Mp3Segment = { reader: ByteReader; firstFrame: number; frameCount: number };

/** Resolves to the bytes written. */
export const joinMp3Segments = async (segments: readonly Mp3Segment[], write: (bytes: Uint8Array) => Promise<void>): Promise<number> => {
  let written = 0;
  for (const segment of segments) {
    const { start, end } = await mp3FrameRange(segment.reader, segment.firstFrame, segment.frameCount);
    for (let at = start; at < end; ) {
      const piece = await segment.reader.read(at, Math.min(1 << 20, end - at));
      if (piece.length === 0) break;
      await write(piece);
      at += piece.length;
      written += piece.length;
    }
  }
  return written;
};
