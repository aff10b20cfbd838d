/**
 * Picks Daily's event JSON out of the inputs, by content: whatever the file is called, a small
 * JSON document with an `events` array of Daily recording events is the event log, not a track.
 * The same code sorts files on disk (CLI, jobs) and Files dropped on the inspector.
 */
import { isDailyEventJson, parseDailyEvents } from '../timeline/daily-events.ts';
import type { TimelineOptions } from '../timeline/build-timeline.ts';

/** Event logs are kilobytes; a bigger input is media. */
export const MAX_EVENT_JSON_BYTES = 16 << 20;

/** Is this text Daily's event JSON? Undefined when it is not JSON of that shape. */
export const eventLogFrom = (file: string, text: string): TimelineOptions['events'] | undefined => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isDailyEventJson(json)) return undefined;
  try {
    return { file, log: parseDailyEvents(json) };
  } catch (error) {
    return { file, error: (error as Error).message };
  }
};

/** Cheap pre-check on the first bytes: JSON objects start with `{` (after whitespace), media never does. */
export const mayBeJson = (head: Uint8Array): boolean => {
  for (const b of head) {
    if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0xef || b === 0xbb || b === 0xbf) continue; // whitespace, UTF-8 BOM
    return b === 0x7b;
  }
  return false;
};

/** Splits inputs into media and at most one event log (a second one is reported and ignored). */
export const splitEventLog = async <T>(
  inputs: readonly T[],
  read: (input: T) => Promise<{ file: string; sizeBytes: number; head: () => Promise<Uint8Array>; text: () => Promise<string> }>,
): Promise<{ media: T[]; events: TimelineOptions['events']; extraLogs: string[] }> => {
  const media: T[] = [];
  let events: TimelineOptions['events'];
  const extraLogs: string[] = [];
  // Every input looked at concurrently (a size and 16 bytes each; only a JSON-looking one is read whole), sorted in order.
  const logs = await Promise.all(
    inputs.map(async (input) => {
      const r = await read(input);
      return { file: r.file, log: r.sizeBytes <= MAX_EVENT_JSON_BYTES && mayBeJson(await r.head()) ? eventLogFrom(r.file, await r.text()) : undefined };
    }),
  );
  for (const [i, input] of inputs.entries()) {
    const r = logs[i]!;
    const log = r.log;
    if (!log) media.push(input);
    else if (!events) events = log;
    else extraLogs.push(r.file);
  }
  return { media, events, extraLogs };
};
