/**
 * `reflector-tracks serve` on embedded defaults, as the operator runs it, attacked from outside:
 * keys made by the CLI (before and while it runs), every /v1 read 401 without one, /metrics
 * closed to the network, bodies refused at the cap without the process buffering them, a busy
 * port and a weak webhook secret refused at start, readiness that notices a missing bucket,
 * security headers on the inspector.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { signDaily } from '../../src/platforms/daily/signature.ts';
import { seedEmptyPglite } from '../helpers/databases.ts';
import { runCli, startServe, type ServeProcess } from '../helpers/serve-process.ts';

const SECRET = Buffer.from('serve-security-daily-secret-32b!').toString('base64');
let dataDir: string;
let env: Record<string, string>;
let serve: ServeProcess;
const tokens: Record<string, string> = {};

const lastLine = (text: string) => text.trim().split('\n').at(-1)!;

/** Streams `sizeBytes` of body to `path` in 1 MiB chunks; resolves with the status once answered. */
const postLarge = (
  url: string,
  sizeBytes: number,
  options: { chunked?: boolean; headers?: Record<string, string> } = {},
): Promise<{ status: number; ms: number }> =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(options.chunked ? {} : { 'content-length': String(sizeBytes) }), ...options.headers },
      },
      (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, ms: performance.now() - started });
        req.destroy();
      },
    );
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    let sent = 0;
    // The early 413 closes the connection (guard.ts closeUnlessBodyRead), so a client still writing
    // may meet the closed socket before it reads the answer: a refusal too, if the server closed it
    // long before the whole body was sent. Status 0 stands for it.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (req.destroyed && !['EPIPE', 'ECONNRESET'].includes(error.code ?? '')) return;
      if (['EPIPE', 'ECONNRESET'].includes(error.code ?? '') && sent < sizeBytes) resolve({ status: 0, ms: performance.now() - started });
      else reject(error);
    });
    const pump = () => {
      while (sent < sizeBytes && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'rt-serve-sec-'));
  // The embedded database exists (empty, not migrated): what is tested here starts after PGlite's initdb.
  await seedEmptyPglite(dataDir);
  env = { DATA_DIR: dataDir, PORT: '0', HOST: '0.0.0.0', DAILY_WEBHOOK_SECRET: SECRET, ENGINE_WORKERS: '1' };
  for (const scope of ['read', 'write']) {
    const made = await runCli(['api-keys', 'create', '--name', `cli ${scope}`, '--scope', scope], env);
    expect(made.code, made.stderr).toBe(0);
    tokens[scope] = lastLine(made.stdout);
  }
  serve = await startServe(env);
});
afterAll(async () => {
  await serve?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('serve on embedded defaults', () => {
  it('uses CLI-made keys, made before it started and while it runs (through its admin socket), and revokes them', async () => {
    expect(tokens.read).toMatch(/^rt_[A-Za-z0-9_-]{43}$/);
    const get = (path: string, token?: string) => fetch(new URL(path, serve.url), { headers: token ? { authorization: `Bearer ${token}` } : {} });
    expect((await get('/v1/meetings')).status).toBe(401);
    expect((await get('/v1/meetings', `rt_${'x'.repeat(43)}`)).status).toBe(401);
    expect((await get('/v1/meetings', tokens.read)).status).toBe(200);
    const admin = await runCli(['api-keys', 'create', '--name', 'while running', '--scope', 'admin'], env);
    expect(admin.code, admin.stderr).toBe(0);
    const token = lastLine(admin.stdout);
    expect((await get('/v1/api-keys', token)).status).toBe(200);
    expect((await get('/v1/api-keys', tokens.write)).status).toBe(403);
    const list = await runCli(['api-keys', 'list', '--json'], env);
    const keys = JSON.parse(list.stdout) as Array<{ id: string; name: string }>;
    expect(keys.map((k) => k.name).sort()).toEqual(['cli read', 'cli write', 'while running']);
    expect(list.stdout).not.toContain(token);
    const revoked = await runCli(['api-keys', 'revoke', keys.find((k) => k.name === 'cli write')!.id], env);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect((await get('/v1/meetings', tokens.write)).status).toBe(401);
    const usage = await runCli(['api-keys', 'create', '--name', 'x', '--scope', 'root'], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--scope must be one of read, write, admin');
  });

  it('accepts signed Daily events without a key, NUL and lone surrogates included', async () => {
    const raw = JSON.stringify({
      version: '1.0.0',
      type: 'participant.joined',
      id: 'serve-nul',
      event_ts: 1692124190,
      payload: { room: 'standup', session_id: 's-1', user_name: 'Mallory\u0000 Eve\ud800' },
    });
    const ts = String(Math.floor(Date.now() / 1000));
    const response = await fetch(new URL('/v1/daily/webhook', serve.url), {
      method: 'POST',
      body: raw,
      headers: { 'x-webhook-timestamp': ts, 'x-webhook-signature': signDaily(new TextEncoder().encode(raw), ts, SECRET) },
    });
    expect(response.status).toBe(200);
  });

  it('refuses a 64 MiB webhook body and a chunked one with 413, quickly, without the process buffering them', async () => {
    const before = await serve.rssBytes();
    const declared = await postLarge(new URL('/v1/daily/webhook', serve.url).href, 64 * 1024 * 1024);
    expect([413, 0]).toContain(declared.status);
    const chunked = await postLarge(new URL('/v1/daily/webhook', serve.url).href, 64 * 1024 * 1024, { chunked: true });
    expect([413, 0]).toContain(chunked.status);
    const api = await postLarge(new URL('/v1/meetings', serve.url).href, 16 * 1024 * 1024, { headers: { authorization: `Bearer ${tokens.read}` } });
    expect([413, 403, 0]).toContain(api.status); // read may not create: refused either way, never read whole
    const apiWrite = await postLarge(new URL('/v1/meetings', serve.url).href, 16 * 1024 * 1024, {
      chunked: true,
      headers: { authorization: `Bearer ${lastLine((await runCli(['api-keys', 'create', '--name', 'w2', '--scope', 'write'], env)).stdout)}` },
    });
    expect([413, 0]).toContain(apiWrite.status);
    const grownBytes = (await serve.rssBytes()) - before;
    console.log(
      `64 MiB webhook body: 413 in ${declared.ms.toFixed(0)} ms (declared), ${chunked.ms.toFixed(0)} ms (chunked); RSS ${(before / 2 ** 20).toFixed(0)} → ${((before + grownBytes) / 2 ** 20).toFixed(0)} MiB`,
    );
    expect(grownBytes).toBeLessThan(48 * 1024 * 1024);
    expect((await fetch(new URL('/healthz', serve.url))).status).toBe(200);
  });

  it('answers /metrics to loopback only, and not to the network', async () => {
    expect((await fetch(new URL('/metrics', serve.url))).status).toBe(200);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (!external) return; // no non-loopback interface on this machine: the unit tests cover isLoopback
    const url = new URL('/metrics', serve.url);
    url.hostname = external.address;
    expect((await fetch(url)).status).toBe(403);
    url.pathname = '/healthz';
    expect((await fetch(url)).status).toBe(200);
  });

  it('sends security headers and the inspector CSP', async () => {
    const response = await fetch(new URL('/debugger/', serve.url));
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    if (response.status === 200) expect(response.headers.get('content-security-policy')).toMatch(/default-src 'self'.*'wasm-unsafe-eval'/);
  });

  it('is not ready while a bucket is missing', async () => {
    expect(await (await fetch(new URL('/readyz', serve.url))).json()).toEqual({ ready: true });
    await rm(join(dataDir, 'objects', 'whereby'), { recursive: true });
    const down = await fetch(new URL('/readyz', serve.url));
    expect(down.status).toBe(503);
    expect((await down.json()).reason).toContain('bucket whereby');
  });

  it('refuses to start on a busy port, or with a webhook secret that decodes to fewer than 16 bytes', async () => {
    const port = new URL(serve.url).port;
    const other = await mkdtemp(join(tmpdir(), 'rt-serve-busy-'));
    const busy = await runCli(['serve'], { ...env, DATA_DIR: other, PORT: port });
    expect(busy.code).not.toBe(0);
    expect(busy.stderr).toContain('EADDRINUSE');
    // Refused before any database set-up: no embedded database made, none opened.
    expect(busy.stdout).not.toContain('database ready');
    expect(await readdir(other)).toEqual([]);
    const sameDir = await runCli(['serve'], { ...env, PORT: '0' });
    expect(sameDir.code).not.toBe(0);
    expect(sameDir.stderr).toContain('Another reflector-tracks process is using this DATA_DIR');
    // The running service's embedded database was not opened beside it.
    expect(sameDir.stdout).not.toContain('database ready');
    for (const secret of ['====', Buffer.from('short').toString('base64')]) {
      const weak = await runCli(['serve'], { ...env, DATA_DIR: other, DAILY_WEBHOOK_SECRET: secret });
      expect(weak.code, secret).not.toBe(0);
      expect(weak.stderr).toContain('DAILY_WEBHOOK_SECRET: must decode to at least 16 bytes');
    }
    await rm(other, { recursive: true, force: true });
  });
});
