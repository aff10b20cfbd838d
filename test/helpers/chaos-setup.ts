/**
 * What every fault suite starts from: the fixture meeting's tracks (made by a short-lived engine
 * of their own, so the services under test hold the only running ones), a fresh PostgreSQL
 * database and a client on it for reading states and causing trouble.
 */
import pg from 'pg';
import { createNodeEngine } from '../../src/engine/node-engine.ts';
import { createTestDatabase, type TestDatabase } from './databases.ts';
import { makeFixtureMeeting, type FixtureMeeting } from './fixture-meeting.ts';

export const chaosSetup = async (): Promise<{ meeting: FixtureMeeting; t: TestDatabase; admin: pg.Client }> => {
  const engine = await createNodeEngine({ workers: 2 });
  const meeting = await makeFixtureMeeting(engine);
  await engine.close();
  const t = await createTestDatabase('postgres');
  const admin = new pg.Client({ connectionString: t.url });
  await admin.connect();
  return { meeting, t, admin };
};
