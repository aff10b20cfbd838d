import { describe, expect, it } from 'vitest';
import { parseDailyTrackName } from '../../src/timeline/daily-track-name.ts';

describe('Daily raw-track names', () => {
  it('parses participant, track name and the filename offset, with or without an extension or a folder', () => {
    const name = '1700000000000-AAAAAAAA-1111-4111-8111-111111111111-cam-audio-1700000008339';
    const expected = {
      recordingStartMs: 1700000000000,
      participantId: 'aaaaaaaa-1111-4111-8111-111111111111',
      trackName: 'cam-audio',
      trackStartMs: 1700000008339,
      filenameOffsetMs: 8339,
    };
    expect(parseDailyTrackName(name)).toEqual(expected);
    expect(parseDailyTrackName(`room/raw/${name}.webm`)).toEqual(expected);
  });

  it('keeps dashed track names whole', () => {
    expect(parseDailyTrackName('1700000000000-11111111-1111-4111-8111-111111111111-screen-audio-1700000000100')?.trackName).toBe('screen-audio');
  });

  it('returns null for anything else', () => {
    expect(parseDailyTrackName('meeting.webm')).toBeNull();
    expect(parseDailyTrackName('1700000000000-not-a-uuid-cam-audio-1700000000100')).toBeNull();
  });
});
