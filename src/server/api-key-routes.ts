/**
 * API keys over HTTP, for admins (the CLI's `api-keys` does the same on the database or through
 * the admin socket). The token is in the creation answer only.
 */
import type { H3 } from 'h3';
import type { Kysely } from 'kysely';
import { createApiKey, listApiKeys, revokeApiKey } from '../auth/api-keys.ts';
import type { Authenticator } from '../auth/authenticate.ts';
import type { Scope } from '../auth/principal.ts';
import type { Database } from '../db/schema.ts';
import { toApi } from './api-case.ts';
import { notFound } from './errors.ts';
import { OPERATOR_ROUTES as R } from './operator-route-specs.ts';
import { mount, reply } from './route.ts';

export const registerApiKeyRoutes = (app: H3, deps: { db: Kysely<Database>; auth: Authenticator; maxBodyBytes: number }) => {
  mount(app, deps, R.listApiKeys, async () => reply(200, { apiKeys: (await listApiKeys(deps.db)).map(toApi) }));

  mount(app, deps, R.createApiKey, async ({ body }) =>
    reply(201, { apiKey: toApi(await createApiKey(deps.db, { name: body.name, scope: body.scope as Scope })) }),
  );

  mount(app, deps, R.revokeApiKey, async ({ params }) => ((await revokeApiKey(deps.db, params.id)) ? reply(200, { revoked: params.id }) : notFound('api key')));
};
