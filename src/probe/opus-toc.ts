/**
 * Duration of an Opus packet from its TOC byte (RFC 6716 §3.1). WebM SimpleBlocks carry no
 * duration, and demuxers that infer one from the next block's timestamp hide every gap (mediabunny
 * does, measured: the packet before a 2 s mute reported a 2.04 s duration), so gaps are measured
 * against what each packet really holds.
 */
const FRAME_MS_SILK = [10, 20, 40, 60];
const FRAME_MS_CELT = [2.5, 5, 10, 20];

/**
 * Milliseconds of audio in one Opus packet, or null if the packet is malformed. The packet is
 * `packet[at, at + length)` (default: all of it), so a scan can ask without making a view per packet.
 */
export const opusPacketDurationMs = (packet: Uint8Array, at = 0, length = packet.length - at): number | null => {
  if (length < 1) return null;
  const toc = packet[at]!;
  const config = toc >> 3;
  const frameMs = config < 12 ? FRAME_MS_SILK[config % 4]! : config < 16 ? (config % 2 === 0 ? 10 : 20) : FRAME_MS_CELT[config % 4]!;
  const code = toc & 0x03;
  let frames: number;
  if (code === 0) frames = 1;
  else if (code === 1 || code === 2) frames = 2;
  else {
    if (length < 2) return null;
    frames = packet[at + 1]! & 0x3f;
    if (frames === 0) return null;
  }
  const durationMs = frames * frameMs;
  return durationMs > 120 ? null : durationMs; // RFC 6716: at most 120 ms per packet
};
