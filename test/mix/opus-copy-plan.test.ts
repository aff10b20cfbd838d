/**
 * The copied render's pure parts: where packets go (packet-plan.ts), which packets are damaged
 * (opus-toc.ts), and the EBML the writer emits read back by the project's own reader.
 */
import { describe, expect, it } from 'vitest';
import { createPacketPlanner, msToSamples, preSkipFor, QUANTUM_SAMPLES } from '../../src/mix/opus-copy/packet-plan.ts';
import { opusPacketValid } from '../../src/probe/opus-toc.ts';
import { sizeVint } from '../../src/mix/opus-copy/ebml-write.ts';
import { readVint } from '../../src/probe/ebml.ts';
import { silentOpusFrame } from '../../src/mix/opus-copy/silence.ts';

describe('packet plan', () => {
  it('puts the first packet exactly, the remainder of a quantum going into the pre-skip', () => {
    for (const target of [-312, 0, 1, 119, 120, 390_408, 390_432]) {
      const preSkip = preSkipFor(target);
      const lead = createPacketPlanner(preSkip).place(target, 960);
      expect(lead.keep).toBe(true);
      // Decoded position of the packet = lead-in − pre-skip = its target, exactly.
      expect(lead.keep && lead.silenceSamples - preSkip).toBe(target);
      expect(preSkip).toBeGreaterThanOrEqual(0);
      expect(preSkip < QUANTUM_SAMPLES || preSkip === -target).toBe(true);
    }
  });

  it('never lets rounding accumulate: an hour of 2.5 ms packets on a millisecond clock stays within half a quantum', () => {
    const planner = createPacketPlanner(0);
    let worst = 0;
    let silence = 0;
    let dropped = 0;
    for (let k = 0; k < 1_440_000; k++) {
      const target = msToSamples(Math.round(k * 2.5)); // WebM's ms timestamps
      const placed = planner.place(target, 120);
      if (placed.keep) silence += placed.silenceSamples;
      else dropped++;
      worst = Math.max(worst, Math.abs(planner.positionSamples - 120 - k * 120));
    }
    expect([silence, dropped, worst]).toEqual([0, 0, 0]);
  });

  it('fills holes in whole quanta to within half a quantum of the target, with mixed frame sizes', () => {
    const planner = createPacketPlanner(0);
    const packets = [
      [0, 480],
      [480, 960],
      [1440, 1920],
      [3360, 2880],
      [10_000, 960], // after a hole of 3760 samples: 31.33 quanta → 31
      [11_000, 120],
    ] as const;
    for (const [target, duration] of packets) {
      const before = planner.positionSamples;
      const placed = planner.place(target, duration);
      expect(placed.keep).toBe(true);
      if (!placed.keep) continue;
      expect(placed.silenceSamples % QUANTUM_SAMPLES).toBe(0);
      expect(Math.abs(before + placed.silenceSamples - target)).toBeLessThanOrEqual(QUANTUM_SAMPLES / 2);
    }
  });

  it('drops duplicates, timestamps that run backwards and overlaps, keeps what follows in place', () => {
    const planner = createPacketPlanner(0);
    expect(planner.place(0, 960)).toEqual({ keep: true, silenceSamples: 0 });
    expect(planner.place(0, 960)).toEqual({ keep: false, reason: 'overlap' }); // duplicate
    expect(planner.place(480, 960)).toEqual({ keep: false, reason: 'overlap' }); // overlaps by 10 ms
    expect(planner.place(960, 960)).toEqual({ keep: true, silenceSamples: 0 });
    expect(planner.place(-960, 960)).toEqual({ keep: false, reason: 'overlap' }); // backwards
    expect(planner.place(1920 - 48, 960)).toEqual({ keep: true, silenceSamples: 0 }); // 1 ms early: the ms clock's rounding
    expect(planner.positionSamples).toBe(2880);
  });
});

describe('Opus packet framing (RFC 6716 §3.4)', () => {
  it('accepts well-formed packets of every code and rejects broken ones', () => {
    expect(opusPacketValid(Uint8Array.of(0xf8, 0xff, 0xfe))).toBe(true);
    expect(opusPacketValid(Uint8Array.of(0x79, 1, 2, 3, 4))).toBe(true); // code 1, two 2-byte frames
    expect(opusPacketValid(Uint8Array.of(0x79, 1, 2, 3))).toBe(false); // code 1, odd payload
    expect(opusPacketValid(Uint8Array.of(0x7a, 2, 9, 9, 9))).toBe(true); // code 2: 2 + 1 bytes
    expect(opusPacketValid(Uint8Array.of(0x7a, 9, 9, 9))).toBe(false); // code 2: first frame longer than the packet
    expect(opusPacketValid(Uint8Array.of(0x7b, 0x03, 1, 1, 2, 2, 3, 3))).toBe(true); // code 3 CBR: 6 bytes in 3 frames
    expect(opusPacketValid(Uint8Array.of(0x7b, 0x03, 1, 1, 2, 2, 3))).toBe(false); // 5 bytes do not split in 3
    expect(opusPacketValid(Uint8Array.of(0x7b, 0x00))).toBe(false); // code 3 with no frame
    expect(opusPacketValid(Uint8Array.of(0x7b, 0x43, 200, 1, 2))).toBe(false); // padding longer than the packet
    expect(opusPacketValid(Uint8Array.of(0x7b, 0x82, 1, 9, 8, 8))).toBe(true); // VBR: 1 + 2 bytes
    expect(opusPacketValid(Uint8Array.of(0x7b, 0x82, 5, 9))).toBe(false);
    expect(opusPacketValid(Uint8Array.of())).toBe(false);
  });
});

describe('EBML writing', () => {
  it('writes sizes the reader reads back, in the shortest length or a fixed one', () => {
    for (const value of [0, 1, 126, 127, 128, 16_382, 16_383, 2 ** 21, 2 ** 35 + 7]) {
      for (const bytes of [sizeVint(value), sizeVint(value, 8)]) {
        const read = readVint(bytes, 0, false);
        expect(read, `size ${value}`).toMatchObject({ value, length: bytes.length, unknown: false });
      }
    }
    expect(sizeVint(127).length).toBe(2); // 0xFF alone would mean "unknown"
  });

  it('writes silent frames as CELT fullband, code 0, mono or stereo', () => {
    expect([...silentOpusFrame(960, 1)]).toEqual([0xf8, 0xff, 0xfe]);
    expect([...silentOpusFrame(120, 2)]).toEqual([0xe4, 0xff, 0xfe]);
  });
});
