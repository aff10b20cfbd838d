/**
 * A CLI command and the argument parsing they share (node:util parseArgs, strict). A command
 * declares its options once (`CommandOptions`); parsing, "did you mean" and negative numbers as
 * option values all read that one declaration, so a new flag is one entry there and one line of help.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { TracksError } from '../errors.ts';
import { didYouMean } from './suggest.ts';

export type Command = {
  name: string;
  summary: string;
  help: string;
  /** Resolves to the exit code. */
  run(argv: string[]): Promise<number>;
};

export type CommandOptions = NonNullable<ParseArgsConfig['options']>;

/** `-16`, `-0.5`, `-.5`: a value, not a flag. */
const NEGATIVE_NUMBER = /^-(\d|\.\d)/;

/**
 * A string option followed by a negative number takes it as its value (`--loudnorm-target -16`):
 * parseArgs would refuse it as ambiguous, since the value starts with a dash.
 */
const joinNegativeValues = (argv: readonly string[], options: CommandOptions): string[] => {
  const shortToLong = new Map(Object.entries(options).flatMap(([name, o]) => (o.short ? [[o.short, name] as const] : [])));
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const name = arg.startsWith('--') ? arg.slice(2) : /^-[^-]$/.test(arg) ? shortToLong.get(arg.slice(1)) : undefined;
    const next = argv[i + 1];
    if (name && options[name]?.type === 'string' && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      out.push(`--${name}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
};

/** What parseArgs reports, in one line that names the flag and what to do. */
const usageMessage = (error: Error & { code?: string }, options: CommandOptions): string => {
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const flag = error.message.match(/'([^']+)'/)?.[1] ?? '';
    const known = [...Object.keys(options).map((n) => `--${n}`), '--help'];
    return `unknown option ${flag}${didYouMean(flag, known)}`;
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const flag = error.message.match(/'(--?[^' ]+)/)?.[1] ?? 'an option';
    return error.message.includes('argument missing') || error.message.includes('ambiguous')
      ? `${flag} needs a value`
      : `${flag} ${options[flag.replace(/^-+/, '')]?.type === 'boolean' ? 'takes no value' : 'has a bad value'}`;
  }
  return error.message.split('\n')[0]!;
};

export const parseCommandArgs = <T extends CommandOptions>(argv: string[], options: T) => {
  const args = joinNegativeValues(argv, options);
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new TracksError('USAGE', usageMessage(error as Error, options));
  }
};

/** A number option within `range`, or its default. */
export const numberOption = (value: string | undefined, name: string, fallback: number, range: [number, number] = [0, Number.MAX_SAFE_INTEGER]): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < range[0] || n > range[1]) {
    throw new TracksError('USAGE', `--${name} must be a number from ${range[0]} to ${range[1]}, got "${value}"`);
  }
  return n;
};
