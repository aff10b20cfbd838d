/**
 * What every fault suite starts from: a copy of the fixture meeting's tracks (made once per run by
 * the global setup, so the services under test hold the only running engines), a fresh PostgreSQL
 * database and a client on it for reading states and causing trouble.
 */
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from './databases.ts';
import { fixtureMeeting, type FixtureMeeting } from './fixture-meeting.ts';

export const chaosSetup = async (): Promise<{ meeting: FixtureMeeting; t: TestDatabase; admin: pg.Client }> => {
  const meeting = await fixtureMeeting();
  const t = await createTestDatabase('postgres');
  const admin = new pg.Client({ connectionString: t.url });
  await admin.connect();
  return { meeting, t, admin };
};
