/**
 * The transcriber from the environment, validated like the rest (parse-settings.ts): unset
 * `TRANSCRIPTION_API_URL` means no transcription. Each entry's `.describe()` is its line in the
 * settings table (settings-table.ts).
 */
import { z } from 'zod';
import { DEFAULTS } from '../defaults.ts';
import type { TranscriberOptions } from '../transcription/transcriber.ts';
import { type Env, validateEnv } from './parse-settings.ts';

const int = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

export const TranscriptionEnv = z.object({
  TRANSCRIPTION_API_URL: z
    .string()
    .trim()
    .url()
    .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL')
    .optional()
    .describe('OpenAI-compatible base URL of the transcriber (POST …/audio/transcriptions), e.g. http://host:8000/v1 (unset: no transcription)'),
  TRANSCRIPTION_API_KEY: z.string().trim().min(1).optional().describe('sent as Authorization: Bearer … when set'),
  TRANSCRIPTION_MODEL: z.string().trim().min(1).max(200).default(DEFAULTS.transcriptionModel).describe('model name sent with each request'),
  TRANSCRIPTION_LANGUAGE: z
    .string()
    .trim()
    .regex(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/, 'must be a language code such as en')
    .optional()
    .describe('ISO-639-1 language hint, e.g. en (unset: the server detects)'),
  TRANSCRIPTION_CONCURRENCY: int(1, 64, DEFAULTS.transcriptionConcurrency).describe('requests in flight per process'),
  TRANSCRIPTION_TIMEOUT_SECONDS: int(1, 3600, DEFAULTS.transcriptionTimeoutSeconds).describe('per attempt'),
  TRANSCRIPTION_MAX_RETRIES: int(0, 20, DEFAULTS.transcriptionMaxRetries).describe('after the first attempt, on 408/409/429/5xx and lost connections'),
});

/** The transcriber's options from valid settings, or null when TRANSCRIPTION_API_URL is unset. */
export const transcriberOptions = (e: z.output<typeof TranscriptionEnv>): TranscriberOptions | null =>
  e.TRANSCRIPTION_API_URL
    ? {
        apiUrl: e.TRANSCRIPTION_API_URL,
        apiKey: e.TRANSCRIPTION_API_KEY,
        model: e.TRANSCRIPTION_MODEL,
        language: e.TRANSCRIPTION_LANGUAGE,
        concurrency: e.TRANSCRIPTION_CONCURRENCY,
        timeoutMs: e.TRANSCRIPTION_TIMEOUT_SECONDS * 1000,
        maxRetries: e.TRANSCRIPTION_MAX_RETRIES,
      }
    : null;

/** The transcriber's options, or null when TRANSCRIPTION_API_URL is unset. Throws CONFIG_INVALID naming every bad variable. */
export const transcriptionConfig = (env: Env = process.env): TranscriberOptions | null => transcriberOptions(validateEnv(TranscriptionEnv, env));
