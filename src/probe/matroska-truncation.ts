/**
 * Is a Matroska/WebM file shorter than its own header says? The Segment element declares its
 * size when the muxer could seek back to write it; a file cut short in transfer then holds fewer
 * bytes. Demuxers (ffmpeg, mediabunny) read what is there without complaint, so the timeline
 * would quietly end early. Reads only the first bytes. Live-written files declare an unknown
 * size and cannot be checked this way.
 */
const EBML_ID = 0x1a45dfa3;
const SEGMENT_ID = 0x18538067;

/** Bytes the file should have, or null if unknown or not Matroska. */
export const matroskaDeclaredSizeBytes = (head: Uint8Array): number | null => {
  let at = 0;
  const readId = (): number | null => {
    const first = head[at];
    if (first === undefined) return null;
    const length = Math.clz32(first) - 23; // leading zeros within the byte, +1
    if (length < 1 || length > 4 || at + length > head.length) return null;
    let id = 0;
    for (let i = 0; i < length; i++) id = id * 256 + head[at + i]!;
    at += length;
    return id;
  };
  const readSize = (): number | 'unknown' | null => {
    const first = head[at];
    if (first === undefined) return null;
    const length = Math.clz32(first) - 23;
    if (length < 1 || length > 8 || at + length > head.length) return null;
    let value = first & (0xff >> length);
    let allOnes = value === 0xff >> length;
    for (let i = 1; i < length; i++) {
      value = value * 256 + head[at + i]!;
      allOnes &&= head[at + i] === 0xff;
    }
    at += length;
    return allOnes ? 'unknown' : value;
  };
  if (readId() !== EBML_ID) return null;
  const headerSize = readSize();
  if (typeof headerSize !== 'number') return null;
  at += headerSize;
  if (readId() !== SEGMENT_ID) return null;
  const segmentSize = readSize();
  return typeof segmentSize === 'number' ? at + segmentSize : null;
};
