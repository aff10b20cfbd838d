/**
 * A CLI command and the argument parsing they share (node:util parseArgs, strict).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { TracksError } from '../errors.ts';

export type Command = {
  name: string;
  summary: string;
  help: string;
  /** Resolves to the exit code. */
  run(argv: string[]): Promise<number>;
};

export const parseCommandArgs = <T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) => {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new TracksError('USAGE', (error as Error).message);
  }
};

/** A positive number option, or its default. */
export const numberOption = (value: string | undefined, name: string, fallback: number, range: [number, number] = [0, Number.MAX_SAFE_INTEGER]): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < range[0] || n > range[1]) {
    throw new TracksError('USAGE', `--${name} must be a number from ${range[0]} to ${range[1]}, got "${value}".`);
  }
  return n;
};
