/**
 * The one table of settings, generated from the zod schemas that validate them: the README's
 * settings section, `serve --help` / `worker --help` and `.env.example` are all rendered here
 * (test/config/settings-table.test.ts fails when the README or .env.example drift; `npm run
 * docs:settings` writes them). A setting is one schema entry with `.describe()`; its default and
 * its allowed values are read from the schema itself.
 */
import { z } from 'zod';
import { PersistenceEnv } from './env.ts';
import { ServiceEnv } from './service-env.ts';
import { TranscriptionEnv } from './transcription-config.ts';

/** Read by the test suite and CI only (test/helpers, vitest, .ci/run); documented here, never read by the product. */
export const TestEnv = z.object({
  TEST_DATABASE_URL: z
    .string()
    .url()
    .default('postgres://postgres@127.0.0.1:5432/test')
    .describe('tests only: the PostgreSQL the suites create their databases in (each suite its own, dropped after)'),
  CHROMIUM_PATH: z.string().default('/usr/bin/chromium').describe('tests only: the Chromium the browser tests drive'),
  CHAOS_OUTAGE_SECONDS: z.coerce.number().min(1).optional().describe('tests only: outage length of the chaos suite (npm run chaos sets 20)'),
});

/** Node's own, honoured by the CLI. */
export const CliEnv = z.object({
  NODE_COMPILE_CACHE: z.string().optional().describe("Node's compile cache folder for the CLI (default node_modules/.cache/reflector-tracks)"),
});

export type SettingsSection = { title: string; shape: Record<string, z.ZodType> };

export const SETTINGS: readonly SettingsSection[] = [
  { title: 'Database and storage', shape: PersistenceEnv.shape },
  { title: 'Service', shape: ServiceEnv.shape },
  { title: 'Transcription', shape: TranscriptionEnv.shape },
  { title: 'CLI', shape: CliEnv.shape },
  { title: 'Tests', shape: TestEnv.shape },
];

export type SettingRow = { name: string; section: string; defaultValue: string | null; values: string; description: string };

type Def = { type: string; innerType?: z.ZodType; in?: z.ZodType; defaultValue?: unknown; coerce?: boolean; entries?: Record<string, string> };
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

const range = (min: number | null, max: number | null): string => {
  const big = String;
  if (min !== null && Number.isFinite(min) && max !== null && Number.isFinite(max)) return `${big(min)}–${big(max)}`;
  if (min !== null && Number.isFinite(min)) return `≥ ${big(min)}`;
  return max !== null && Number.isFinite(max) ? `≤ ${big(max)}` : 'any';
};

/** What a schema accepts, in words: its type, range or choices. */
const valuesOf = (schema: z.ZodType): string => {
  const def = defOf(schema);
  if (def.type === 'default' || def.type === 'optional') return valuesOf(def.innerType!);
  if (def.type === 'pipe') return valuesOf(def.in!);
  if (def.type === 'enum') return Object.values(def.entries ?? {}).join(' \\| ');
  if (def.type === 'number') {
    const n = schema as unknown as { minValue: number | null; maxValue: number | null; isInt: boolean };
    return `${n.isInt ? 'integer' : 'number'} ${range(n.minValue, n.maxValue)}`;
  }
  if (def.type === 'string') return (schema as unknown as { format?: string | null }).format === 'url' ? 'URL' : 'text';
  return def.type;
};

const defaultOf = (schema: z.ZodType): string | null => {
  const def = defOf(schema);
  if (def.type === 'default') return String(def.defaultValue);
  if (def.type === 'optional' || def.type === 'pipe') return null;
  return null;
};

export const settingRows = (sections: readonly SettingsSection[] = SETTINGS): SettingRow[] =>
  sections.flatMap(({ title, shape }) =>
    Object.entries(shape).map(([name, schema]) => ({
      name,
      section: title,
      defaultValue: defaultOf(schema),
      values: valuesOf(schema),
      description: schema.description ?? '',
    })),
  );

/** Rows with a heading line before each section's first. */
const withHeadings = (rows: readonly SettingRow[], heading: (section: string) => string[], line: (row: SettingRow) => string[]): string[] =>
  rows.flatMap((r, i) => [...(i === 0 || rows[i - 1]!.section !== r.section ? heading(r.section) : []), ...line(r)]);

/** The README's table (between its settings markers). */
export const settingsMarkdown = (rows: readonly SettingRow[] = settingRows()): string => {
  const table = withHeadings(
    rows,
    (section) => [`| **${section}** | | | |`],
    (r) => [`| \`${r.name}\` | ${r.defaultValue === null ? '' : `\`${r.defaultValue}\``} | ${r.values} | ${r.description.replace(/\|/g, '\\|')} |`],
  );
  return ['| variable | default | values | what |', '|---|---|---|---|', ...table].join('\n');
};

/** The configuration part of `serve --help` and `worker --help`: the product's settings (not the tests'). */
export const settingsHelp = (rows: readonly SettingRow[] = settingRows()): string => {
  const shown = rows.filter((r) => r.section !== 'Tests' && r.section !== 'CLI');
  const width = Math.max(...shown.map((r) => r.name.length)) + 2;
  const lines = withHeadings(
    shown,
    (section) => [section],
    (r) => {
      const facts = [r.values.replace(/\\\|/g, '|'), ...(r.defaultValue === null ? [] : [`default ${r.defaultValue}`])].join('; ');
      return [`  ${r.name.padEnd(width)}${r.description} [${facts}]`];
    },
  );
  return ['Configuration (environment; .env files are not read; unset means the default shown or the integration is off):', ...lines].join('\n');
};

/** `.env.example`: every setting, commented out at its default. */
export const envExample = (rows: readonly SettingRow[] = settingRows()): string => {
  const head = [
    '# reflector-tracks settings, generated from the schemas that validate them (npm run docs:settings).',
    '# Documentation only: reflector-tracks does not read .env files. Export these in the environment',
    '# (or use your process manager’s env file, e.g. systemd EnvironmentFile= or docker --env-file).',
  ];
  const lines = withHeadings(
    rows,
    (section) => ['', `## ${section}`],
    (r) => [`# ${r.description} [${r.values.replace(/\\\|/g, '|')}]`, `#${r.name}=${r.defaultValue ?? ''}`],
  );
  return `${[...head, ...lines].join('\n')}\n`;
};
