/**
 * Where each source Opus packet goes in a copied render, and how much encoded silence goes before
 * it. Pure: timestamps in, decisions out, one packet at a time (an hour of packets is never held).
 *
 * The render is a sample-sequential Opus stream: a decoder puts packet k at the sum of the
 * durations before it, less the pre-skip. So the planner keeps that running position in 48 kHz
 * samples and, before each packet, fills whatever lies between it and where the packet belongs
 * with silence in whole 2.5 ms quanta (the smallest Opus frame). Every target is computed from the
 * packet's own timestamp, never from the previous packet, so rounding never accumulates: each
 * packet lands within half a quantum (1.25 ms) of its place. The first packet's sub-quantum
 * remainder goes into the pre-skip, which puts it exactly.
 *
 * A packet whose place lies more than half a quantum before the running position (a duplicate, a
 * timestamp that runs backwards or overlaps the previous packet) cannot be kept in place: dropped.
 */

/** Opus in WebM always decodes at 48 kHz (RFC 7845 §5.1). */
export const OPUS_RATE_HZ = 48000;
/** 2.5 ms, the shortest Opus frame (RFC 6716 §2.1.4). */
export const QUANTUM_SAMPLES = 120;

export const msToSamples = (ms: number): number => Math.round((ms * OPUS_RATE_HZ) / 1000);

export type Placement =
  /** Put `silenceSamples` of silence (a multiple of the quantum), then the packet. */
  { keep: true; silenceSamples: number } | { keep: false; reason: 'overlap' };

export type PacketPlanner = {
  /** The packet whose decoded audio belongs at `targetSample` (meeting time, 48 kHz) and lasts `durationSamples`. */
  place(targetSample: number, durationSamples: number): Placement;
  /** Decode position reached (pre-skip included). */
  readonly positionSamples: number;
};

/**
 * The pre-skip that lets the first packet start on a quantum boundary at its exact place: the
 * lead-in before it is then a whole number of quanta. A first target before meeting time 0 (a
 * track that starts inside the codec delay) is skipped by the pre-skip, as ffmpeg trims it.
 */
export const preSkipFor = (firstTargetSample: number): number => {
  const remainder = ((-firstTargetSample % QUANTUM_SAMPLES) + QUANTUM_SAMPLES) % QUANTUM_SAMPLES;
  return Math.max(remainder, -firstTargetSample);
};

/** A planner for a render whose pre-skip is `preSkipSamples` (see preSkipFor). */
export const createPacketPlanner = (preSkipSamples: number): PacketPlanner => {
  let position = 0;
  return {
    place(targetSample, durationSamples) {
      const quanta = Math.round((targetSample + preSkipSamples - position) / QUANTUM_SAMPLES) || 0; // not -0
      if (quanta < 0) return { keep: false, reason: 'overlap' };
      const silenceSamples = quanta * QUANTUM_SAMPLES;
      position += silenceSamples + durationSamples;
      return { keep: true, silenceSamples };
    },
    get positionSamples() {
      return position;
    },
  };
};
