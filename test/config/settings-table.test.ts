/**
 * One table of settings: the README's section, .env.example and `serve --help` / `worker --help`
 * are generated from the zod schemas that validate the settings, and fail here when they drift.
 */
import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { README_MARKERS } from '../../src/config/settings-docs.ts';
import { envExample, settingRows, settingsHelp, settingsMarkdown } from '../../src/config/settings-table.ts';
import { serveCommand, workerCommand } from '../../src/cli/serve-command.ts';

const root = new URL('../../', import.meta.url);
const REGENERATE = 'out of date: run `npm run docs:settings`';

describe('the settings table', () => {
  it('is what the README shows between its settings markers', async () => {
    const readme = await readFile(new URL('README.md', root), 'utf8');
    const [start, end] = README_MARKERS;
    const section = readme.slice(readme.indexOf(start) + start.length, readme.indexOf(end)).trim();
    expect(section, REGENERATE).toBe(settingsMarkdown());
  });

  it('is what .env.example ships', async () => {
    expect(await readFile(new URL('.env.example', root), 'utf8'), REGENERATE).toBe(envExample());
  });

  it('is what serve --help and worker --help print', () => {
    for (const command of [serveCommand, workerCommand]) expect(command.help).toContain(settingsHelp());
  });

  it('lists every setting the newcomer looked for, each with a description', () => {
    const rows = settingRows();
    const names = rows.map((r) => r.name);
    for (const name of [
      'PORT',
      'HOST',
      'TRACK_FORMAT',
      'DAILYCO_STORAGE_AWS_ROLE_ARN',
      'DAILYCO_STORAGE_AWS_REGION',
      'SQS_ENDPOINT_URL',
      'PUBLIC_URL',
      'OBJECT_URL_SECRET',
      'TRANSCRIPTION_API_URL',
      'TRANSCRIPTION_API_KEY',
      'TRANSCRIPTION_MODEL',
      'TRANSCRIPTION_LANGUAGE',
      'TRANSCRIPTION_CONCURRENCY',
      'TRANSCRIPTION_TIMEOUT_SECONDS',
      'TRANSCRIPTION_MAX_RETRIES',
      'TEST_DATABASE_URL',
      'RETENTION_DAYS',
    ])
      expect(names).toContain(name);
    expect(new Set(names).size).toBe(names.length);
    for (const r of rows) expect(r.description, r.name).not.toBe('');
    expect(rows.find((r) => r.name === 'TEST_DATABASE_URL')!.description).toMatch(/^tests only/);
    expect(rows.find((r) => r.name === 'PORT')).toMatchObject({ defaultValue: '8080', values: 'integer 0–65535' });
    expect(rows.find((r) => r.name === 'HOST')).toMatchObject({ defaultValue: '0.0.0.0' });
  });
});
