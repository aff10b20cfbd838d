/**
 * API keys over HTTP, for admins (the CLI's `api-keys` does the same on the database or through
 * the admin socket). The token is in the creation answer only.
 */
import { formatIssues } from '../errors.ts';
import type { H3 } from 'h3';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { createApiKey, listApiKeys, revokeApiKey } from '../auth/api-keys.ts';
import type { Authenticator } from '../auth/authenticate.ts';
import { SCOPES } from '../auth/principal.ts';
import type { Database } from '../db/schema.ts';
import { idParam } from './api-routes.ts';
import { apiError, jsonResponse, notFound } from './errors.ts';
import { guard, readJsonBody } from './guard.ts';

export const CreateKey = z.object({ name: z.string().trim().min(1).max(100), scope: z.enum(SCOPES as [string, ...string[]]) });

export const registerApiKeyRoutes = (app: H3, deps: { db: Kysely<Database>; auth: Authenticator; maxBodyBytes: number }) => {
  app.get(
    '/v1/api-keys',
    guard(deps.auth, 'admin', async () => ({ apiKeys: await listApiKeys(deps.db) })),
  );

  app.post(
    '/v1/api-keys',
    guard(deps.auth, 'admin', async (event) => {
      const body = CreateKey.safeParse(await readJsonBody(event, deps.maxBodyBytes));
      if (!body.success) return apiError(400, 'BAD_REQUEST', formatIssues(body.error.issues, 'body').join('; '));
      return jsonResponse(201, { apiKey: await createApiKey(deps.db, body.data as { name: string; scope: 'read' | 'write' | 'admin' }) });
    }),
  );

  app.delete(
    '/v1/api-keys/:id',
    guard(deps.auth, 'admin', async (event) => {
      const id = idParam(event);
      return id && (await revokeApiKey(deps.db, id)) ? { revoked: id } : notFound('api key');
    }),
  );
};
