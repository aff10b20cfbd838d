/**
 * `reflector-tracks inspect <file...> [--json]`: the timeline alone. Reads packet timestamps
 * only; nothing is decoded, so it answers in well under a second per hour of track.
 */
import { sortInputFiles } from '../pipeline/input-files.ts';
import { inspectFiles } from '../pipeline/process-files.ts';
import { formatTimelineTable } from '../timeline/format-table.ts';
import { numberOption, parseCommandArgs, type Command } from './command.ts';
import { inputPaths } from './input-paths.ts';

const help = `Usage: reflector-tracks inspect <file or recording folder...> [--json] [--gap-threshold-ms <ms>]

Prints the meeting timeline of the given tracks: each track's offset (container and Daily file
name, and their delta), end, gaps, talk time, warnings, and the inputs that would be skipped.
A folder stands for every file in it. No audio is decoded. --json prints the same JSON as process writes to timeline.json
(with "output": null).`;

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'print the timeline of recording files (fast, no decoding)',
  help,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' }, 'gap-threshold-ms': { type: 'string' } });
    const gapThresholdMs = numberOption(values['gap-threshold-ms'], 'gap-threshold-ms', 100, [1, 600_000]);
    // Daily's event JSON among the files is the timeline's, by content.
    const sorted = await sortInputFiles(await inputPaths(positionals), { gapThresholdMs });
    const timeline = await inspectFiles(sorted.media, sorted.options);
    process.stdout.write(values.json ? `${JSON.stringify(timeline, null, 2)}\n` : `${formatTimelineTable(timeline)}\n`);
    return timeline.tracks.length > 0 ? 0 : 1;
  },
};
