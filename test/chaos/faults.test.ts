/**
 * The service under faults, as processes on PostgreSQL with local object storage: every
 * database connection terminated, a webhook whose job insert fails (stored invalid, answered 200), a
 * worker killed (SIGKILL) while processing and while deleting the raw objects, SIGTERM in the
 * middle of a job. Each ends with one job, one complete set of outputs, the raw audio deleted
 * once, and job, recording and transcript agreeing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFile, mkdir, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import type { FixtureMeeting } from '../helpers/fixture-meeting.ts';
import { chaosSetup } from '../helpers/chaos-setup.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startServe, type ServeProcess } from '../helpers/serve-process.ts';
import { postDaily, readyEvent } from '../helpers/daily-webhooks.ts';
import { waitUntil } from '../helpers/wait.ts';
import { TRACKS } from '../fixtures/meeting.ts';

const SECRET = Buffer.from('chaos-daily-secret-of-32-bytes!!').toString('base64');
const FILES = [TRACKS.lateJoiner, TRACKS.fromZero, TRACKS.lostPackets];
let t: TestDatabase;
let admin: pg.Client;
let meeting: FixtureMeeting;
let dataDir: string;
let env: Record<string, string>;
const processes: ServeProcess[] = [];
/** Processes alive and idle once a test is done with them: the next test's service or victim (a start is ~1 s of CPU). */
const spares: ServeProcess[] = [];

const query = async <T = Record<string, unknown>>(text: string, values: unknown[] = []) => (await admin.query(text, values)).rows as T[];
const serve = async (extra: Record<string, string> = {}) => {
  const p = await startServe({ ...env, ...extra });
  processes.push(p);
  return p;
};
/** An idle process, the only one running: any other (a spare, or one a failed test left) is stopped, so none but it can claim what the test enqueues. */
const only = async () => {
  const p = spares.pop() ?? (await serve());
  spares.length = 0;
  for (const other of processes) if (other !== p && other.child.exitCode === null && other.child.signalCode === null) await other.stop();
  return p;
};
const post = (service: ServeProcess, body: unknown) => postDaily(service.url, body, SECRET);
/** A recording's raw tracks in the local Daily bucket, and its signed event. */
const recording = async (name: string) => {
  const folder = join(dataDir, 'objects', 'daily', 'acme', name);
  await mkdir(folder, { recursive: true });
  for (const f of FILES) await copyFile(meeting.paths[Object.entries(TRACKS).find(([, v]) => v === f)![0] as keyof typeof TRACKS], join(folder, f.name));
  return {
    id: `rec-${name}`,
    event: (eventId: string) =>
      readyEvent(
        eventId,
        name,
        FILES.map((f) => f.name),
      ),
    rawLeft: async () => (await readdir(folder)).length,
  };
};
/** Job, recording and transcript of a recording, read in one statement. */
const states = async (platformRecordingId: string) =>
  (
    await query<{ job: string; attempts: number; recording: string; transcript: string; transcript_id: string }>(
      `select j.status as job, j.attempts, r.status as recording, t.status as transcript, t.id as transcript_id
       from jobs j join recordings r on r.platform_recording_id = j.payload->>'platformRecordingId' join transcripts t on t.recording_id = r.id
      where j.idempotency_key = $1`,
      [`daily:${platformRecordingId}`],
    )
  )[0];
const outputsOf = async (transcriptId: string) =>
  (await readdir(join(dataDir, 'objects', 'transcripts', transcriptId), { recursive: true })).filter((f) => !f.endsWith('.partial')).sort();

beforeAll(async () => {
  ({ meeting, t, admin } = await chaosSetup());
  dataDir = await mkdtemp(join(tmpdir(), 'rt-chaos-'));
  env = {
    DATABASE_URL: t.url!,
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    DAILY_WEBHOOK_SECRET: SECRET,
    ENGINE_WORKERS: '2',
    // Three heartbeats per lease (worker.ts): a killed worker's job is free 1.3–2 s after the kill.
    JOB_LEASE_SECONDS: '2',
    JOB_RETRY_BASE_SECONDS: '0.2',
    JOB_POLL_SECONDS: '0.1',
    // No grace: the SIGTERM test's release at once. The other tests stop processes with no job running.
    SHUTDOWN_GRACE_SECONDS: '0',
  };
});
afterAll(async () => {
  for (const p of spares.splice(0)) await p.stop();
  for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  await admin?.end();
  await t?.drop();
});

