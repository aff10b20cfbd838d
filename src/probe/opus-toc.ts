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

/** Longest frame a packet may hold (RFC 6716 §3.2.1). */
const MAX_FRAME_BYTES = 1275;

/**
 * Whether `packet` obeys the framing rules of RFC 6716 §3.4 (R1–R7): frame lengths that fit the
 * packet, at most 120 ms, CBR code-3 packets that divide evenly. A packet that breaks them is what
 * a decoder rejects (libopus: OPUS_INVALID_PACKET), so a copied render drops it rather than carry
 * damage along (src/mix/opus-copy/).
 */
export const opusPacketValid = (packet: Uint8Array): boolean => {
  const n = packet.length;
  if (opusPacketDurationMs(packet) === null) return false; // R1, R5
  const code = packet[0]! & 0x03;
  if (code === 0) return n - 1 <= MAX_FRAME_BYTES;
  if (code === 1) return (n - 1) % 2 === 0 && (n - 1) / 2 <= MAX_FRAME_BYTES; // R3
  if (code === 2) {
    const first = frameLength(packet, 1);
    return first !== null && first.bytes <= n - 1 - first.size && n - 1 - first.size - first.bytes <= MAX_FRAME_BYTES; // R4
  }
  const frames = packet[1]! & 0x3f;
  const vbr = (packet[1]! & 0x80) !== 0;
  let at = 2;
  let padding = 0;
  if (packet[1]! & 0x40) {
    for (;;) {
      if (at >= n) return false;
      const b = packet[at++]!;
      padding += b === 255 ? 254 : b;
      if (b !== 255) break;
    }
  }
  let left = n - at - padding; // R6/R7: the frames' bytes
  if (left < 0) return false;
  if (!vbr) return left % frames === 0 && left / frames <= MAX_FRAME_BYTES;
  for (let i = 0; i < frames - 1; i++) {
    const length = frameLength(packet, at);
    if (length === null) return false;
    at += length.size;
    left -= length.size + length.bytes;
    if (length.bytes > MAX_FRAME_BYTES || left < 0) return false;
  }
  return left <= MAX_FRAME_BYTES;
};

/** A frame length of RFC 6716 §3.2.1 at `at`: one byte below 252, else two. */
const frameLength = (packet: Uint8Array, at: number): { bytes: number; size: number } | null => {
  const b = packet[at];
  if (b === undefined) return null;
  if (b < 252) return { bytes: b, size: 1 };
  const b2 = packet[at + 1];
  return b2 === undefined ? null : { bytes: b2 * 4 + b, size: 2 };
};
