import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testEngines, type TestDatabase } from '../test-support/engines.js';
import { ipRangesForAllMigration } from './013-ip-ranges-for-all.js';

describe.each(testEngines())('migration 013 (IP ranges for every IP attribute) on %s', (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  afterAll(async () => {
    await database.drop();
  });

  it('adds the ranges that attributes stored before it lack, once', async () => {
    const db = database.connection.db as unknown as Kysely<unknown>;
    const attribute = async (type: string, value1: string, value2: string, extra: { deleted?: number; disable_correlation?: number } = {}): Promise<number> => {
      const { rows } = await sql<{ id: number }>`insert into attributes (uuid, event_id, category, type, value1, value2, deleted, disable_correlation)
        values (${crypto.randomUUID()}, 7, 'Network activity', ${type}, ${value1}, ${value2}, ${extra.deleted ?? 0}, ${extra.disable_correlation ?? 0}) returning id`.execute(db);
      return Number(rows[0]?.id);
    };
    const disabled = await attribute('ip-dst', '192.0.2.1', '', { disable_correlation: 1 });
    const deleted = await attribute('ip-src|port', '192.0.2.2', '22', { deleted: 1 });
    const pair = await attribute('domain|ip', 'a.example', '2001:db8::/64', { disable_correlation: 1 });
    const block = await attribute('ip-dst', '198.51.100.0/24', '');
    await attribute('domain', 'b.example', '');
    await attribute('ip-dst', 'not-an-ip', '');
    // One attribute already has its row (it correlated): it must not get a second.
    const indexed = await attribute('ip-src', '203.0.113.9', '');
    await sql`insert into ip_ranges (attribute_id, event_id, family, ip_start, ip_end, is_cidr) values (${indexed}, 7, 4, 'x', 'x', 0)`.execute(db);

    await ipRangesForAllMigration().up(db);
    await ipRangesForAllMigration().up(db);

    const { rows } = await sql<{ attribute_id: number; family: number; is_cidr: number }>`select attribute_id, family, is_cidr from ip_ranges order by attribute_id`.execute(db);
    expect(rows.map((r) => ({ id: Number(r.attribute_id), family: Number(r.family), cidr: Number(r.is_cidr) }))).toEqual([
      { id: disabled, family: 4, cidr: 0 },
      { id: deleted, family: 4, cidr: 0 },
      { id: pair, family: 6, cidr: 1 },
      { id: block, family: 4, cidr: 1 },
      { id: indexed, family: 4, cidr: 0 },
    ]);
  });
});
