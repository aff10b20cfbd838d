/**
 * What the API reads: path parameters, queries and bodies (request bodies are camelCase). The
 * routes validate with these through h3's validated readers (route.ts), and the OpenAPI
 * document describes the same schemas.
 */
import { z } from 'zod';
import { SCOPES } from '../auth/principal.ts';
import { PLATFORMS, RECORDING_STATUSES } from './api-schemas.ts';

/** A path's `:id`: a uuid (anything else cannot name a row, so it reads as 404). */
export const IdParams = z.object({ id: z.uuid() });

/** Daily room names: letters, digits, `-` and `_` (docs.daily.co/reference/rest-api/rooms/create-room). */
const DAILY_ROOM_NAME = /^[A-Za-z0-9_-]+$/;

export const CreateMeeting = z
  .object({
    platform: z.enum(PLATFORMS),
    roomName: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .describe('Daily: the room name (letters, digits, - and _); Whereby: the room name prefix (lowercased, letters and digits kept)'),
    endDate: z.iso.datetime({ offset: true }).optional().describe('when the meeting ends (default: in 24 hours); must be in the future'),
  })
  // Everything is checked before a platform is called: a room is never created for a request that then fails.
  .superRefine((body, ctx) => {
    if (body.platform === 'daily' && body.roomName !== undefined && !DAILY_ROOM_NAME.test(body.roomName))
      ctx.addIssue({ code: 'custom', path: ['roomName'], message: 'a Daily room name has only letters, digits, - and _' });
    if (body.platform === 'whereby' && body.roomName !== undefined && !/[A-Za-z0-9]/.test(body.roomName))
      ctx.addIssue({ code: 'custom', path: ['roomName'], message: 'a Whereby room name prefix needs at least one letter or digit' });
    if (body.endDate !== undefined && Date.parse(body.endDate) <= Date.now())
      ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'must be in the future' });
  });

export const AssignOwner = z.object({
  owner: z
    .string()
    .regex(/^(key|user):[^\s]{1,200}$/, 'must be key:<api key id> or user:<subject>')
    .nullable()
    .describe('key:<api key id>, user:<OIDC subject>, or null for admins only'),
});

export const ListMeetingsQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

export const ListRecordingsQuery = z.object({
  status: z.enum(RECORDING_STATUSES).optional().describe('`deleted` lists tombstones (admins)'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  order: z.enum(['updated', 'newest']).default('updated').describe('`updated`: last changed first; `newest`: latest recording start (else arrival) first'),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).describe('rows to skip: the previous answer’s nextOffset'),
});

export const CreateKey = z.object({ name: z.string().trim().min(1).max(100), scope: z.enum(SCOPES as [string, ...string[]]) });

/** The inspector's signed link (auth/signed-links.ts), the alternative to a bearer credential on the media routes. */
export const SignedLinkQuery = z.object({
  expires: z.string().optional().describe('the signed link’s expiry (unix seconds)'),
  signature: z.string().optional().describe('the signed link’s HMAC; with it, no bearer credential is needed'),
});
