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
        return { file: input.file, daily, error: errorEntry(error, input.file) };
      } finally {
        onProbed?.(++done, inputs.length);
      }
    }),
  );
};

/** An input's failure as its skipped entry; the entry names the file, so its reason does not again (`x.webm: x.webm: …`). */
export const errorEntry = (error: unknown, file?: string): { code: string; message: string } => {
  const message = TracksError.isError(error) ? error.message : describeError(error);
  return {
    code: TracksError.isError(error) ? error.code : 'MEDIA_UNREADABLE',
    message: file && message.startsWith(`${file}: `) ? message.slice(file.length + 2) : message,
  };
};
