/**
 * A track rendered without re-encoding: the source's Opus packets, byte for byte and in order,
 * on the meeting timeline in a new WebM, the lead-in and every hole (mute, absence, lost packets)
 * filled with encoded silence (silence.ts) placed by packet-plan.ts. Two sequential reads of the
 * source (src/probe/webm-opus-scan.ts): the first finds the OpusHead and CodecDelay, the second
 * streams the packets into the writer, so an hour of packets is never held in memory.
 *
 * Where the decode path (render-args.ts) puts a packet's audio is where ffmpeg decodes it: at its
 * block timestamp less the source's CodecDelay (libavformat/matroskadec.c subtracts it), shifted
 * onto the meeting clock. The copy puts it there too, within half a 2.5 ms quantum.
 */
import type { ByteReader } from '../../probe/byte-reader.ts';
import { opusPacketValid } from '../../probe/opus-toc.ts';
import { scanWebmOpusPackets } from '../../probe/webm-opus-scan.ts';
import { createPacketPlanner, msToSamples, OPUS_RATE_HZ, preSkipFor, QUANTUM_SAMPLES, type PacketPlanner } from './packet-plan.ts';
import { SILENCE_FRAME_SAMPLES, silentOpusFrame } from './silence.ts';
import { createWebmOpusWriter, type ByteSink, type WebmOpusWriter } from './webm-writer.ts';

export type CopyResult = {
  /** Source packets written, unchanged. */
  packetsKept: number;
  /** Source packets left out: `damaged` break RFC 6716's framing, `overlapping` would not fit in place (duplicates, backwards or overlapping timestamps). */
  packetsDropped: { damaged: number; overlapping: number };
  silenceFrames: number;
  preSkipSamples: number;
  channels: number;
  /** End of the render in meeting time (its last packet's end). */
  endMs: number;
  sizeBytes: number;
};

/** Why a track cannot be copied (it then takes the decode path). */
export type NotCopyable = { reason: string };

/** Most pre-skip an OpusHead holds (a uint16). */
const MAX_PRE_SKIP = 65535;

/**
 * The OpusHead's fields a copy needs (RFC 7845 §5.1): channel count, and channel mapping family 0
 * (mono or stereo in one stream; families 1+ pack several streams per packet, not handled).
 */
const readOpusHead = (head: Uint8Array | null): { channels: number } | NotCopyable => {
  if (!head || head.length < 19 || new TextDecoder().decode(head.subarray(0, 8)) !== 'OpusHead') return { reason: 'no OpusHead in the track header' };
  const channels = head[9]!;
  if (head[18] !== 0 || channels < 1 || channels > 2) return { reason: `Opus channel mapping family ${head[18]} (${channels} channels)` };
  return { channels };
};

const withPreSkip = (head: Uint8Array, preSkipSamples: number): Uint8Array => {
  const copy = head.slice();
  copy[10] = preSkipSamples & 0xff;
  copy[11] = preSkipSamples >> 8;
  return copy;
};

/**
 * Copies the Opus track `reader` holds into `sink`: `shiftMs` is the track's container→meeting
 * shift (timeline/container-shift.ts), `endMs` its end on the meeting timeline, which the render
 * reaches with silence after the last packet (the last packet's audio ends the codec delay
 * earlier, as in the decode path). A reason instead when the file is not one this can copy: no
 * Opus-in-WebM track the scan reads, laced blocks, an unusual OpusHead, no packet.
 */
export const copyOpusTrack = async (reader: ByteReader, sink: ByteSink, track: { shiftMs: number; endMs: number }): Promise<CopyResult | NotCopyable> => {
  const { shiftMs } = track;
  const header = await scanWebmOpusPackets(reader);
  if (!header?.timeline) return { reason: 'not an Opus WebM track the packet scan reads' };
  const head = readOpusHead(header.codecPrivate);
  if ('reason' in head) return head;
  const codecDelayMs = header.codecDelayNs / 1e6;
  const silence = SILENCE_FRAME_SAMPLES.map((samples) => ({ samples, bytes: silentOpusFrame(samples, head.channels) }));

  let planner: PacketPlanner | null = null;
  let writer: WebmOpusWriter | null = null;
  let preSkipSamples = 0;
  const dropped = { damaged: 0, overlapping: 0 };
  let packetsKept = 0;
  let silenceFrames = 0;
  /** Decode position, 48 kHz samples from the start of the stream (pre-skip included). */
  let position = 0;
  const blockMs = () => Math.round((position * 1000) / OPUS_RATE_HZ);
  /** Writes `samples` of silence in the longest frames that fit; resolves when any cluster it closed is written. */
  const writeSilence = async (samples: number) => {
    let left = samples;
    for (const frame of silence) {
      while (left >= frame.samples) {
        const written = writer!.packet(blockMs(), frame.bytes);
        position += frame.samples;
        left -= frame.samples;
        silenceFrames++;
        if (written) await written;
      }
    }
  };

  const scan = await scanWebmOpusPackets(reader, {
    onPacket: async ({ timestampMs, durationMs, payload }) => {
      if (durationMs === null || !opusPacketValid(payload)) {
        dropped.damaged++;
        return;
      }
      const targetSample = msToSamples(timestampMs + shiftMs - codecDelayMs);
      const durationSamples = msToSamples(durationMs);
      if (!planner) {
        // The first packet fixes the pre-skip; one that starts too long before meeting time 0 for any pre-skip is left out.
        if (-targetSample > MAX_PRE_SKIP) {
          dropped.overlapping++;
          return;
        }
        preSkipSamples = preSkipFor(targetSample);
        planner = createPacketPlanner(preSkipSamples);
        writer = await createWebmOpusWriter(sink, {
          opusHead: withPreSkip(header.codecPrivate!, preSkipSamples),
          channels: head.channels,
          codecDelayNs: Math.round((preSkipSamples * 1e9) / OPUS_RATE_HZ),
        });
      }
      const placement = planner.place(targetSample, durationSamples);
      if (!placement.keep) {
        dropped.overlapping++;
        return;
      }
      await writeSilence(placement.silenceSamples);
      const written = writer!.packet(blockMs(), payload);
      position += durationSamples;
      packetsKept++;
      if (written) await written;
    },
  });
  if (!scan || !writer) return { reason: 'no Opus packet to copy' };
  await writeSilence(Math.max(0, Math.round((msToSamples(track.endMs) + preSkipSamples - position) / QUANTUM_SAMPLES)) * QUANTUM_SAMPLES);
  const endMs = ((position - preSkipSamples) * 1000) / OPUS_RATE_HZ;
  const sizeBytes = await (writer as WebmOpusWriter).finish(endMs);
  return { packetsKept, packetsDropped: dropped, silenceFrames, preSkipSamples, channels: head.channels, endMs, sizeBytes };
};
