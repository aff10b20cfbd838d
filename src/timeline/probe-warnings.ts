/**
 * What one probed input says about its track before placement (build-timeline.ts): where its
 * container's clock starts, and what is wrong with the file itself (truncation, damage). Pure.
 */
import type { ProbedInput } from './types.ts';

/** A negative first timestamp this small is codec priming (AAC's 1024 samples ≈ 21 ms), not an offset. */
const PRIMING_TOLERANCE_MS = 100;

/** Timeline times (and the seconds in warnings) are kept to three decimals. */
export const round = (ms: number) => Math.round(ms * 1000) / 1000;

/** The container's first timestamp as a meeting offset: priming before 0 is 0; unreadable is null. */
export const containerOffset = (firstMs: number, warnings: string[]): number | null => {
  if (!Number.isFinite(firstMs)) return null;
  if (firstMs >= 0) return firstMs;
  if (firstMs < -PRIMING_TOLERANCE_MS) warnings.push(`container start ${firstMs} ms is before the recording start; placed at 0`);
  return 0;
};

/** What is wrong with the file itself: truncation, damaged stretches. */
export const inputWarnings = (input: Extract<ProbedInput, { probe: unknown }>): string[] => {
  const audio = input.probe.audio!;
  const warnings: string[] = [];
  const { truncated } = input.probe;
  if (truncated) {
    warnings.push(
      `file is truncated (${truncated.sizeBytes} of ${truncated.declaredBytes} bytes): its audio ends at ${round(audio.endMs / 1000)} s, possibly before the participant left`,
    );
  }
  // Damage where a truncated file stops is the truncation itself, already said above.
  for (const d of audio.damage.filter((d) => !truncated || d.atByte + d.skippedBytes < truncated.sizeBytes)) {
    const lost =
      d.lastGoodMs !== null && d.resumedMs !== null
        ? `, audio ${round(d.lastGoodMs / 1000)}–${round(d.resumedMs / 1000)} s (track time) lost`
        : d.lastGoodMs !== null
          ? `, audio after ${round(d.lastGoodMs / 1000)} s (track time) lost`
          : '';
    warnings.push(`damaged data at byte ${d.atByte}: ${d.skippedBytes} bytes unreadable${lost}`);
  }
  return warnings;
};
