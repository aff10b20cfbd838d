/**
 * The one input sorter of the Node pipeline (process-files.ts: paths on disk) and the inspector
 * (web-debugger/src/analyze.ts: dropped Files): Daily's event JSON, recognised by content
 * (event-json.ts), goes to the timeline's options, everything else is media. Several event logs
 * are refused rather than one picked silently: which belongs to this recording is the caller's
 * to say. Pure: the caller's `read` is the only I/O.
 */
import { TracksError } from '../errors.ts';
import type { TimelineOptions } from '../timeline/build-timeline.ts';
import { splitEventLog } from './event-json.ts';

export type InputReader<T> = (input: T) => Promise<{ file: string; sizeBytes: number; head: () => Promise<Uint8Array>; text: () => Promise<string> }>;

export const sortInputs = async <T>(
  inputs: readonly T[],
  options: TimelineOptions,
  read: InputReader<T>,
): Promise<{ media: T[]; options: TimelineOptions }> => {
  const { media, events, extraLogs } = await splitEventLog(inputs, read);
  if (extraLogs.length)
    throw new TracksError(
      'USAGE',
      `more than one Daily event JSON among the inputs (${[events?.file, ...extraLogs].join(', ')}); give the one of this recording.`,
    );
  return { media, options: events ? { ...options, events } : options };
};
