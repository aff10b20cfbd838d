/**
 * A Daily webhook delivery → recorded, deduplicated on the event id, and turned into work. Fast:
 * nothing is processed in the request; a recording becomes a job. The answers follow Daily's
 * circuit breaker (three failed deliveries disable the webhook for good, platforms.md §1.4):
 * a bad signature is 401 and records nothing; an authentic event we cannot parse is 200, stored
 * as `invalid` with the error; unknown types are 200.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { enqueueJob } from '../../jobs/queue.ts';
import { findOrCreateMeeting } from '../../recordings/meetings.ts';
import { PROCESS_MULTITRACK_RECORDING } from '../../recordings/process-recording.ts';
import { DailyEnvelope, ParticipantPayload, RecordingReadyPayload } from './events.ts';
import { recordingJob } from './recording-job.ts';
import { verifyDailySignature } from './signature.ts';

export type WebhookOutcome = 'test' | 'not-configured' | 'unauthorized' | 'duplicate' | 'invalid' | 'enqueued' | 'recorded' | 'ignored';
export type WebhookAnswer = { status: 200 | 401 | 503; outcome: WebhookOutcome; type: string; body: Record<string, unknown> };

export type DailyWebhookDeps = { db: Kysely<Database>; secretBase64: string | undefined; dailyBucket: string; maxAttempts?: number; log?: (e: Record<string, unknown>) => void };

const RECORDED_TYPES = new Set(['recording.started', 'recording.error', 'meeting.started', 'meeting.ended']);

export const handleDailyWebhook = async (deps: DailyWebhookDeps, rawBody: Uint8Array, headers: Headers): Promise<WebhookAnswer> => {
  const text = new TextDecoder().decode(rawBody);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  // Daily's verification ping when a webhook is created: before any secret is known.
  if (json && typeof json === 'object' && (json as { test?: unknown }).test === 'test') return { status: 200, outcome: 'test', type: 'test', body: { ok: true } };

  if (!deps.secretBase64) return { status: 503, outcome: 'not-configured', type: 'unknown', body: { error: 'not_configured', message: 'DAILY_WEBHOOK_SECRET is not set' } };
  const check = verifyDailySignature(rawBody, headers.get('x-webhook-signature'), headers.get('x-webhook-timestamp'), deps.secretBase64);
  if (!check.ok) return { status: 401, outcome: 'unauthorized', type: 'unknown', body: { error: 'unauthorized', reason: check.reason } };

  const envelope = DailyEnvelope.safeParse(json);
  if (!envelope.success) {
    // Authentic but unparseable: keep it for a human, answer 200 so Daily keeps the webhook on.
    const eventId = (json as { id?: unknown })?.id;
    const id = typeof eventId === 'string' && eventId ? eventId : `sha256:${createHash('sha256').update(rawBody).digest('hex')}`;
    const type = typeof (json as { type?: unknown })?.type === 'string' ? String((json as { type: string }).type) : 'unknown';
    const error = envelope.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
    await deps.db
      .insertInto('webhook_events')
      .values({ platform: 'daily', event_id: id, type, payload: JSON.stringify(json ?? { raw: text }), status: 'invalid', error })
      .onConflict((oc) => oc.columns(['platform', 'event_id']).doNothing())
      .execute();
    deps.log?.({ msg: 'daily webhook invalid', eventId: id, error });
    return { status: 200, outcome: 'invalid', type, body: { ok: true } };
  }
  const event = envelope.data;
  const inserted = await deps.db
    .insertInto('webhook_events')
    .values({ platform: 'daily', event_id: event.id, type: event.type, payload: JSON.stringify(event) })
    .onConflict((oc) => oc.columns(['platform', 'event_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return { status: 200, outcome: 'duplicate', type: event.type, body: { ok: true, duplicate: true } };

  const settle = async (status: 'processed' | 'ignored' | 'invalid', error: string | null = null) =>
    deps.db.updateTable('webhook_events').set({ status, error }).where('id', '=', inserted.id).execute();

  if (event.type === 'recording.ready-to-download') {
    const payload = RecordingReadyPayload.safeParse(event.payload);
    if (!payload.success) {
      await settle('invalid', payload.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      return { status: 200, outcome: 'invalid', type: event.type, body: { ok: true } };
    }
    const job = recordingJob(payload.data, deps.dailyBucket);
    if (payload.data.type !== 'raw-tracks' || job.objects.length === 0) {
      await settle('ignored', payload.data.type !== 'raw-tracks' ? `recording type ${payload.data.type}` : 'no audio tracks listed');
      return { status: 200, outcome: 'ignored', type: event.type, body: { ok: true } };
    }
    // Keyed by the recording: a redelivery under a new event id, or the poller, finds the same job.
    const { created } = await enqueueJob(deps.db, PROCESS_MULTITRACK_RECORDING, job, { idempotencyKey: `daily:${job.platformRecordingId}`, maxAttempts: deps.maxAttempts });
    await settle('processed');
    return { status: 200, outcome: created ? 'enqueued' : 'duplicate', type: event.type, body: { ok: true } };
  }
  if (event.type === 'participant.joined' || event.type === 'participant.left') {
    const payload = ParticipantPayload.safeParse(event.payload);
    const room = payload.success ? (payload.data.room ?? payload.data.room_name) : undefined;
    if (!payload.success || !room) {
      await settle('invalid', payload.success ? 'no room' : payload.error.message);
      return { status: 200, outcome: 'invalid', type: event.type, body: { ok: true } };
    }
    const at = new Date(Math.round((payload.data.joined_at ?? event.event_ts) * 1000));
    const meetingId = await findOrCreateMeeting(deps.db, 'daily', room, at);
    // The raw-track file names carry the participant's session id.
    await deps.db
      .insertInto('participants')
      .values({ meeting_id: meetingId, platform_participant_id: payload.data.session_id, display_name: payload.data.user_name ?? null, joined_at: at })
      .onConflict((oc) => oc.expression(sql`meeting_id, platform_participant_id, coalesce(platform_session_id, '')`).doUpdateSet({ display_name: (eb) => eb.fn.coalesce('excluded.display_name', 'participants.display_name') }))
      .execute();
    if (event.type === 'participant.left') {
      const leftAt = payload.data.duration != null ? new Date(at.getTime() + payload.data.duration * 1000) : new Date(event.event_ts * 1000);
      await deps.db.updateTable('participants').set({ left_at: leftAt }).where('meeting_id', '=', meetingId).where('platform_participant_id', '=', payload.data.session_id).execute();
    }
    await settle('processed');
    return { status: 200, outcome: 'recorded', type: event.type, body: { ok: true } };
  }
  if (RECORDED_TYPES.has(event.type)) {
    await settle('processed');
    return { status: 200, outcome: 'recorded', type: event.type, body: { ok: true } };
  }
  await settle('ignored', 'event type not used');
  return { status: 200, outcome: 'ignored', type: event.type, body: { ok: true } };
};
