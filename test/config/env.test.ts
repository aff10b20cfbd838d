import { describe, expect, it } from 'vitest';
import { parseEnv, persistenceConfig } from '../../src/config/env.ts';

describe('environment', () => {
  it('defaults to PGlite and local storage under ./data', () => {
    const config = persistenceConfig(parseEnv({}));
    expect(config).toMatchObject({
      dataDir: './data',
      databaseUrl: undefined,
      storage: { kind: 'local', rootDir: './data/objects', buckets: { transcripts: 'transcripts', whereby: 'whereby', daily: 'daily' } },
    });
  });

  it('switches to PostgreSQL and S3 when configured, path-style endpoint included', () => {
    const config = persistenceConfig(
      parseEnv({
        DATABASE_URL: 'postgres://app@db:5432/reflector',
        TRANSCRIPT_STORAGE_AWS_ACCESS_KEY_ID: 'AKIA',
        TRANSCRIPT_STORAGE_AWS_SECRET_ACCESS_KEY: 's',
        TRANSCRIPT_STORAGE_AWS_REGION: 'eu-west-1',
        TRANSCRIPT_STORAGE_AWS_ENDPOINT_URL: 'http://minio:9000',
        TRANSCRIPT_STORAGE_AWS_BUCKET_NAME: 'out',
        WHEREBY_STORAGE_AWS_BUCKET_NAME: 'wb',
        DAILYCO_STORAGE_AWS_BUCKET_NAME: 'dy',
      }),
    );
    expect(config).toMatchObject({
      databaseUrl: 'postgres://app@db:5432/reflector',
      storage: { kind: 's3', region: 'eu-west-1', endpoint: 'http://minio:9000', buckets: { transcripts: 'out', whereby: 'wb', daily: 'dy' } },
    });
  });

  it('names every problem in one message', () => {
    expect(() => parseEnv({ DATABASE_URL: 'mysql://x', TRANSCRIPT_STORAGE_AWS_ACCESS_KEY_ID: 'AKIA', PUBLIC_URL: 'not a url' })).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: expect.stringMatching(
          /DATABASE_URL: must be a postgres:\/\/ URL[\s\S]*PUBLIC_URL[\s\S]*TRANSCRIPT_STORAGE_AWS_SECRET_ACCESS_KEY: required with TRANSCRIPT_STORAGE_AWS_ACCESS_KEY_ID[\s\S]*TRANSCRIPT_STORAGE_AWS_REGION/,
        ),
      }),
    );
  });

  it('treats empty variables as unset', () => {
    expect(parseEnv({ DATABASE_URL: '', DATA_DIR: '' })).toMatchObject({ DATA_DIR: './data' });
  });
});
