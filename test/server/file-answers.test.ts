/**
 * What the download and audio routes accept before they touch storage: a `Range` header read as
 * RFC 9110 §14.1.2 says (one range or the whole file), and a file name that any render may have
 * (renders are named after their inputs: Whereby keys hold `:`, uploads spaces and any script)
 * but never a path.
 */
import { describe, expect, it } from 'vitest';
import { parseRangeHeader } from '../../src/server/file-answer.ts';
import { RECORDING_FILE_ROUTES } from '../../src/server/recording-file-route-specs.ts';

describe('Range header', () => {
  it('reads one bytes range, a suffix or an open end', () => {
    expect(parseRangeHeader('bytes=0-99')).toEqual({ start: 0, end: 99 });
    expect(parseRangeHeader('bytes=100-')).toEqual({ start: 100 });
    expect(parseRangeHeader('bytes=-500')).toEqual({ suffixBytes: 500 });
  });
  it('answers the whole file for what it cannot honour as one range', () => {
    for (const header of [undefined, '', 'bytes=-', 'bytes=9-3', 'bytes=0-1,5-9', 'items=0-9', 'bytes=1000000000000000000000-'])
      expect(parseRangeHeader(header), String(header)).toBeNull();
  });
});

describe('download file names', () => {
  const name = RECORDING_FILE_ROUTES.recordingFile.params.shape.name;
  it('accepts any render name', () => {
    for (const n of ['mixdown.mp3', 'teamsync-2026-11-29T09:00:00Z.webm', 'Ana María (laptop).webm', '1733-cam+audio.flac'])
      expect(name.safeParse(n).success, n).toBe(true);
  });
  it('refuses paths and control characters', () => {
    for (const n of ['', 'tracks/a.webm', '..\\a.webm', 'a\u0000.webm', 'a\n.webm', 'x'.repeat(256)])
      expect(name.safeParse(n).success, JSON.stringify(n)).toBe(false);
  });
});
