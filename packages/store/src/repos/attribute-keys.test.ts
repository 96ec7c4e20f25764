import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery, sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AttributeRecord, New, Repositories, Store, Viewer } from '@waggle/core';
import { ConflictError } from '@waggle/errors';
import { createRepositories, openSqlStore } from '../sql-store.js';
import type { SqlConnection } from '../db/connect.js';
import { forEachEngine } from '../test-support/engines.js';
import { insertTestEvent } from '../test-support/events.js';
import { attributeKeysMigration } from '../migrations/018-attribute-keys.js';
import { attributeKeyFilter, ipBlockQueries } from '../db/attribute-keys.js';
import { moreAttributeKeysMigration } from '../migrations/019-more-attribute-keys.js';
import { ipRange } from '@waggle/misp';
import { attributeConditions } from '../db/filters.js';

const ADMIN: Viewer = { userId: 1, orgId: 1, siteAdmin: true, sharingGroupIds: [] };

async function anEvent(repos: Repositories): Promise<number> {
  return (await insertTestEvent(repos, 'keys')).id;
}

function attribute(eventId: number, value1: string, uuid: string = randomUUID(), type = 'domain', value2 = ''): New<AttributeRecord> {
  return {
    uuid, event_id: eventId, object_id: 0, object_relation: null, category: 'Network activity', type, value1, value2,
    to_ids: false, distribution: 5, sharing_group_id: 0, comment: '', timestamp: 1, deleted: false, disable_correlation: false, first_seen: null, last_seen: null,
  };
}

async function valuesMatching(repos: Repositories, value: string): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of repos.searchAttributes({ value: { include: [value], exclude: [] }, deleted: 'both' }, ADMIN)) out.push(...batch.map((a) => a.value1));
  return out;
}

async function matching(repos: Repositories, filters: Parameters<Repositories['searchAttributes']>[0]): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of repos.searchAttributes(filters, ADMIN)) out.push(...batch.map((a) => (a.value2 === '' ? a.value1 : `${a.value1}|${a.value2}`)));
  return out.sort();
}

async function uuidsMatching(repos: Repositories, uuids: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of repos.searchAttributes({ uuids, deleted: 'both' }, ADMIN)) out.push(...batch.map((a) => a.uuid));
  return out.sort();
}

