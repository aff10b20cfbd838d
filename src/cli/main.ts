/**
 * `reflector-tracks <command>`: dispatch, help, and the one place that turns errors into exit
 * codes and messages (no stack traces for expected failures).
 */
import { TracksError, describeError } from '../errors.ts';
import type { Command } from './command.ts';
import { processCommand } from './process-command.ts';
import { inspectCommand } from './inspect-command.ts';
import { demoCommand } from './demo-command.ts';
import { migrateCommand } from './migrate-command.ts';
import { serveCommand, workerCommand } from './serve-command.ts';
import { apiKeysCommand } from './api-keys-command.ts';
import { reprocessCommand } from './reprocess-command.ts';

const COMMANDS: Command[] = [serveCommand, workerCommand, apiKeysCommand, reprocessCommand, processCommand, inspectCommand, demoCommand, migrateCommand];

const usage = (): string =>
  [
    'reflector-tracks: meeting recordings turned into timeline-true audio for transcription.',
    '',
    'Usage: reflector-tracks <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`),
    '',
    "Run `reflector-tracks <command> --help` for a command's options.",
  ].join('\n');

export const main = async (argv: string[]): Promise<number> => {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`reflector-tracks: unknown command "${name}".\n\n${usage()}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.help}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (TracksError.isError(error, 'USAGE')) {
      process.stderr.write(`reflector-tracks ${name}: ${error.message}\n\n${command.help}\n`);
      return 2;
    }
    process.stderr.write(`reflector-tracks ${name}: ${describeError(error)}\n`);
    if (!TracksError.isError(error)) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
    return 1;
  }
};
