/**
 * Transcript files, pure: WebVTT with `<v Speaker>` voice spans (https://www.w3.org/TR/webvtt1/#webvtt-cue-voice-span),
 * SubRip, and plain "Speaker: text" lines. One cue per segment.
 */
import type { Transcript } from './transcript.ts';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const timestamp = (ms: number, separator: '.' | ',') => {
  const total = Math.max(0, Math.round(ms));
  const h = Math.floor(total / 3_600_000);
  const m = Math.floor((total % 3_600_000) / 60_000);
  const s = Math.floor((total % 60_000) / 1000);
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator}${pad(total % 1000, 3)}`;
};
/** Cue text may not hold `-->` or a blank line, and `<`/`&` start markup in WebVTT. */
const cueText = (text: string) => text.replace(/\s+/g, ' ').replace(/-->/g, '→');
const escapeVtt = (text: string) => cueText(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** A voice annotation ends at `>`; keep it to plain text. */
const voice = (speaker: string) => escapeVtt(speaker).replace(/&gt;|&lt;|&amp;/g, '');
/** A cue needs end > start: a one-word segment of zero length still shows. */
const endOf = (s: { startMs: number; endMs: number }) => Math.max(s.endMs, s.startMs + 1);

export const toWebVtt = (t: Transcript): string =>
  [
    'WEBVTT',
    '',
    ...t.segments.flatMap((s, i) => [
      String(i + 1),
      `${timestamp(s.startMs, '.')} --> ${timestamp(endOf(s), '.')}`,
      `<v ${voice(s.speaker)}>${escapeVtt(s.text)}`,
      '',
    ]),
  ].join('\n');

export const toSrt = (t: Transcript): string =>
  t.segments
    .map((s, i) => [String(i + 1), `${timestamp(s.startMs, ',')} --> ${timestamp(endOf(s), ',')}`, `${cueText(s.speaker)}: ${cueText(s.text)}`, ''].join('\n'))
    .join('\n');

export const toText = (t: Transcript): string => t.segments.map((s) => `${s.speaker}: ${s.text}`).join('\n') + (t.segments.length ? '\n' : '');