// Both engines: lookups by UUID and value follow inserts, edits and deletes (on SQLite
// through the key table, on PostgreSQL through its indexes), and UUIDs stay unique.
forEachEngine('attribute lookups by UUID and value', (getCtx) => {
  const repos = () => createRepositories(getCtx());

  it('finds attributes by UUID and exact value, and follows value edits and hard deletes', async () => {
    const eventId = await anEvent(repos());
    const [a, b, c] = await repos().insertAttributes([attribute(eventId, 'one.example'), attribute(eventId, 'two.example'), attribute(eventId, 'one.example')]) as [AttributeRecord, AttributeRecord, AttributeRecord];
    expect((await repos().getAttribute(a.uuid))?.id).toBe(a.id);
    expect((await repos().getAttribute(b.uuid.toUpperCase()))?.id).toBe(b.id);
    expect(await valuesMatching(repos(), 'one.example')).toEqual(['one.example', 'one.example']);
    expect(await uuidsMatching(repos(), [a.uuid, c.uuid, randomUUID()])).toEqual([a.uuid, c.uuid].sort());

    await repos().updateAttribute(a.id, { value1: 'three.example' });
    expect(await valuesMatching(repos(), 'one.example')).toEqual(['one.example']);
    expect(await valuesMatching(repos(), 'three.example')).toEqual(['three.example']);
    expect((await repos().getAttribute(a.uuid))?.value1).toBe('three.example');

    await repos().deleteAttribute(c.id);
    expect(await valuesMatching(repos(), 'one.example')).toEqual([]);
    expect(await repos().getAttribute(c.uuid)).toBeUndefined();

    await repos().deleteEvent(eventId);
    expect(await repos().getAttribute(a.uuid)).toBeUndefined();
    expect(await repos().getAttribute(b.uuid)).toBeUndefined();
    expect(await valuesMatching(repos(), 'two.example')).toEqual([]);
  });

  it('matches values exactly: case, LIKE metacharacters and wildcards', async () => {
    const eventId = await anEvent(repos());
    await repos().insertAttributes([attribute(eventId, 'Mixed.Example'), attribute(eventId, 'a_b%c.example'), attribute(eventId, 'axb.example')]);
    expect(await valuesMatching(repos(), 'mixed.example')).toEqual([]);
    expect(await valuesMatching(repos(), 'Mixed.Example')).toEqual(['Mixed.Example']);
    expect(await valuesMatching(repos(), 'a_b%c.example')).toEqual(['a_b%c.example']);
    expect((await valuesMatching(repos(), '%b.example')).sort()).toEqual(['axb.example']);
  });

  it('finds values in value2, and follows edits of value2 and type', async () => {
    const eventId = await anEvent(repos());
    const [a] = await repos().insertAttributes([
      attribute(eventId, 'evil.example', randomUUID(), 'domain|ip', '198.51.100.7'),
      attribute(eventId, 'x.exe', randomUUID(), 'filename|sha256', 'a'.repeat(64)),
      attribute(eventId, '198.51.100.7', randomUUID(), 'ip-dst'),
    ]) as [AttributeRecord];
    const values = (value: string) => matching(repos(), { value: { include: [value], exclude: [] }, deleted: 'both' });
    expect(await values('198.51.100.7')).toEqual(['198.51.100.7', 'evil.example|198.51.100.7']);
    expect(await values('a'.repeat(64))).toEqual([`x.exe|${'a'.repeat(64)}`]);
    expect(await matching(repos(), { value2: { include: ['198.51.100.7'], exclude: [] }, deleted: 'both' })).toEqual(['evil.example|198.51.100.7']);
    // As the services edit: the row, then its IP range.
    const edit = async (id: number, patch: Partial<AttributeRecord>) => {
      const updated = await repos().updateAttribute(id, patch);
      await repos().removeIpRanges([id]);
      await repos().addIpRanges([updated]);
    };
    await edit(a.id, { value2: '203.0.113.9' });
    expect(await values('198.51.100.7')).toEqual(['198.51.100.7']);
    expect(await values('203.0.113.9')).toEqual(['evil.example|203.0.113.9']);
    expect(await values('203.0.113.0/24')).toEqual(['evil.example|203.0.113.9']);
    // A domain that becomes an IP attribute is found by CIDR from then on (the key follows the type).
    const [d] = await repos().insertAttributes([attribute(eventId, '192.0.2.200')]) as [AttributeRecord];
    expect(await values('192.0.2.0/24')).toEqual([]);
    await edit(d.id, { type: 'ip-src' });
    expect(await values('192.0.2.0/24')).toEqual(['192.0.2.200']);
  });

  it('finds the addresses and blocks inside a CIDR block, at every prefix length', async () => {
    const eventId = await anEvent(repos());
    const ips = ['10.0.0.1', '10.0.1.255', '10.0.2.0', '10.0.3.4', '10.1.0.1', '10.127.255.255', '10.128.0.0', '11.0.0.1', '2001:db8::1', '2001:db8:0:1::1', '2001:db9::1'];
    const stored = await repos().insertAttributes([
      ...ips.map((ip, i) => attribute(eventId, ip, randomUUID(), i % 2 === 0 ? 'ip-dst' : 'ip-src')),
      attribute(eventId, '10.0.0.0/25', randomUUID(), 'ip-dst'),
      attribute(eventId, '10.0.0.9', randomUUID(), 'ip-dst|port', '8080'),
    ]);
    await repos().addIpRanges(stored);
    const cidr = (value: string) => matching(repos(), { value: { include: [value], exclude: [] }, deleted: 'both' });
    expect(await cidr('10.0.0.0/32')).toEqual([]);
    expect(await cidr('10.0.0.1/32')).toEqual(['10.0.0.1']);
    expect(await cidr('10.0.0.0/25')).toEqual(['10.0.0.0/25', '10.0.0.1', '10.0.0.9|8080']);
    expect(await cidr('10.0.0.0/23')).toEqual(['10.0.0.0/25', '10.0.0.1', '10.0.0.9|8080', '10.0.1.255']);
    expect(await cidr('10.0.0.0/22')).toEqual(['10.0.0.0/25', '10.0.0.1', '10.0.0.9|8080', '10.0.1.255', '10.0.2.0', '10.0.3.4']);
    expect(await cidr('10.0.0.0/9')).toEqual(['10.0.0.0/25', '10.0.0.1', '10.0.0.9|8080', '10.0.1.255', '10.0.2.0', '10.0.3.4', '10.1.0.1', '10.127.255.255']);
    expect(await cidr('10.0.0.0/8')).toHaveLength(9);
    expect(await cidr('0.0.0.0/0')).toHaveLength(10);
    expect(await cidr('2001:db8::/32')).toEqual(['2001:db8:0:1::1', '2001:db8::1']);
    expect(await cidr('2001:db8::/64')).toEqual(['2001:db8::1']);
  });

  it('refuses an attribute UUID that is taken or repeated, and stores none of the batch', async () => {
    const eventId = await anEvent(repos());
    const [a] = await repos().insertAttributes([attribute(eventId, 'x.example')]) as [AttributeRecord];
    const fresh = randomUUID();
    await expect(repos().insertAttributes([attribute(eventId, 'y.example', fresh), attribute(eventId, 'z.example', a.uuid)])).rejects.toThrow();
    const twice = randomUUID();
    await expect(repos().insertAttributes([attribute(eventId, 'y.example', twice), attribute(eventId, 'z.example', twice)])).rejects.toThrow();
    expect(await repos().getAttribute(twice)).toBeUndefined();
    expect(await valuesMatching(repos(), 'x.example')).toEqual(['x.example']);
  });
});

