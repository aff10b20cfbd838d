/**
 * A Daily webhook delivery → recorded, deduplicated on the event id, and turned into work. Fast:
 * nothing is processed in the request; a recording becomes a job. The answers follow Daily's
 * circuit breaker (three failed deliveries disable the webhook for good,
 * docs.daily.co/reference/rest-api/webhooks): the signature is checked on the raw bytes before
 * anything else (a bad one is 401 and records nothing); an authentic event is always 200 —
 * stored `invalid` with the reason when we cannot use it (unparseable, hostile strings,
 * foreign object keys); unknown types are 200. The event row and its effects (job, meeting,
 * participants) commit together; a participant event, like an event without effects, is one statement.
 */
import { formatIssues } from '../../errors.ts';
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { PROCESS_MULTITRACK_RECORDING } from '../../recordings/recording-jobs.ts';
import { enqueueRecording } from '../../recordings/enqueue-recording.ts';
import { meetingCtes } from '../../recordings/meetings.ts';
import { participantCte } from '../../recordings/participants.ts';
import { readWebhookBody } from '../webhook-body.ts';
import { answer, applyEvent, eventIdOf, eventTypeOf, fileEvent, fileEventWith, refuse, type WebhookAnswer } from '../webhook-events.ts';
import { DailyEnvelope, ParticipantPayload, RecordingReadyPayload } from './events.ts';
import { recordingJob } from './recording-job.ts';
import { verifyDailySignature } from './signature.ts';
import { checkDailyTrackKeys } from './track-keys.ts';
import type { Log } from '../../log.ts';

export type DailyWebhookDeps = { db: Kysely<Database>; secretBase64: string | undefined; dailyBucket: string; maxAttempts?: number; log?: Log };

const RECORDED_TYPES = new Set(['recording.started', 'recording.error', 'meeting.started', 'meeting.ended']);

/** Daily's verification ping when a webhook is created (sent before a secret exists): `{"test":"test"}`. */
const isTestPing = (raw: Uint8Array): boolean => {
  if (raw.length > 64) return false;
  try {
    return (JSON.parse(new TextDecoder().decode(raw)) as { test?: unknown })?.test === 'test';
  } catch {
    return false;
  }
};

const zodIssues = (issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>) => formatIssues(issues).join('; ').slice(0, 2000);

/** The answer to a delivery that is not authentic (401), cannot be checked (503) or is Daily's test ping; null when it is authentic. */
export const authenticateDailyWebhook = (secretBase64: string | undefined, rawBody: Uint8Array, headers: Headers): WebhookAnswer | null => {
  if (!secretBase64) return isTestPing(rawBody) ? answer('test', 'test') : refuse(503, 'not-configured', 'NOT_CONFIGURED', 'DAILY_WEBHOOK_SECRET is not set');
  const check = verifyDailySignature(rawBody, headers.get('x-webhook-signature'), headers.get('x-webhook-timestamp'), secretBase64);
  if (check.ok) return null;
  return isTestPing(rawBody) ? answer('test', 'test') : refuse(401, 'unauthorized', 'UNAUTHORIZED', `webhook signature: ${check.reason}`);
};

export const handleDailyWebhook = async (deps: DailyWebhookDeps, rawBody: Uint8Array, headers: Headers): Promise<WebhookAnswer> =>
  authenticateDailyWebhook(deps.secretBase64, rawBody, headers) ?? recordDailyWebhook(deps, rawBody);

/** A synthetic `participant.joined` (the most frequent event), for warming the service up in a transaction that is rolled back. */
export const dailyWarmUpDelivery = (n: number): Uint8Array => {
  const now = Date.now() / 1000;
  const id = `warm-up-${randomUUID()}`;
  const room = 'reflector-tracks-warm-up';
  // What a busy account sends most: joins and leaves, now and then a meeting ending.
  const event =
    n % 10 === 9
      ? { type: 'meeting.ended', payload: { room, meeting_id: randomUUID() } }
      : {
          type: n % 2 ? 'participant.left' : 'participant.joined',
          payload: { room, session_id: randomUUID(), user_name: 'warm-up', joined_at: now, duration: 1 },
        };
  return new TextEncoder().encode(JSON.stringify({ version: '1.0.0', id, event_ts: now, ...event }));
};

