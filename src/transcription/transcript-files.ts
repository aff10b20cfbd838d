/** The transcript's files, as written beside the audio (`process --out`) and into the transcript bucket. */
import { toSrt, toText, toWebVtt } from './formats.ts';
import type { Transcript } from './transcript.ts';

export type TranscriptFile = { name: string; contentType: string; body: string };

export const transcriptFiles = (transcript: Transcript): TranscriptFile[] => [
  { name: 'transcript.json', contentType: 'application/json', body: `${JSON.stringify(transcript, null, 2)}\n` },
  { name: 'transcript.vtt', contentType: 'text/vtt; charset=utf-8', body: toWebVtt(transcript) },
  { name: 'transcript.srt', contentType: 'application/x-subrip; charset=utf-8', body: toSrt(transcript) },
  { name: 'transcript.txt', contentType: 'text/plain; charset=utf-8', body: toText(transcript) },
];