describe('prefix queries for the addresses inside an IP block', () => {
  const queries = (cidr: string) => ipBlockQueries(ipRange(cidr) as NonNullable<ReturnType<typeof ipRange>>);
  it('gives one exact token for an address, one prefix per aligned nibble, and the digits a partial nibble spans', () => {
    expect(queries('192.0.2.1')).toEqual(['i4c0000201']);
    expect(queries('192.0.2.1/32')).toEqual(['i4c0000201']);
    expect(queries('192.0.2.0/24')).toEqual(['i4c00002*']);
    expect(queries('192.0.2.0/28')).toEqual(['i4c000020*']);
    expect(queries('192.0.2.0/23')).toEqual(['i4c00002*', 'i4c00003*']);
    expect(queries('192.0.2.128/25')).toEqual(['i4c000028*', 'i4c000029*', 'i4c00002a*', 'i4c00002b*', 'i4c00002c*', 'i4c00002d*', 'i4c00002e*', 'i4c00002f*']);
    expect(queries('0.0.0.0/0')).toEqual(['i4*']);
    expect(queries('2001:db8::/32')).toEqual(['i620010db8*']);
  });
});

// SQLite through the store: the UUID guard inside write transactions, another connection
// writing the same file, the query plans, and keys for attributes stored before migration 018.
describe('SQLite attribute keys through the store', () => {
  let dir: string;
  let file: string;
  const open: (Store & { readonly connection: SqlConnection })[] = [];
  const store = async () => {
    const s = await openSqlStore({ url: file });
    open.push(s);
    return s;
  };
  const insert = (s: Store, rows: (eventId: number) => New<AttributeRecord>[]) =>
    s.write(async (repos) => repos.insertAttributes(rows(await anEvent(repos))));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'waggle-keys-'));
    file = join(dir, 'store.sqlite');
  });
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses taken and repeated UUIDs inside write transactions, leaving the store unchanged', async () => {
    const s = await store();
    const [first] = await insert(s, (e) => [attribute(e, 'first.example')]) as [AttributeRecord];
    const count = async () => s.read(async (repos) => repos.countAttributes({ deleted: 'both' }, ADMIN));
    const before = await count();
    const error = await insert(s, (e) => [attribute(e, 'a.example'), attribute(e, 'b.example', first.uuid)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toContain(first.uuid);
    const twice = randomUUID();
    await expect(insert(s, (e) => [attribute(e, 'a.example', twice), attribute(e, 'b.example', twice)])).rejects.toBeInstanceOf(ConflictError);
    expect(await count()).toBe(before);
    // Many new UUIDs at once (the Bloom filter answers for nearly all of them), then one taken among them.
    const many = await insert(s, (e) => Array.from({ length: 3000 }, (_, i) => attribute(e, `n${i}.example`)));
    expect(many).toHaveLength(3000);
    const taken = (many[1234] as AttributeRecord).uuid;
    await expect(insert(s, (e) => [...Array.from({ length: 2000 }, (_, i) => attribute(e, `m${i}.example`)), attribute(e, 'last.example', taken)])).rejects.toBeInstanceOf(ConflictError);
    expect(await count()).toBe(before + 3000);
  });

  it('sees UUIDs that another connection stored, and those stored before it opened', async () => {
    const first = await store();
    const [early] = await insert(first, (e) => [attribute(e, 'early.example')]) as [AttributeRecord];
    const second = await store();
    await expect(insert(second, (e) => [attribute(e, 'again.example', early.uuid)])).rejects.toBeInstanceOf(ConflictError);
    // The first store has checked (and cached) its UUIDs; the second now adds one behind its back.
    await insert(first, (e) => [attribute(e, 'warm.example')]);
    const [late] = await insert(second, (e) => [attribute(e, 'late.example')]) as [AttributeRecord];
    await expect(insert(first, (e) => [attribute(e, 'copy.example', late.uuid)])).rejects.toBeInstanceOf(ConflictError);
    expect((await first.read((repos) => repos.getAttribute(late.uuid)))?.value1).toBe('late.example');
  });

  it('answers UUID and value lookups from the key table, never by scanning attributes', async () => {
    const s = await store();
    const [a] = await insert(s, (e) => [attribute(e, 'plan.example')]) as [AttributeRecord];
    const db = s.connection.db;
    const planOf = async (query: { compile(): CompiledQuery }): Promise<string> => {
      const q = query.compile();
      const { rows } = await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${q.sql}`, [...q.parameters]));
      return rows.map((r) => r.detail).join(' | ');
    };
    const byUuid = db.selectFrom('attributes').selectAll().where('uuid', '=', a.uuid).where(attributeKeyFilter('sqlite', 'attributes.id', 'uuid', [a.uuid]) as Expression<SqlBool>);
    const byValue = db.selectFrom('attributes').innerJoin('events', 'events.id', 'attributes.event_id').selectAll('attributes')
      .where((eb) => eb.and(attributeConditions(eb, { value: { include: ['plan.example'], exclude: [] } }, 'sqlite')));
    for (const query of [byUuid, byValue]) {
      const plan = await planOf(query);
      expect(plan).toMatch(/attribute_keys/);
      expect(plan).not.toMatch(/SCAN attributes/);
    }
  });

  it('moves value2 and single addresses into the key table (migration 019), and back', async () => {
    const s = await store();
    const db = s.connection.db as unknown as Kysely<unknown>;
    const migration = moreAttributeKeysMigration('sqlite');
    const indexes = async () => (await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'attributes'`.execute(db)).rows.map((r) => r.name);
    const singles = async () => Number((await sql<{ n: number }>`select count(*) as n from ip_ranges where is_cidr = 0`.execute(db)).rows[0]?.n);
    const uuid = randomUUID();
    await s.write(async (repos) => repos.addIpRanges(await repos.insertAttributes([
      attribute(await anEvent(repos), 'old.example', uuid, 'domain|ip', '198.51.100.20'), attribute(await anEvent(repos), '198.51.100.0/24', randomUUID(), 'ip-src'),
    ])));
    // Back to the schema before 019: old key rows (UUID and value1 only), every IP in ip_ranges.
    await migration.down?.(db);
    expect(await indexes()).toContain('attributes_value2_idx');
    expect(await singles()).toBe(1);
    await migration.up(db);
    expect(await indexes()).not.toContain('attributes_value2_idx');
    expect(await singles()).toBe(0);
    const found = (value: string) => s.read((repos) => matching(repos, { value: { include: [value], exclude: [] }, deleted: 'both' }));
    expect(await found('198.51.100.20')).toEqual(['old.example|198.51.100.20']);
    expect(await found('198.51.100.16/28')).toEqual(['old.example|198.51.100.20']);
    expect(await found('198.51.100.0/16')).toEqual(['198.51.100.0/24', 'old.example|198.51.100.20']);
    expect((await s.read((repos) => repos.getAttribute(uuid)))?.value1).toBe('old.example');
  });

  it('keys the attributes of a store created before migration 018', async () => {
    const s = await store();
    const db = s.connection.db as unknown as Kysely<unknown>;
    // Back to the schema before 018 (B-tree indexes, no key table), with rows stored then.
    const migration = attributeKeysMigration('sqlite');
    await migration.down?.(db);
    const uuid = randomUUID();
    const eventId = await s.write((repos) => anEvent(repos));
    await sql`insert into attributes (uuid, event_id, category, type, value1, value2) values (${uuid}, ${eventId}, 'Network activity', 'domain', 'old.example', '')`.execute(db);
    await migration.up(db);
    expect((await s.read((repos) => repos.getAttribute(uuid)))?.value1).toBe('old.example');
    expect(await s.read((repos) => valuesMatching(repos, 'old.example'))).toEqual(['old.example']);
    const { rows } = await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'attributes'`.execute(db);
    expect(rows.map((r) => r.name)).not.toContain('attributes_uuid_idx');
    expect(rows.map((r) => r.name)).not.toContain('attributes_value1_idx');
  });
});
