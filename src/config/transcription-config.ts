/**
 * The transcriber from the environment, validated like the rest (env.ts): unset
 * `TRANSCRIPTION_API_URL` means no transcription.
 *
 *   TRANSCRIPTION_API_URL          OpenAI-compatible base URL, e.g. http://host:8000/v1
 *   TRANSCRIPTION_API_KEY          sent as `Authorization: Bearer …` when set
 *   TRANSCRIPTION_MODEL            default whisper-1
 *   TRANSCRIPTION_LANGUAGE         ISO-639-1 hint, e.g. en (default: the server detects)
 *   TRANSCRIPTION_CONCURRENCY      requests in flight per process (default 4)
 *   TRANSCRIPTION_TIMEOUT_SECONDS  per attempt (default 300)
 *   TRANSCRIPTION_MAX_RETRIES      after the first attempt, on 408/409/429/5xx and lost connections (default 5)
 */
import { z } from 'zod';
import { validateEnv } from './env.ts';
import type { TranscriberOptions } from '../transcription/transcriber.ts';

const int = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

const TranscriptionEnv = z.object({
  TRANSCRIPTION_API_URL: z
    .string()
    .trim()
    .url()
    .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL')
    .optional(),
  TRANSCRIPTION_API_KEY: z.string().trim().min(1).optional(),
  TRANSCRIPTION_MODEL: z.string().trim().min(1).max(200).default('whisper-1'),
  TRANSCRIPTION_LANGUAGE: z
    .string()
    .trim()
    .regex(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/, 'must be a language code such as en')
    .optional(),
  TRANSCRIPTION_CONCURRENCY: int(1, 64, 4),
  TRANSCRIPTION_TIMEOUT_SECONDS: int(1, 3600, 300),
  TRANSCRIPTION_MAX_RETRIES: int(0, 20, 5),
});

/** The transcriber's options, or null when TRANSCRIPTION_API_URL is unset. Throws CONFIG_INVALID naming every bad variable. */
export const transcriptionConfig = (env: Record<string, string | undefined> = process.env): TranscriberOptions | null => {
  const e = validateEnv(TranscriptionEnv, env);
  if (!e.TRANSCRIPTION_API_URL) return null;
  return {
    apiUrl: e.TRANSCRIPTION_API_URL,
    apiKey: e.TRANSCRIPTION_API_KEY,
    model: e.TRANSCRIPTION_MODEL,
    language: e.TRANSCRIPTION_LANGUAGE,
    concurrency: e.TRANSCRIPTION_CONCURRENCY,
    timeoutMs: e.TRANSCRIPTION_TIMEOUT_SECONDS * 1000,
    maxRetries: e.TRANSCRIPTION_MAX_RETRIES,
  };
};