describe('faults', () => {
  it('stays up and serves when every database connection is terminated', async () => {
    const service = await only();
    await waitUntil('ready', async () => (await fetch(new URL('/readyz', service.url))).status === 200);
    const killed = await query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`);
    expect(killed.length).toBeGreaterThan(0);
    // The pool reconnects on the next use: webhooks and readiness come back without a restart.
    await waitUntil(
      'a webhook recorded after the drop',
      async () =>
        (await post(service, { version: '1.0.0', type: 'meeting.ended', id: `after-drop-${Date.now()}`, event_ts: Date.now() / 1000, payload: {} })).status ===
        200,
      15_000,
    );
    expect((await fetch(new URL('/readyz', service.url))).status).toBe(200);
    expect(service.child.exitCode).toBeNull();
    expect(service.logs.some((l) => l.msg === 'database connection lost; the pool reconnects')).toBe(true);
    spares.push(service);
  });

  it('answers 200 and stores the delivery invalid when its job cannot be written (an SQL error, not the connection), and keeps nothing else of it', async () => {
    const service = await only();
    const rec = await recording('insert-fails');
    await query(`create function refuse_jobs() returns trigger language plpgsql as $$ begin raise exception 'jobs insert refused (test)'; end $$`);
    await query(`create trigger refuse_jobs before insert on jobs for each row execute function refuse_jobs()`);
    try {
      // An authentic event is always 2xx (Daily disables a webhook after repeated failures): filed invalid with the reason.
      const first = await post(service, rec.event('ev-insert-fails'));
      expect(first.status).toBe(200);
      expect(await query(`select status, error from webhook_events where event_id = 'ev-insert-fails'`)).toEqual([
        { status: 'invalid', error: 'not processed: P0001: jobs insert refused (test)' },
      ]);
      expect(await query(`select 1 from jobs where idempotency_key = 'daily:rec-insert-fails'`)).toEqual([]);
      expect(await query(`select 1 from recordings where platform_recording_id = 'rec-insert-fails'`)).toEqual([]);
      // Not the database being away: the next delivery is taken at once.
      const next = await post(service, { version: '1.0.0', type: 'meeting.ended', id: 'ev-after-insert-fails', event_ts: Date.now() / 1000, payload: {} });
      expect(next.status).toBe(200);
      expect(service.logs).toContainEqual(expect.objectContaining({ msg: 'daily webhook failed; stored invalid', eventId: 'ev-insert-fails' }));
    } finally {
      await query(`drop trigger refuse_jobs on jobs; drop function refuse_jobs()`);
    }
    spares.push(service);
  });

  for (const phase of ['processing', 'cleanup'] as const) {
    it(`takes over a job whose worker was killed (SIGKILL) during ${phase}: one set of outputs, raw audio deleted, states agree`, async () => {
      const rec = await recording(`kill-${phase}`);
      const victim = await only();
      expect((await post(victim, rec.event(`ev-kill-${phase}`))).status).toBe(200);
      // Cleanup is quick: the kill lands in it or just after it, both of which must end the same way.
      const reached = phase === 'processing' ? ['processing'] : ['cleanup', 'processed'];
      await waitUntil(`the recording in ${phase}`, async () => reached.includes((await states(rec.id))?.recording ?? ''));
      victim.child.kill('SIGKILL');
      const started = Date.now();
      const rescuer = await serve();
      const done = await waitUntil('processed', async () => {
        const s = await states(rec.id);
        return s?.recording === 'processed' ? s : null;
      });
      const takeoverMs = Date.now() - started;
      expect(done).toMatchObject({ job: 'succeeded', recording: 'processed', transcript: 'ready' });
      expect(await outputsOf(done.transcript_id)).toEqual(
        ['audio.mp3', 'timeline.json', 'tracks', ...FILES.flatMap((f) => [`tracks/${f.name}.webm`, `tracks/${f.name}.webm.peaks.dat`])].sort(),
      );
      expect(await rec.rawLeft()).toBe(0);
      console.log(
        `SIGKILL during ${phase}: finished by another worker ${takeoverMs} ms after the kill (lease ${env.JOB_LEASE_SECONDS} s); processing attempts ${done.attempts}`,
      );
      spares.push(rescuer);
    });
  }

  it('SIGTERM mid-job: exits within its grace period and releases the job, which another worker finishes', async () => {
    const rec = await recording('sigterm');
    const first = await only();
    expect(env.SHUTDOWN_GRACE_SECONDS).toBe('0');
    expect((await post(first, rec.event('ev-sigterm'))).status).toBe(200);
    await waitUntil('processing', async () => (await states(rec.id))?.recording === 'processing');
    const sent = Date.now();
    const code = await first.stop();
    const exitMs = Date.now() - sent;
    expect(code).toBe(0);
    expect(exitMs).toBeLessThan(15_000);
    const after = await states(rec.id);
    // No grace: released at once, queued again with the attempt not counted, recording back to pending.
    expect(after).toMatchObject({ job: 'queued', attempts: 0, recording: 'pending', transcript: 'pending' });
    const second = await serve();
    await waitUntil('processed', async () => (await states(rec.id))?.recording === 'processed');
    expect(await rec.rawLeft()).toBe(0);
    console.log(`SIGTERM: exited in ${exitMs} ms; state then ${after!.job}/${after!.recording}`);
    await second.stop();
  });
});
