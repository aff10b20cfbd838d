/**
 * A Whereby webhook delivery: verified, deduplicated on the event id, recorded. Participants come
 * from `room.client.joined` / `.left`; `recording.finished` is recorded (the S3 event brings the
 * file). Whereby retries 5xx twice and may deliver twice or out of order
 * (docs.whereby.com/reference/webhooks). An authentic delivery is always 200, stored `invalid`
 * when it cannot be used; the event row and its effects commit together.
 */
import { formatIssues } from '../../errors.ts';
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.ts';
import { meetingCtes } from '../../recordings/meetings.ts';
import { participantCte } from '../../recordings/participants.ts';
import { readWebhookBody } from '../webhook-body.ts';
import { eventIdOf, eventTypeOf, fileEvent, fileEventWith, refuse, type WebhookAnswer } from '../webhook-events.ts';
import { normalizeWherebyRoomName } from './recording-key.ts';
import { verifyWherebySignature } from './signature.ts';
import type { Log } from '../../log.ts';

const Envelope = z.looseObject({
  id: z.string().min(1).max(200),
  type: z.string().min(1).max(100),
  createdAt: z.iso.datetime({ offset: true }).optional(),
  data: z.looseObject({}),
});
const ClientEvent = z.looseObject({
  roomName: z.string().min(1).max(200),
  participantId: z.string().min(1).max(200),
  roomSessionId: z.string().max(200).nullish(),
  displayName: z
    .string()
    .transform((s) => s.slice(0, 200))
    .nullish(),
  roleName: z.string().max(100).nullish(),
});

export type WherebyWebhookDeps = { db: Kysely<Database>; secret: string | undefined; log?: Log };

/** The answer to a delivery that is not authentic (401) or cannot be checked (503); null when it is authentic. */
export const authenticateWherebyWebhook = (secret: string | undefined, raw: Uint8Array, headers: Headers): WebhookAnswer | null => {
  if (!secret) return refuse(503, 'not-configured', 'NOT_CONFIGURED', 'WHEREBY_WEBHOOK_SECRET is not set');
  const check = verifyWherebySignature(raw, headers.get('whereby-signature'), secret);
  return check.ok ? null : refuse(401, 'unauthorized', 'UNAUTHORIZED', `webhook signature: ${check.reason}`);
};

export const handleWherebyWebhook = async (deps: WherebyWebhookDeps, raw: Uint8Array, headers: Headers): Promise<WebhookAnswer> =>
  authenticateWherebyWebhook(deps.secret, raw, headers) ?? recordWherebyWebhook(deps, raw);

/** A synthetic `room.client.joined`, for warming the service up in a transaction that is rolled back. */
export const wherebyWarmUpDelivery = (): Uint8Array =>
  new TextEncoder().encode(
    JSON.stringify({
      id: `warm-up-${randomUUID()}`,
      type: 'room.client.joined',
      createdAt: new Date().toISOString(),
      data: { roomName: '/reflector-tracks-warm-up', participantId: randomUUID(), displayName: 'warm-up', roleName: 'visitor' },
    }),
  );

/** Records a delivery `authenticateWherebyWebhook` found authentic. */
export const recordWherebyWebhook = async (deps: WherebyWebhookDeps, raw: Uint8Array): Promise<WebhookAnswer> => {
  const body = readWebhookBody(raw);
  const json = (body.value ?? body.head) as { id?: unknown; type?: unknown } | undefined;
  const envelope = Envelope.safeParse(json);
  const id = eventIdOf(envelope.success ? envelope.data.id : json?.id, body);
  const type = eventTypeOf(envelope.success ? envelope.data.type : json?.type);
  if (!envelope.success) {
    const error = body.value === undefined ? body.problems.join('; ') : formatIssues(envelope.error.issues).join('; ');
    return fileEvent(deps.db, { platform: 'whereby', eventId: id, type, body }, { status: 'invalid', outcome: 'invalid', error });
  }
  const event = envelope.data;
  const row = { platform: 'whereby' as const, eventId: id, type, body };
  if (event.type === 'room.client.joined' || event.type === 'room.client.left') {
    const data = ClientEvent.safeParse(event.data);
    if (!data.success)
      return fileEvent(deps.db, row, {
        status: 'invalid',
        outcome: 'invalid',
        error: formatIssues(data.error.issues).join('; '),
      });
    if (data.data.roleName === 'recorder')
      return fileEvent(deps.db, row, { status: 'ignored', outcome: 'ignored', error: 'the recorder client is not a participant' });
    const at = event.createdAt ? new Date(event.createdAt) : new Date();
    const joined = event.type === 'room.client.joined';
    const participant = {
      participantId: data.data.participantId,
      sessionId: data.data.roomSessionId ?? null,
      displayName: data.data.displayName ?? null,
      joinedAt: joined ? at : null,
      leftAt: joined ? null : at,
    };
    // One statement: the event filed (deduplicated on its id), its meeting found or made, the participant upserted.
    return fileEventWith(
      deps.db,
      row,
      { status: 'processed', outcome: 'recorded' },
      (filed) => sql`${meetingCtes('whereby', normalizeWherebyRoomName(data.data.roomName), at, filed)}, ${participantCte(participant)}`,
    );
  }
  const finished = event.type === 'recording.finished';
  return fileEvent(deps.db, row, finished ? { status: 'processed', outcome: 'recorded' } : { status: 'ignored', outcome: 'ignored' });
};
