/**
 * Settings from the environment, validated with zod: an empty variable means unset (a common
 * artefact of .env files and CI variables), and every problem is a zod issue whose path is the
 * variable, so a refusal names it. Problems of several schemas are gathered and thrown once.
 */
import type { z } from 'zod';
import { formatIssues, TracksError, type ValidationIssue } from '../errors.ts';

export type Env = Record<string, string | undefined>;

/** The variables that are set to something. */
export const cleanEnv = (env: Env): Record<string, string> =>
  Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1].trim() !== ''));

/** Parses `env` with `schema`: the value, or the issues (never both). */
export const parseSettings = <S extends z.ZodType>(schema: S, env: Env): { data: z.output<S>; issues: [] } | { data: undefined; issues: ValidationIssue[] } => {
  const result = schema.safeParse(cleanEnv(env));
  return result.success ? { data: result.data, issues: [] } : { data: undefined, issues: result.error.issues };
};

/** `CONFIG_INVALID` naming every problem, in one line. */
export const configError = (issues: readonly ValidationIssue[]): TracksError =>
  new TracksError('CONFIG_INVALID', `Invalid configuration: ${formatIssues(issues, '(environment)').join('; ')}`, { data: { issues } });

/** Validates variables against a schema; throws `CONFIG_INVALID` listing every problem. */
export const validateEnv = <S extends z.ZodType>(schema: S, env: Env): z.output<S> => {
  const parsed = parseSettings(schema, env);
  if (parsed.issues.length) throw configError(parsed.issues);
  return parsed.data as z.output<S>;
};
