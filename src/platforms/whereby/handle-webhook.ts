/**
 * A Whereby webhook delivery: verified, deduplicated on the event id, recorded. Participants come
 * from `room.client.joined` / `.left`; `recording.finished` is recorded (the S3 event brings the
 * file). Whereby retries 5xx twice and may deliver twice or out of order (platforms.md §2.1).
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.ts';
import { findOrCreateMeeting } from '../../recordings/meetings.ts';
import type { WebhookAnswer } from '../daily/handle-webhook.ts';
import { normalizeWherebyRoomName } from './recording-key.ts';
import { verifyWherebySignature } from './signature.ts';

const Envelope = z.looseObject({ id: z.string().min(1), type: z.string().min(1), createdAt: z.string().optional(), data: z.looseObject({}) });
const ClientEvent = z.looseObject({
  roomName: z.string().min(1),
  participantId: z.string().min(1),
  roomSessionId: z.string().nullish(),
  displayName: z.string().nullish(),
  roleName: z.string().nullish(),
});

export type WherebyWebhookDeps = { db: Kysely<Database>; secret: string | undefined; log?: (e: Record<string, unknown>) => void };

export const handleWherebyWebhook = async (deps: WherebyWebhookDeps, raw: string, headers: Headers): Promise<WebhookAnswer> => {
  if (!deps.secret) return { status: 503, outcome: 'not-configured', type: 'unknown', body: { error: 'not_configured', message: 'WHEREBY_WEBHOOK_SECRET is not set' } };
  const check = verifyWherebySignature(raw, headers.get('whereby-signature'), deps.secret);
  if (!check.ok) return { status: 401, outcome: 'unauthorized', type: 'unknown', body: { error: 'unauthorized', reason: check.reason } };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    json = { raw };
  }
  const envelope = Envelope.safeParse(json);
  const id = envelope.success ? envelope.data.id : `sha256:${createHash('sha256').update(raw).digest('hex')}`;
  const type = envelope.success ? envelope.data.type : 'unknown';
  const inserted = await deps.db
    .insertInto('webhook_events')
    .values({
      platform: 'whereby', event_id: id, type, payload: JSON.stringify(json),
      status: envelope.success ? 'received' : 'invalid', error: envelope.success ? null : envelope.error.message,
    })
    .onConflict((oc) => oc.columns(['platform', 'event_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return { status: 200, outcome: 'duplicate', type, body: { ok: true, duplicate: true } };
  if (!envelope.success) return { status: 200, outcome: 'invalid', type, body: { ok: true } };
  const settle = (status: 'processed' | 'ignored' | 'invalid', error: string | null = null) =>
    deps.db.updateTable('webhook_events').set({ status, error }).where('id', '=', inserted.id).execute();

  const event = envelope.data;
  if (event.type === 'room.client.joined' || event.type === 'room.client.left') {
    const data = ClientEvent.safeParse(event.data);
    if (!data.success) {
      await settle('invalid', data.error.message);
      return { status: 200, outcome: 'invalid', type, body: { ok: true } };
    }
    if (data.data.roleName === 'recorder') {
      await settle('ignored', 'the recorder client is not a participant');
      return { status: 200, outcome: 'ignored', type, body: { ok: true } };
    }
    const at = event.createdAt ? new Date(event.createdAt) : new Date();
    const meetingId = await findOrCreateMeeting(deps.db, 'whereby', normalizeWherebyRoomName(data.data.roomName), at);
    await deps.db
      .insertInto('participants')
      .values({ meeting_id: meetingId, platform_participant_id: data.data.participantId, platform_session_id: data.data.roomSessionId ?? null, display_name: data.data.displayName ?? null, joined_at: event.type === 'room.client.joined' ? at : null })
      .onConflict((oc) => oc.expression(sql`meeting_id, platform_participant_id, coalesce(platform_session_id, '')`).doNothing())
      .execute();
    if (event.type === 'room.client.left') {
      await deps.db.updateTable('participants').set({ left_at: at }).where('meeting_id', '=', meetingId).where('platform_participant_id', '=', data.data.participantId).execute();
    }
    await settle('processed');
    return { status: 200, outcome: 'recorded', type, body: { ok: true } };
  }
  await settle(event.type === 'recording.finished' ? 'processed' : 'ignored');
  return { status: 200, outcome: event.type === 'recording.finished' ? 'recorded' : 'ignored', type, body: { ok: true } };
};
