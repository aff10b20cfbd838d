/**
 * Probes one input without decoding it: container, audio stream, and the packet timeline.
 *
 * Why JS and not the wasm core's ffprobe: packet timestamps are read in place (a file in Node, a
 * Blob in the browser) with no worker round trip, no copy into MEMFS and no ffprobe text to parse
 * for 180 000 packets an hour. mediabunny identifies the container and tracks and reads packets
 * of any format; Opus in WebM (Daily) goes through a dedicated scan that is several times faster
 * (`webm-opus-scan.ts`). The same code runs in the inspector.
 *
 * Times are track time (the container clock, which on Daily raw-tracks is the recording clock).
 */
import { ALL_FORMATS, EncodedPacketSink, Input, type InputAudioTrack, type Source } from 'mediabunny';
import { TracksError, describeError } from '../errors.ts';
import { matroskaDeclaredSizeBytes } from './matroska-truncation.ts';
import { opusPacketDurationMs } from './opus-toc.ts';
import type { ByteReader } from './byte-reader.ts';
import { scanWebmOpusPackets, type ScanDamage } from './webm-opus-scan.ts';
import { buildPacketTimeline, type Packet, type PacketTimeline } from './packet-timeline.ts';
import { isWebmContainer } from './container-kind.ts';

export type ProbedAudio = PacketTimeline & {
  codec: string;
  sampleRateHz: number;
  channels: number;
  /** Stretches of the file that could not be read (track time); empty for a sound file. */
  damage: ScanDamage[];
};

export type ProbeResult = {
  /** e.g. `WebM`, `MP4`. */
  container: string;
  /** Set when the file holds fewer bytes than its header declares (cut short in transfer). */
  truncated: { sizeBytes: number; declaredBytes: number } | null;
  /** Null when the input has no audio stream (Daily's cam-video tracks). */
  audio: ProbedAudio | null;
  videoCodecs: string[];
};

export type ProbeOptions = {
  gapThresholdMs?: number;
  /** Direct access to the same bytes: enables the truncation check and the fast WebM/Opus scan. */
  reader?: ByteReader;
};

/** Probes `source`; `file` names it in errors. Throws `MEDIA_UNREADABLE` for anything not media. */
export const probeMedia = async (file: string, source: Source, options: ProbeOptions = {}): Promise<ProbeResult> => {
  if (options.reader?.sizeBytes === 0) throw new TracksError('MEDIA_UNREADABLE', `${file}: empty file (0 bytes).`, { data: { file } });
  const input = new Input({ source, formats: ALL_FORMATS });
  try {
    let container: string;
    try {
      container = (await input.getFormat()).name;
    } catch (cause) {
      throw new TracksError('MEDIA_UNREADABLE', `${file}: not a media file ffmpeg or the prober can read (${describeError(cause)}).`, {
        cause,
        data: { file },
      });
    }
    const [audioTrack, videoTracks] = await Promise.all([input.getPrimaryAudioTrack(), input.getVideoTracks()]);
    const videoCodecs = await Promise.all(videoTracks.map(async (t) => (await t.getCodec()) ?? 'unknown'));
    const { reader } = options;
    const declared = reader ? matroskaDeclaredSizeBytes(await reader.read(0, 64)) : null;
    const truncated = declared !== null && declared > reader!.sizeBytes ? { sizeBytes: reader!.sizeBytes, declaredBytes: declared } : null;
    if (!audioTrack && videoTracks.length === 0) {
      // An MP4 whose track table (moov) never got written, a WebM cut inside its header.
      throw new TracksError(
        'MEDIA_UNREADABLE',
        `${file}: ${container} file without any track: cut short or never finished${truncated ? ` (${truncated.sizeBytes} of ${truncated.declaredBytes} bytes)` : ''}.`,
        { data: { file } },
      );
    }
    if (!audioTrack) return { container, truncated, audio: null, videoCodecs };
    const audio = await readAudio(file, audioTrack, container, options);
    return { container, truncated, audio, videoCodecs };
  } catch (error) {
    if (TracksError.isError(error)) throw error;
    throw new TracksError('MEDIA_UNREADABLE', `${file}: cannot read its packets (${describeError(error)}).`, { cause: error, data: { file } });
  } finally {
    input.dispose();
  }
};

const readAudio = async (file: string, track: InputAudioTrack, container: string, options: ProbeOptions): Promise<ProbedAudio> => {
  const codec = (await track.getCodec()) ?? 'unknown';
  const scan = codec === 'opus' && isWebmContainer(container) && options.reader ? await scanWebmOpusPackets(options.reader, options) : null;
  const timeline = scan ? scan.timeline : buildPacketTimeline(await readPackets(file, track, codec === 'opus'), options);
  if (!timeline) throw new TracksError('MEDIA_NO_AUDIO', `${file}: its audio stream holds no packets.`, { data: { file } });
  const sampleRateHz = await track.getSampleRate();
  // AAC in ADTS cannot signal its encoder delay, so decoders play the 1024 priming samples of
  // AAC-LC as audio: the first real sample sits that much into the file (measured: a gapless
  // Daily-style AAC track rendered 21.3 ms late without this). MP4 says so in its edit list.
  const primingMs = codec === 'aac' && /adts/i.test(container) ? (1024 / sampleRateHz) * 1000 : 0;
  return { codec, sampleRateHz, channels: await track.getNumberOfChannels(), ...timeline, firstMs: timeline.firstMs + primingMs, damage: scan?.damage ?? [] };
};

/** The general path, any container mediabunny reads. */
const readPackets = async (file: string, track: InputAudioTrack, isOpus: boolean): Promise<Packet[]> => {
  const sink = new EncodedPacketSink(track);
  const packets: Packet[] = [];
  // Opus durations come from each packet's TOC byte, so the packet bytes are read; other codecs
  // keep their container durations (exact in MP4 sample tables) and only metadata is read.
  for await (const packet of sink.packets(undefined, undefined, { metadataOnly: !isOpus })) {
    const durationMs = isOpus ? opusPacketDurationMs(packet.data) : packet.duration * 1000;
    if (durationMs === null) {
      throw new TracksError('MEDIA_UNREADABLE', `${file}: malformed Opus packet at ${packet.timestamp.toFixed(3)} s.`, { data: { file } });
    }
    packets.push({ timestampMs: packet.timestamp * 1000, durationMs });
  }
  return packets;
};
