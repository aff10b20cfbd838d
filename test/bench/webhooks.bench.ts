/**
 * `npm run bench:webhooks [-- --rate 500 --seconds 60]`: signed Daily webhooks at a fixed rate
 * (open loop: sent on schedule whether or not earlier ones were answered) against `serve` on
 * PostgreSQL, from this same machine. Prints the answer codes, latency percentiles over the run
 * and the p99 of each 5-s window (by send time). The mix is what a busy account sends: participant
 * joins and leaves across many rooms, some meeting and recording events, a few redeliveries.
 * Traffic starts as soon as `/readyz` says ready, as a load balancer would send it: no warm-up
 * deliveries of its own, so the first window shows what a fresh service does.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Agent, request } from 'node:http';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { signDaily } from '../../src/platforms/daily/signature.ts';
import { createTestDatabase } from '../helpers/databases.ts';
import { startServe } from '../helpers/serve-process.ts';

const { values } = parseArgs({ options: { rate: { type: 'string', default: '500' }, seconds: { type: 'string', default: '60' } } });
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const SECRET = Buffer.from('bench-webhooks-secret-32-bytes!!').toString('base64');

const db = await createTestDatabase('postgres');
const dataDir = await mkdtemp(join(tmpdir(), 'rt-bench-webhooks-'));
const service = await startServe(
  {
    DATABASE_URL: db.url!,
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    DAILY_WEBHOOK_SECRET: SECRET,
    ENGINE_WORKERS: '1',
    ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
  },
  90_000,
  { keepLogs: false },
);
const url = new URL('/v1/daily/webhook', service.url);
for (let ready = false; !ready; ) {
  ready = (await fetch(new URL('/readyz', service.url)).catch(() => null))?.status === 200;
  if (!ready) await new Promise((r) => setTimeout(r, 20));
}
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/**
 * CPU time (user + system) of a process, from /proc/PID/stat (fields 14 and 15, in clock ticks of
 * 10 ms: `getconf CLK_TCK` is 100 on Linux): what a delivery costs whatever the machine's load,
 * where latency on the shared machine depends on everyone else's work.
 */
const cpuMsOf = async (pid: number) => {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (!stat) return 0;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
/** The PostgreSQL server processes of the bench's database (the service's pool connections). */
const admin = new pg.Client({ connectionString: db.url! });
await admin.connect();
const databaseCpuMs = async () => {
  const { rows } = await admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
  let total = 0;
  for (const { pid } of rows) total += await cpuMsOf(pid);
  return total;
};
const serveCpuMs = () => cpuMsOf(service.child.pid!);
const cpuBefore = { serve: await serveCpuMs(), database: await databaseCpuMs() };

const eventFor = (i: number) => {
  const room = `room-${i % 200}`;
  const session = `${String(i % 5000).padStart(8, '0')}-1111-4111-8111-111111111111`;
  const redelivery = i % 50 === 49;
  const id = redelivery ? `bench-${i - 1}` : `bench-${i}`;
  const now = Date.now() / 1000;
  if (i % 20 === 0) return { version: '1.0.0', type: 'meeting.ended', id, event_ts: now, payload: { room, meeting_id: `m-${i}` } };
  return {
    version: '1.0.0',
    type: i % 2 ? 'participant.left' : 'participant.joined',
    id,
    event_ts: now,
    payload: { room, session_id: session, user_name: `User ${i % 5000}`, joined_at: now - 60, duration: 60 },
  };
};

const send = (i: number) =>
  new Promise<{ status: number; ms: number }>((resolve) => {
    const raw = JSON.stringify(eventFor(i));
    const ts = String(Math.floor(Date.now() / 1000));
    const started = performance.now();
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(raw),
          'x-webhook-timestamp': ts,
          'x-webhook-signature': signDaily(new TextEncoder().encode(raw), ts, SECRET),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
      },
    );
    req.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
    req.end(raw);
  });

const results: Array<Promise<{ status: number; ms: number }>> = [];
const total = rate * seconds;
const t0 = performance.now();
await new Promise<void>((done) => {
  let sent = 0;
  const tick = () => {
    const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
    while (sent < due) results.push(send(sent++));
    if (sent >= total) return done();
    setTimeout(tick, 2);
  };
  tick();
});
const answers = await Promise.all(results);
const elapsedSec = (performance.now() - t0) / 1000;
const cpuAfter = { serve: await serveCpuMs(), database: await databaseCpuMs() };
const load = loadavg().map((l) => l.toFixed(1));
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = answers.map((a) => a.ms).sort((a, b) => a - b);
const pct = (p: number) => percentile(ms, p).toFixed(1);
/** Deliveries by 5-s window of their scheduled send time (delivery i is due at i / rate s). */
const WINDOW_SEC = 5;
const windows: number[][] = [];
for (const [i, a] of answers.entries()) {
  const w = Math.floor(i / rate / WINDOW_SEC);
  if (!windows[w]) windows[w] = [];
  windows[w].push(a.ms);
}
const windowP99 = windows.map((w) =>
  percentile(
    w.sort((a, b) => a - b),
    99,
  ).toFixed(1),
);
const codes: Record<string, number> = {};
for (const a of answers) codes[a.status] = (codes[a.status] ?? 0) + 1;
const rssMiB = ((await service.rssBytes()) / 2 ** 20).toFixed(0);
console.log(`webhooks: ${answers.length} sent at ${rate}/s for ${seconds} s (answered over ${elapsedSec.toFixed(1)} s); codes ${JSON.stringify(codes)}`);
console.log(`latency ms: p50 ${pct(50)}  p90 ${pct(90)}  p99 ${pct(99)}  max ${ms.at(-1)!.toFixed(1)}; server RSS ${rssMiB} MiB`);
console.log(`p99 per ${WINDOW_SEC} s: ${windowP99.join(', ')} ms (load average ${load.join(' ')} on ${cpus().length} cores)`);
const perDelivery = (before: number, after: number) => ((after - before) / answers.length).toFixed(3);
console.log(
  `CPU per delivery: serve ${perDelivery(cpuBefore.serve, cpuAfter.serve)} ms, PostgreSQL backends ${perDelivery(cpuBefore.database, cpuAfter.database)} ms`,
);
await admin.end();
await service.stop();
agent.destroy();
await db.drop();
await rm(dataDir, { recursive: true, force: true });
