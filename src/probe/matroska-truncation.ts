/**
 * Is a Matroska/WebM file shorter than its own header says? The Segment element declares its
 * size when the muxer could seek back to write it; a file cut short in transfer then holds fewer
 * bytes. Demuxers (ffmpeg, mediabunny) read what is there without complaint, so the timeline
 * would quietly end early. Reads only the first bytes. Live-written files declare an unknown
 * size and cannot be checked this way.
 */
import { readVint } from './ebml.ts';

const EBML_ID = 0x1a45dfa3;
const SEGMENT_ID = 0x18538067;

/** Bytes the file should have, or null if unknown or not Matroska. */
export const matroskaDeclaredSizeBytes = (head: Uint8Array): number | null => {
  let at = 0;
  const id = () => {
    const v = readVint(head, at, true, 4);
    if (v) at += v.length;
    return v?.value ?? null;
  };
  const size = () => {
    const v = readVint(head, at, false);
    if (v) at += v.length;
    return v ? (v.unknown ? 'unknown' : v.value) : null;
  };
  if (id() !== EBML_ID) return null;
  const headerSize = size();
  if (typeof headerSize !== 'number') return null;
  at += headerSize;
  if (id() !== SEGMENT_ID) return null;
  const segmentSize = size();
  return typeof segmentSize === 'number' ? at + segmentSize : null;
};
