/**
 * The service's security settings as validated at start: weak webhook secrets and half an OIDC
 * configuration refused with every problem named; authentication off only by an explicit
 * AUTH_DISABLED=true, and then every caller is the operator.
 */
import { describe, expect, it } from 'vitest';
import { operatorAuthenticator } from '../../src/auth/authenticate.ts';
import { loadServiceConfig } from '../../src/config/service-config.ts';

describe('service configuration', () => {
  it('refuses webhook secrets under 16 bytes, a short metrics token and half an OIDC setup, naming each', () => {
    expect(() =>
      loadServiceConfig({ DAILY_WEBHOOK_SECRET: '====', WHEREBY_WEBHOOK_SECRET: 'short', METRICS_TOKEN: 'abc', AUTH_JWKS_URL: 'https://id.example/jwks.json' }),
    ).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: expect.stringMatching(
          /DAILY_WEBHOOK_SECRET: must decode to at least 16 bytes[\s\S]*WHEREBY_WEBHOOK_SECRET: must be at least 16 bytes[\s\S]*METRICS_TOKEN[\s\S]*AUTH_ISSUER: required[\s\S]*AUTH_AUDIENCE: required/,
        ),
      }),
    );
    const ok = loadServiceConfig({ DAILY_WEBHOOK_SECRET: Buffer.from('sixteen bytes ok').toString('base64') });
    expect(ok.auth).toEqual({ disabled: false });
    expect(ok.maxBodyBytes).toBe(1024 * 1024);
  });

  it('turns authentication off only with AUTH_DISABLED=true, and then every caller is the operator', async () => {
    expect(loadServiceConfig({}).auth.disabled).toBe(false);
    expect(loadServiceConfig({ AUTH_DISABLED: 'true' }).auth.disabled).toBe(true);
    expect(() => loadServiceConfig({ AUTH_DISABLED: 'maybe' })).toThrow(/AUTH_DISABLED/);
    expect(await operatorAuthenticator('AUTH_DISABLED')(new Headers())).toMatchObject({ ok: true, principal: { scope: 'admin', kind: 'operator' } });
  });

  it('reads the state-machine settings: lease, grace, retention, raw deletion policy', () => {
    const c = loadServiceConfig({ JOB_LEASE_SECONDS: '5', SHUTDOWN_GRACE_SECONDS: '2', RETENTION_DAYS: '7', DELETE_RAW_RECORDINGS: 'false' });
    expect(c).toMatchObject({ jobLeaseMs: 5000, shutdownGraceMs: 2000, retentionDays: 7, deleteRawRecordings: 'none' });
    expect(loadServiceConfig({}).deleteRawRecordings).toBe('audio');
    expect(loadServiceConfig({ DELETE_RAW_RECORDINGS: 'all' }).deleteRawRecordings).toBe('all');
  });

  it('reads how often an idle job worker polls: 1 s unless JOB_POLL_SECONDS says otherwise (0.05-60 s)', () => {
    expect(loadServiceConfig({}).jobPollMs).toBe(1000);
    expect(loadServiceConfig({ JOB_POLL_SECONDS: '0.1' }).jobPollMs).toBe(100);
    expect(() => loadServiceConfig({ JOB_POLL_SECONDS: '0' })).toThrow(/JOB_POLL_SECONDS/);
  });

  it('copies Opus packets by default; TRACK_REENCODE=true decodes and encodes again', () => {
    expect(loadServiceConfig({}).trackReencode).toBe(false);
    expect(loadServiceConfig({ TRACK_REENCODE: 'true' }).trackReencode).toBe(true);
    expect(() => loadServiceConfig({ TRACK_REENCODE: 'sometimes' })).toThrow(/TRACK_REENCODE/);
  });
});

