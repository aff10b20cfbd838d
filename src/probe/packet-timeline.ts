/**
 * From packet timestamps to a track's timeline: where its audio starts and ends, and the holes
 * between packets (muted mic, lost packets, DTX). Pure: plain numbers in, plain numbers out, all
 * in track time (the container's clock), milliseconds.
 */
export type Packet = { timestampMs: number; durationMs: number };

export type Gap = { startMs: number; endMs: number };

export type PacketTimeline = {
  /** Timestamp of the first packet: the first audible sample. */
  firstMs: number;
  /** End of the last packet: where the audio really ends (the container's duration is not trusted). */
  endMs: number;
  packetCount: number;
  /** Milliseconds actually covered by packets. */
  coveredMs: number;
  /** Holes longer than `gapThresholdMs`. */
  gaps: Gap[];
  /** All holes, including the short ones, in total: what gap filling restores. */
  holesMs: number;
};

export const DEFAULT_GAP_THRESHOLD_MS = 100;

/** Rounds to microseconds: container clocks are ms or finer; float sums should not leak digits. */
const round = (ms: number) => Math.round(ms * 1000) / 1000;

/** A packet timeline folded as packets arrive, so no list of packets is ever kept. */
export type PacketTimelineBuilder = {
  /** The next packet in decode order. */
  add(timestampMs: number, durationMs: number): void;
  /** End of the packets so far (null before the first). */
  readonly endMs: number | null;
  finish(): PacketTimeline | null;
};

/**
 * Holes shorter than 1 ms are clock rounding (WebM stores ms timestamps; 2.5 ms Opus frames do
 * not land on them exactly), not missing audio.
 */
export const createPacketTimelineBuilder = (options: { gapThresholdMs?: number } = {}): PacketTimelineBuilder => {
  const threshold = options.gapThresholdMs ?? DEFAULT_GAP_THRESHOLD_MS;
  let firstMs = Number.NaN;
  let endMs = Number.NEGATIVE_INFINITY;
  let packetCount = 0;
  let coveredMs = 0;
  let holesMs = 0;
  const gaps: Gap[] = [];
  return {
    add(timestampMs, durationMs) {
      if (packetCount === 0) firstMs = timestampMs;
      else if (timestampMs - endMs >= 1) {
        holesMs += timestampMs - endMs;
        if (timestampMs - endMs > threshold) gaps.push({ startMs: round(endMs), endMs: round(timestampMs) });
      }
      endMs = Math.max(endMs, timestampMs + durationMs);
      coveredMs += durationMs;
      packetCount++;
    },
    get endMs() {
      return packetCount === 0 ? null : endMs;
    },
    finish: () =>
      packetCount === 0 ? null : { firstMs: round(firstMs), endMs: round(endMs), packetCount, coveredMs: round(coveredMs), gaps, holesMs: round(holesMs) },
  };
};

/** Folds packets (in decode order) into a timeline. */
export const buildPacketTimeline = (packets: Iterable<Packet>, options: { gapThresholdMs?: number } = {}): PacketTimeline | null => {
  const builder = createPacketTimelineBuilder(options);
  for (const { timestampMs, durationMs } of packets) builder.add(timestampMs, durationMs);
  return builder.finish();
};
