/**
 * A WebM file of one Opus track, written as packets come (Matroska: RFC 9559; WebM's subset;
 * codec mapping: https://www.matroska.org/technical/codec_specs.html, A_OPUS). mediabunny's
 * Matroska muxer (1.61) writes no CodecDelay, which is what tells a demuxer how far the pre-skip
 * moves the timestamps (ffmpeg's matroskadec subtracts it from every block's timestamp), so this
 * writes the few elements itself: EBML header, Segment (size patched at the end), SeekHead, Info
 * (Duration patched at the end), Tracks (OpusHead, CodecDelay, SeekPreRoll), Clusters of
 * SimpleBlocks, and Cues so players can seek.
 */
import { concatBytes, element, float64Bytes, floatElement, patchableHeader, sizeVint, stringElement, uintBytes, uintElement } from './ebml-write.ts';

/** Sequential writes plus a rewrite of bytes already written (only inside the first write). */
export type ByteSink = { write(bytes: Uint8Array): Promise<void>; patch(position: number, bytes: Uint8Array): Promise<void> };

export type OpusTrackHead = {
  /** The OpusHead (RFC 7845 §5.1), pre-skip already set. */
  opusHead: Uint8Array;
  channels: number;
  /** The pre-skip in nanoseconds (Matroska CodecDelay). */
  codecDelayNs: number;
};

const ID = {
  EBML: 0x1a45dfa3,
  Segment: 0x18538067,
  SeekHead: 0x114d9b74,
  Seek: 0x4dbb,
  SeekID: 0x53ab,
  SeekPosition: 0x53ac,
  Info: 0x1549a966,
  Tracks: 0x1654ae6b,
  Cluster: 0x1f43b675,
  Cues: 0x1c53bb6b,
} as const;

/** Clusters hold this much audio: a seek reads at most one (Cues point at each). */
const CLUSTER_MS = 5000;
/** Opus needs 80 ms of decoding before a seek target to converge (RFC 7845 §4.6; Matroska's Opus mapping). */
const SEEK_PRE_ROLL_NS = 80_000_000;

const ebmlHeader = (): Uint8Array =>
  element(
    ID.EBML,
    uintElement(0x4286, 1),
    uintElement(0x42f7, 1),
    uintElement(0x42f2, 4),
    uintElement(0x42f3, 8),
    stringElement(0x4282, 'webm'),
    uintElement(0x4287, 4),
    uintElement(0x4285, 2),
  );

const idPayload = (id: number): Uint8Array => uintBytes(id);

const seekHead = (infoAt: number, tracksAt: number, cuesAt: number): Uint8Array =>
  element(
    ID.SeekHead,
    ...(
      [
        [ID.Info, infoAt],
        [ID.Tracks, tracksAt],
        [ID.Cues, cuesAt], // last: its position is patched once the Cues are written
      ] as const
    ).map(([id, at]) => element(ID.Seek, element(ID.SeekID, idPayload(id)), uintElement(ID.SeekPosition, at, 8))),
  );

const info = (): Uint8Array =>
  element(
    ID.Info,
    uintElement(0x2ad7b1, 1_000_000), // TimestampScale: milliseconds
    stringElement(0x4d80, 'reflector-tracks'),
    stringElement(0x5741, 'reflector-tracks'),
    floatElement(0x4489, 0), // Duration, last: patched at the end
  );

const tracks = (head: OpusTrackHead): Uint8Array =>
  element(
    ID.Tracks,
    element(
      0xae,
      uintElement(0xd7, 1), // TrackNumber
      uintElement(0x73c5, 1), // TrackUID
      uintElement(0x83, 2), // TrackType: audio
      uintElement(0x9c, 0), // FlagLacing
      stringElement(0x86, 'A_OPUS'),
      element(0x63a2, head.opusHead),
      uintElement(0x56aa, head.codecDelayNs),
      uintElement(0x56bb, SEEK_PRE_ROLL_NS),
      element(0xe1, floatElement(0xb5, 48000), uintElement(0x9f, head.channels)),
    ),
  );

export type WebmOpusWriter = {
  /** One packet at `timestampMs` (block time, integer ms, not before the previous). Returns a promise when it wrote a cluster. */
  packet(timestampMs: number, payload: Uint8Array): Promise<void> | undefined;
  /** Writes what is left, the Cues, and the sizes and Duration; resolves to the file's size. */
  finish(durationMs: number): Promise<number>;
};

export const createWebmOpusWriter = async (sink: ByteSink, head: OpusTrackHead): Promise<WebmOpusWriter> => {
  const ebml = ebmlHeader();
  const segmentDataAt = ebml.length + 12; // Segment ID (4) + 8-byte size
  const seekHeadBytes = seekHead(0, 0, 0).length;
  const infoBytes = info();
  const tracksBytes = tracks(head);
  const infoAt = seekHeadBytes;
  const tracksAt = infoAt + infoBytes.length;
  const top = concatBytes([ebml, patchableHeader(ID.Segment, 0), seekHead(infoAt, tracksAt, 0), infoBytes, tracksBytes]);
  const cuesPositionAt = segmentDataAt + seekHeadBytes - 8;
  const durationAt = segmentDataAt + infoAt + infoBytes.length - 8;
  await sink.write(top);
  let offset = top.length;

  const cues: Array<{ timeMs: number; position: number }> = [];
  let clusterMs = -1;
  let blocks: Uint8Array[] = [];
  const flush = async () => {
    if (blocks.length === 0) return;
    const body = concatBytes([uintElement(0xe7, clusterMs), ...blocks]);
    const cluster = concatBytes([patchableHeader(ID.Cluster, body.length), body]);
    cues.push({ timeMs: clusterMs, position: offset - segmentDataAt });
    blocks = [];
    offset += cluster.length;
    await sink.write(cluster);
  };

  return {
    packet(timestampMs, payload) {
      let flushed: Promise<void> | undefined;
      if (blocks.length > 0 && timestampMs - clusterMs >= CLUSTER_MS) flushed = flush();
      if (blocks.length === 0) clusterMs = timestampMs;
      const relative = timestampMs - clusterMs;
      const size = sizeVint(4 + payload.length);
      const block = new Uint8Array(1 + size.length + 4 + payload.length);
      block[0] = 0xa3; // SimpleBlock
      block.set(size, 1);
      const at = 1 + size.length;
      block[at] = 0x81; // track 1
      block[at + 1] = (relative >> 8) & 0xff;
      block[at + 2] = relative & 0xff;
      block[at + 3] = 0x80; // keyframe: every Opus packet decodes on its own
      block.set(payload, at + 4);
      blocks.push(block);
      return flushed;
    },
    async finish(durationMs) {
      await flush();
      const cuesAt = offset - segmentDataAt;
      const cuesBytes = element(
        ID.Cues,
        ...cues.map((c) => element(0xbb, uintElement(0xb3, c.timeMs), element(0xb7, uintElement(0xf7, 1), uintElement(0xf1, c.position)))),
      );
      await sink.write(cuesBytes);
      offset += cuesBytes.length;
      await sink.patch(ebml.length + 4, sizeVint(offset - segmentDataAt, 8));
      await sink.patch(cuesPositionAt, uintBytes(cuesAt, 8));
      await sink.patch(durationAt, float64Bytes(durationMs));
      return offset;
    },
  };
};
