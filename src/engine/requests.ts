/**
 * Request checks and stop errors shared by the Node and browser engines.
 */
import { TracksError } from '../errors.ts';
import type { RunRequest } from './engine.ts';

export const abortError = (signal: AbortSignal): TracksError =>
  new TracksError('ENGINE_ABORTED', `ffmpeg command aborted${signal.reason instanceof Error ? `: ${signal.reason.message}` : ''}.`);

export const timeoutError = (timeoutMs: number, args: readonly string[]): TracksError =>
  new TracksError('ENGINE_TIMEOUT', `ffmpeg command timed out after ${timeoutMs} ms.`, { data: { timeoutMs, args: [...args] } });

const SAFE_NAME = /^[A-Za-z0-9._-][A-Za-z0-9._ +-]*$/;

/** Engine file names are bare names in the command's working directory: nothing that could escape it. */
export const validateRequestNames = (request: Pick<RunRequest, 'inputs' | 'outputs'>): void => {
  const seen = new Set<string>();
  for (const { name } of [...(request.inputs ?? []), ...(request.outputs ?? [])]) {
    if (!SAFE_NAME.test(name) || name === '.' || name === '..') {
      throw new TracksError('ENGINE_BAD_REQUEST', `Engine file name ${JSON.stringify(name)} must be a bare file name (letters, digits, . _ - + space).`);
    }
    if (seen.has(name)) throw new TracksError('ENGINE_BAD_REQUEST', `Engine file name ${JSON.stringify(name)} is used twice.`);
    seen.add(name);
  }
};
