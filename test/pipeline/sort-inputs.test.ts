/**
 * The one input sorter (src/pipeline/sort-inputs.ts) as both callers use it: Files as the
 * inspector reads them (web-debugger/src/analyze.ts) and paths on disk (input-files.ts, the CLI's).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sortInputFiles } from '../../src/pipeline/input-files.ts';
import { sortInputs } from '../../src/pipeline/sort-inputs.ts';
import { dailyEventJson, type EventTrackSpec } from '../helpers/daily-event-json.ts';

const SPEC: EventTrackSpec = {
  track: { name: 'a.webm', startSec: 1, endSec: 5 },
  participantId: 'p1',
  displayName: 'Ann',
  contentType: 'audio/webm',
};
const eventJson = JSON.stringify(dailyEventJson([SPEC]));
// A WebM starts with the EBML magic: never mistaken for JSON.
const media = new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 0, 0, 0, 0]);

/** How the inspector reads a dropped File. */
const readFile = async (file: File) => ({
  file: file.name,
  sizeBytes: file.size,
  head: async () => new Uint8Array(await file.slice(0, 16).arrayBuffer()),
  text: () => file.text(),
});

describe('sortInputs', () => {
  it('puts the event log into the options and keeps the media in order', async () => {
    const files = [new File([media], 'b.webm'), new File([eventJson], 'events.json'), new File([media], 'a.webm')];
    const sorted = await sortInputs(files, { gapThresholdMs: 100 }, readFile);
    expect(sorted.media.map((f) => f.name)).toEqual(['b.webm', 'a.webm']);
    expect(sorted.options.gapThresholdMs).toBe(100);
    expect(sorted.options.events?.file).toBe('events.json');
    expect(sorted.options.events && 'log' in sorted.options.events).toBe(true);
  });

  it('treats a JSON file that is no event log as media', async () => {
    const sorted = await sortInputs([new File(['{"words":[]}'], 'other.json')], {}, readFile);
    expect(sorted.media.map((f) => f.name)).toEqual(['other.json']);
    expect(sorted.options.events).toBeUndefined();
  });

  it('refuses two event logs for Files as for paths, naming both', async () => {
    const files = [new File([eventJson], 'one.json'), new File([media], 'a.webm'), new File([eventJson], 'two.json')];
    await expect(sortInputs(files, {}, readFile)).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringContaining('(one.json, two.json)'),
    });
  });

  describe('on disk', () => {
    let dir: string;
    afterAll(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('gives the same answers for paths', async () => {
      dir = await mkdtemp(join(tmpdir(), 'rt-sort-inputs-'));
      const paths = ['one.json', 'a.webm', 'two.json'].map((name) => join(dir, name));
      await writeFile(paths[0]!, eventJson);
      await writeFile(paths[1]!, media);
      await writeFile(paths[2]!, eventJson);
      const sorted = await sortInputFiles(paths.slice(0, 2), {});
      expect(sorted.media).toEqual([paths[1]]);
      expect(sorted.options.events?.file).toBe('one.json');
      await expect(sortInputFiles(paths, {})).rejects.toMatchObject({ code: 'USAGE', message: expect.stringContaining('(one.json, two.json)') });
    });
  });
});
