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

  it('copies Opus packets by default; TRACK_REENCODE=true decodes and encodes again', () => {
    expect(loadServiceConfig({}).trackReencode).toBe(false);
    expect(loadServiceConfig({ TRACK_REENCODE: 'true' }).trackReencode).toBe(true);
    expect(() => loadServiceConfig({ TRACK_REENCODE: 'sometimes' })).toThrow(/TRACK_REENCODE/);
  });
});