/** Records a delivery `authenticateDailyWebhook` found authentic. */
export const recordDailyWebhook = async (deps: DailyWebhookDeps, rawBody: Uint8Array): Promise<WebhookAnswer> => {
  // Authentic from here on: whatever it holds, the answer is 200.
  const body = readWebhookBody(rawBody);
  const json = (body.value ?? body.head) as { id?: unknown; type?: unknown } | undefined;
  const envelope = DailyEnvelope.safeParse(json);
  if (!envelope.success) {
    const eventId = eventIdOf(json?.id, body);
    const error = body.value === undefined ? body.problems.join('; ') : zodIssues(envelope.error.issues);
    deps.log?.({ msg: 'daily webhook invalid', eventId, error });
    return fileEvent(deps.db, { platform: 'daily', eventId, type: eventTypeOf(json?.type), body }, { status: 'invalid', outcome: 'invalid', error });
  }
  const event = envelope.data;
  const row = { platform: 'daily' as const, eventId: event.id, type: event.type, body };

  if (event.type === 'recording.ready-to-download') {
    const payload = RecordingReadyPayload.safeParse(event.payload);
    if (!payload.success) return fileEvent(deps.db, row, { status: 'invalid', outcome: 'invalid', error: zodIssues(payload.error.issues) });
    if (payload.data.type !== 'raw-tracks')
      return fileEvent(deps.db, row, { status: 'ignored', outcome: 'ignored', error: `recording type ${payload.data.type}` });
    const keys = checkDailyTrackKeys({ ...payload.data, tracks: payload.data.tracks ?? [] });
    if (!keys.ok) {
      deps.log?.({ msg: 'daily webhook refused object keys', eventId: event.id, reason: keys.reason });
      return fileEvent(deps.db, row, { status: 'invalid', outcome: 'invalid', error: `refused: ${keys.reason}` });
    }
    const job = recordingJob(payload.data, deps.dailyBucket);
    if (job.objects.length === 0) return fileEvent(deps.db, row, { status: 'ignored', outcome: 'ignored', error: 'no audio tracks listed' });
    return applyEvent(deps.db, row, async (tx) => {
      // Keyed by the recording: a redelivery under a new event id, or the poller, finds the same job.
      const { created, deleted } = await enqueueRecording(tx, PROCESS_MULTITRACK_RECORDING, job, { maxAttempts: deps.maxAttempts });
      // Deleted means deleted: the announcement is filed (its id deduplicates) without what it says.
      if (deleted) return { status: 'ignored', outcome: 'ignored', error: 'the recording was deleted', scrubbed: true };
      return { status: 'processed', outcome: created ? 'enqueued' : 'duplicate' };
    });
  }
  if (event.type === 'participant.joined' || event.type === 'participant.left') {
    const payload = ParticipantPayload.safeParse(event.payload);
    const room = payload.success ? (payload.data.room ?? payload.data.room_name) : undefined;
    if (!payload.success || !room)
      return fileEvent(deps.db, row, { status: 'invalid', outcome: 'invalid', error: payload.success ? 'no room' : zodIssues(payload.error.issues) });
    const at = new Date(Math.round((payload.data.joined_at ?? event.event_ts) * 1000));
    const leftAt =
      event.type !== 'participant.left'
        ? null
        : payload.data.duration != null
          ? new Date(at.getTime() + payload.data.duration * 1000)
          : new Date(event.event_ts * 1000);
    // One statement: the event filed (deduplicated on its id), its meeting found or made, the participant upserted.
    const participant = { participantId: payload.data.session_id, sessionId: null, displayName: payload.data.user_name ?? null, joinedAt: at, leftAt };
    return fileEventWith(
      deps.db,
      row,
      { status: 'processed', outcome: 'recorded' },
      (filed) =>
        // The raw-track file names carry the participant's session id.
        sql`${meetingCtes('daily', room, at, filed)}, ${participantCte(participant)}`,
    );
  }
  if (RECORDED_TYPES.has(event.type)) return fileEvent(deps.db, row, { status: 'processed', outcome: 'recorded' });
  return fileEvent(deps.db, row, { status: 'ignored', outcome: 'ignored', error: 'event type not used' });
};