describe('settings validated to what the code can honour', () => {
  const refusal = (env: Record<string, string>) => {
    try {
      loadServiceConfig(env);
    } catch (error) {
      return (error as Error).message;
    }
    return null;
  };

  it('refuses a fractional or non-positive RETENTION_DAYS, out-of-range numbers and a short OBJECT_URL_SECRET, naming each variable', () => {
    expect(refusal({ RETENTION_DAYS: '1.5' })).toMatch(/^Invalid configuration: RETENTION_DAYS: /);
    expect(refusal({ RETENTION_DAYS: '0' })).toMatch(/RETENTION_DAYS: /);
    expect(loadServiceConfig({ RETENTION_DAYS: '30' }).retentionDays).toBe(30);
    expect(refusal({ PORT: '70000' })).toMatch(/PORT: /);
    expect(refusal({ DAILY_POLL_INTERVAL_SECONDS: '1' })).toMatch(/DAILY_POLL_INTERVAL_SECONDS: /);
    expect(refusal({ TRANSCRIPTION_CONCURRENCY: '0', JOB_MAX_ATTEMPTS: '2.5' })).toMatch(/TRANSCRIPTION_CONCURRENCY: .*; JOB_MAX_ATTEMPTS: /);
    expect(refusal({ OBJECT_URL_SECRET: 'a' })).toMatch(/OBJECT_URL_SECRET: must be at least 32 bytes/);
    expect(loadServiceConfig({ OBJECT_URL_SECRET: 'x'.repeat(32) }).urlSigningSecret).toBe('x'.repeat(32));
    // One line, so the CLI's one-line error keeps every name.
    expect(refusal({ RETENTION_DAYS: '1.5', OBJECT_URL_SECRET: 'a' })).not.toContain('\n');
  });

  it('checks Daily meeting creation settings together; DAILY_API_KEY alone runs the poller and says creation is off', () => {
    expect(refusal({ DAILY_API_KEY: 'k', DAILYCO_STORAGE_AWS_REGION: 'eu-west-1' })).toMatch(
      /DAILYCO_STORAGE_AWS_ROLE_ARN: required with DAILY_API_KEY, DAILYCO_STORAGE_AWS_REGION/,
    );
    const noKey = refusal({ DAILYCO_STORAGE_AWS_ROLE_ARN: 'arn:aws:iam::1:role/daily', DAILYCO_STORAGE_AWS_REGION: 'eu-west-1' });
    expect(noKey).toMatch(/DAILY_API_KEY: required/);
    expect(noKey).not.toMatch(/DAILYCO_STORAGE_AWS_REGION: required/);
    const pollerOnly = loadServiceConfig({ DAILY_API_KEY: 'k' });
    expect(pollerOnly.daily.apiKey).toBe('k');
    expect(pollerOnly.notices).toEqual([
      expect.stringMatching(/Daily meeting creation is off .*DAILYCO_STORAGE_AWS_ROLE_ARN and DAILYCO_STORAGE_AWS_REGION.*the poller runs/),
    ]);
    const full = loadServiceConfig({ DAILY_API_KEY: 'k', DAILY_STORAGE_AWS_ROLE_ARN: 'arn:aws:iam::1:role/daily', DAILYCO_STORAGE_AWS_REGION: 'eu-west-1' });
    expect(full.daily).toMatchObject({ roleArn: 'arn:aws:iam::1:role/daily', region: 'eu-west-1' });
    expect(full.notices).toEqual([]);
  });

  it('checks Whereby meeting creation settings together', () => {
    const message = refusal({ WHEREBY_API_KEY: 'k', WHEREBY_STORAGE_AWS_ACCESS_KEY_ID: 'AKIA' });
    expect(message).toMatch(/WHEREBY_STORAGE_AWS_SECRET_ACCESS_KEY: required with WHEREBY_API_KEY, WHEREBY_STORAGE_AWS_ACCESS_KEY_ID/);
    expect(refusal({ AWS_WHEREBY_ACCESS_KEY_ID: 'AKIA', AWS_WHEREBY_ACCESS_KEY_SECRET: 's' })).toMatch(/WHEREBY_API_KEY: required/);
    expect(loadServiceConfig({ WHEREBY_API_KEY: 'k', AWS_WHEREBY_ACCESS_KEY_ID: 'AKIA', AWS_WHEREBY_ACCESS_KEY_SECRET: 's' }).whereby).toMatchObject({
      uploadAccessKeyId: 'AKIA',
      uploadSecretAccessKey: 's',
    });
  });
});
