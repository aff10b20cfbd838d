/**
 * `reflector-tracks <command>`: dispatch, help, and the one place that turns errors into exit
 * codes and messages (no stack traces for expected failures).
 */
import { TracksError, describeError } from '../errors.ts';
import { readFile } from 'node:fs/promises';
import type { Command } from './command.ts';
import { didYouMean } from './suggest.ts';

/**
 * Commands load on use: `--help` and a light command never pay for the engine, the pipeline or
 * the server (each command module pulls in its own). The summaries here match the modules'.
 */
export const COMMANDS: Array<{ name: string; summary: string; load: () => Promise<Command> }> = [
  { name: 'serve', summary: 'run the HTTP server and the job workers (the service)', load: async () => (await import('./serve-command.ts')).serveCommand },
  { name: 'worker', summary: 'run job workers only (scale out beside one serve)', load: async () => (await import('./serve-command.ts')).workerCommand },
  { name: 'api-keys', summary: 'create, list and revoke API keys', load: async () => (await import('./api-keys-command.ts')).apiKeysCommand },
  {
    name: 'doctor',
    summary: 'check the configuration against the database, buckets, queue and platforms',
    load: async () => (await import('./doctor-command.ts')).doctorCommand,
  },
  { name: 'reprocess', summary: 'queue a failed or partial recording again', load: async () => (await import('./reprocess-command.ts')).reprocessCommand },
  {
    name: 'process',
    summary: 'render tracks, mixdown and timeline from recording files',
    load: async () => (await import('./process-command.ts')).processCommand,
  },
  {
    name: 'inspect',
    summary: 'print the timeline of recording files (fast, no decoding)',
    load: async () => (await import('./inspect-command.ts')).inspectCommand,
  },
  {
    name: 'demo',
    summary: 'run both ingestion flows on embedded defaults and show each step',
    load: async () => (await import('./demo-command.ts')).demoCommand,
  },
  {
    name: 'migrate',
    summary: 'apply database migrations (PostgreSQL or embedded PGlite)',
    load: async () => (await import('./migrate-command.ts')).migrateCommand,
  },
];

const usage = (): string =>
  [
    'reflector-tracks: meeting recordings turned into timeline-true audio for transcription.',
    '',
    'Usage: reflector-tracks <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`),
    '',
    "Run `reflector-tracks <command> --help` for a command's options, `reflector-tracks --version` for the version.",
  ].join('\n');

const version = async (): Promise<string> => {
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return `reflector-tracks ${pkg.version} (Node ${process.versions.node})`;
};

/** One line for anything a command throws: a file-system error names its path, never a stack trace. */
const oneLine = (error: unknown): string => {
  const sys = error as { code?: unknown; path?: unknown; syscall?: unknown };
  if (!TracksError.isError(error) && typeof sys?.code === 'string' && typeof sys.path === 'string') {
    const what = { ENOENT: 'does not exist', EACCES: 'is not readable (permission denied)', EISDIR: 'is a folder', ENOTDIR: 'is not a folder' }[sys.code];
    return `${sys.path}: ${what ?? `${sys.code} on ${String(sys.syscall)}`}`;
  }
  return describeError(error).split('\n')[0]!;
};

export const main = async (argv: string[]): Promise<number> => {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    process.stdout.write(`${await version()}\n`);
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    const known = COMMANDS.map((c) => c.name);
    process.stderr.write(`reflector-tracks: unknown command "${name}"${didYouMean(name, known)}; run \`reflector-tracks --help\` for the list.\n`);
    return 2;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.help}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (TracksError.isError(error, 'USAGE')) {
      process.stderr.write(`reflector-tracks ${name}: ${error.message}; see \`reflector-tracks ${name} --help\`.\n`);
      return 2;
    }
    process.stderr.write(`reflector-tracks ${name}: ${oneLine(error)}\n`);
    return 1;
  }
};
