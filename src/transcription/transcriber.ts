/**
 * The HTTP edge: one chunk of audio → an OpenAI-compatible `POST {apiUrl}/audio/transcriptions`,
 * through the `openai` package with a custom base URL. It sends multipart `file`, `model`,
 * `response_format=verbose_json`, `timestamp_granularities[]=word` and `segment`, `language` when
 * set, and `Authorization: Bearer <key>` only when a key is set. The package retries 408/409/429/
 * 5xx and lost connections with exponential backoff, honouring `Retry-After` (up to 60 s), and
 * times out each attempt; this module bounds how many requests run at once.
 */
import OpenAI, { toFile } from 'openai';
import { TracksError } from '../errors.ts';

export type TranscriberOptions = {
  /** Base URL, e.g. `http://host:8000/v1`; requests go to `<apiUrl>/audio/transcriptions`. */
  apiUrl: string;
  apiKey?: string;
  model?: string;
  language?: string;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** Per attempt (default 300 s). */
  timeoutMs?: number;
  /** Retries after the first attempt (default 5). */
  maxRetries?: number;
};

export type Transcriber = {
  /** The server's JSON answer for one WAV file. Throws TRANSCRIPTION_FAILED once retries are spent. */
  transcribe(wav: Uint8Array, name: string, signal?: AbortSignal): Promise<unknown>;
  readonly model: string;
};

export const createTranscriber = (options: TranscriberOptions): Transcriber => {
  const model = options.model ?? 'whisper-1';
  const client = new OpenAI({
    baseURL: options.apiUrl.replace(/\/+$/, ''),
    // The package insists on a key; without one, the header it would make is removed below.
    apiKey: options.apiKey ?? 'none',
    organization: null,
    project: null,
    timeout: options.timeoutMs ?? 300_000,
    maxRetries: options.maxRetries ?? 5,
    defaultHeaders: options.apiKey ? {} : { Authorization: null },
  });
  let running = 0;
  const waiting: Array<() => void> = [];
  const limit = Math.max(1, options.concurrency ?? 4);
  const slot = async () => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
  };
  const free = () => {
    running--;
    waiting.shift()?.();
  };
  return {
    model,
    async transcribe(wav, name, signal) {
      await slot();
      try {
        return await client.audio.transcriptions.create(
          {
            file: await toFile(wav, name, { type: 'audio/wav' }),
            model,
            response_format: 'verbose_json',
            timestamp_granularities: ['word', 'segment'],
            ...(options.language ? { language: options.language } : {}),
          },
          { signal },
        );
      } catch (error) {
        if (signal?.aborted) throw error;
        const status = error instanceof OpenAI.APIError ? error.status : undefined;
        throw new TracksError(
          'TRANSCRIPTION_FAILED',
          `The transcriber at ${options.apiUrl} failed on ${name}${status ? ` (HTTP ${status})` : ''}: ${(error as Error).message}`,
          { data: { status: status ?? null }, cause: error },
        );
      } finally {
        free();
      }
    },
  };
};
