import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';

type J = Record<string, unknown>;

describe.each(testEngines())('servers/dbSchemaDiagnostic on %s', (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(engine);
  });
  afterAll(async () => {
    await s.close();
  });

  it('reports the applied schema version equal to the expected one after start (PyMISP test_db_schema)', async () => {
    const r = await s.call('GET', '/servers/dbSchemaDiagnostic');
    expect(r.status, r.text).toBe(200);
    const diag = r.json as J;
    expect(diag.actual_db_version).toBe(diag.expected_db_version);
    expect(diag.expected_db_version).toMatch(/^\d{3}-/);
    expect(diag).toMatchObject({ pending_migrations: [], unknown_migrations: [], update_locked: false });
  });

  it('tells apart a database migrated by newer code and one missing a migration', async () => {
    const db = s.store.connection.db;
    const before = (await s.call('GET', '/servers/dbSchemaDiagnostic')).json as J;
    const last = before.expected_db_version as string;
    const migrations = sql.table('waggle_migrations');
    await sql`insert into ${migrations} (name, timestamp) values ('999-from-newer-code', '2026-12-03T00:00:00.000Z')`.execute(db);
    try {
      const newer = (await s.call('GET', '/servers/dbSchemaDiagnostic')).json as J;
      expect(newer).toMatchObject({ actual_db_version: '999-from-newer-code', expected_db_version: last, unknown_migrations: ['999-from-newer-code'], pending_migrations: [] });
    } finally {
      await sql`delete from ${migrations} where name = '999-from-newer-code'`.execute(db);
    }
    const row = await sql<{ name: string; timestamp: string }>`select name, timestamp from ${migrations} where name = ${last}`.execute(db);
    await sql`delete from ${migrations} where name = ${last}`.execute(db);
    try {
      const older = (await s.call('GET', '/servers/dbSchemaDiagnostic')).json as J;
      expect(older.actual_db_version).not.toBe(last);
      expect(older.pending_migrations).toEqual([last]);
    } finally {
      const r = row.rows[0];
      if (r !== undefined) await sql`insert into ${migrations} (name, timestamp) values (${r.name}, ${r.timestamp})`.execute(db);
    }
  });

  it('is for site admins only', async () => {
    const orgAdmin = await addOrgUser(s, 'Schema Org', 2);
    const r = await s.call('GET', '/servers/dbSchemaDiagnostic', undefined, orgAdmin.key);
    expect(r.status).toBe(403);
    expect(r.json).toMatchObject({ name: expect.any(String), message: expect.any(String) });
  });
});
