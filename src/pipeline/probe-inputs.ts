/**
 * Probes every input concurrently; a failure becomes that input's error entry, never the batch's.
 */
import { TracksError, describeError } from '../errors.ts';
import { parseDailyTrackName } from '../timeline/daily-track-name.ts';
import type { ProbeResult } from '../probe/probe-media.ts';
import type { ProbedInput } from '../timeline/types.ts';

export type ProbeableInput = { file: string; probe: () => Promise<ProbeResult> };

export const probeInputs = async (inputs: readonly ProbeableInput[], onProbed?: (done: number, total: number) => void): Promise<ProbedInput[]> => {
  let done = 0;
  return Promise.all(
    inputs.map(async (input): Promise<ProbedInput> => {
      const daily = parseDailyTrackName(input.file);
      try {
        return { file: input.file, daily, probe: await input.probe() };
      } catch (error) {
        return { file: input.file, daily, error: errorEntry(error) };
      } finally {
        onProbed?.(++done, inputs.length);
      }
    }),
  );
};

export const errorEntry = (error: unknown): { code: string; message: string } => ({
  code: TracksError.isError(error) ? error.code : 'MEDIA_UNREADABLE',
  message: TracksError.isError(error) ? error.message : describeError(error),
});
