import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { New, OrganisationRecord } from '@waggle/core';
import { NotFoundError } from '@waggle/errors';
import { forEachEngine } from '../test-support/engines.js';
import { organisationRepository } from './organisations.js';

let seq = 0;
function anOrganisation(overrides: Partial<New<OrganisationRecord>> = {}): New<OrganisationRecord> {
  seq += 1;
  return {
    uuid: randomUUID(),
    name: `Org ${seq}`,
    description: '',
    type: 'CSIRT',
    nationality: 'BE',
    sector: 'Government',
    contacts: '',
    local: true,
    restricted_to_domain: '[]',
    landingpage: '',
    created_by: 1,
    date_created: 1_700_000_000,
    date_modified: 1_700_000_000,
    ...overrides,
  };
}

forEachEngine('organisationRepository', (getCtx) => {
  const repo = () => organisationRepository(getCtx());

  it('inserts and returns the record with an id and real booleans', async () => {
    const input = anOrganisation({ local: false });
    const org = await repo().insertOrganisation(input);
    expect(org).toEqual({ ...input, id: expect.any(Number) });
    expect(org.local).toBe(false);
    expect(await repo().getOrganisation(org.id)).toEqual(org);
  });

  describe('getOrganisation', () => {
    it('finds by id, decimal string, UUID and name', async () => {
      const uuid = randomUUID();
      const org = await repo().insertOrganisation(anOrganisation({ uuid, name: 'CIRCL' }));
      expect(await repo().getOrganisation(org.id)).toEqual(org);
      expect(await repo().getOrganisation(String(org.id))).toEqual(org);
      expect(await repo().getOrganisation(uuid)).toEqual(org);
      expect(await repo().getOrganisation(uuid.toUpperCase())).toEqual(org);
      expect(await repo().getOrganisation(uuid.replace(/-/g, ''))).toEqual(org);
      expect(await repo().getOrganisation('CIRCL')).toEqual(org);
      expect(await repo().getOrganisation('circl')).toEqual(org);
    });

    it('prefers the exact name over a case-insensitive match', async () => {
      await repo().insertOrganisation(anOrganisation({ name: 'acme' }));
      const upper = await repo().insertOrganisation(anOrganisation({ name: 'ACME' }));
      expect((await repo().getOrganisation('ACME'))?.id).toBe(upper.id);
    });

    it('returns undefined when absent', async () => {
      await repo().insertOrganisation(anOrganisation());
      expect(await repo().getOrganisation(999_999)).toBeUndefined();
      expect(await repo().getOrganisation('999999')).toBeUndefined();
      expect(await repo().getOrganisation(0)).toBeUndefined();
      expect(await repo().getOrganisation(-1)).toBeUndefined();
      expect(await repo().getOrganisation(randomUUID())).toBeUndefined();
      expect(await repo().getOrganisation('nobody')).toBeUndefined();
      expect(await repo().getOrganisation('')).toBeUndefined();
    });
  });

  it('lists in id order, filtered by local', async () => {
    const a = await repo().insertOrganisation(anOrganisation({ local: true }));
    const b = await repo().insertOrganisation(anOrganisation({ local: false }));
    const c = await repo().insertOrganisation(anOrganisation({ local: true }));
    expect(await repo().listOrganisations()).toEqual([a, b, c]);
    expect(await repo().listOrganisations({ local: true })).toEqual([a, c]);
    expect(await repo().listOrganisations({ local: false })).toEqual([b]);
  });

  describe('updateOrganisation', () => {
    it('changes only the patched fields and returns the record', async () => {
      const org = await repo().insertOrganisation(anOrganisation());
      const updated = await repo().updateOrganisation(org.id, { name: 'Renamed', local: false, date_modified: 1_700_000_100 });
      expect(updated).toEqual({ ...org, name: 'Renamed', local: false, date_modified: 1_700_000_100 });
      expect(await repo().getOrganisation(org.id)).toEqual(updated);
    });

    it('returns the current record for an empty patch', async () => {
      const org = await repo().insertOrganisation(anOrganisation());
      expect(await repo().updateOrganisation(org.id, {})).toEqual(org);
    });

    it('throws not_found for an unknown id, with or without changes', async () => {
      await expect(repo().updateOrganisation(424_242, { name: 'x' })).rejects.toBeInstanceOf(NotFoundError);
      await expect(repo().updateOrganisation(424_242, {})).rejects.toBeInstanceOf(NotFoundError);
      expect(await repo().listOrganisations()).toEqual([]);
    });

    it('rejects a duplicate name and changes nothing', async () => {
      const a = await repo().insertOrganisation(anOrganisation({ name: 'First' }));
      const b = await repo().insertOrganisation(anOrganisation({ name: 'Second' }));
      await expect(repo().updateOrganisation(b.id, { name: 'First' })).rejects.toThrow();
      expect(await repo().listOrganisations()).toEqual([a, b]);
    });
  });

  it('rejects a duplicate UUID on insert and keeps the original', async () => {
    const uuid = randomUUID();
    const org = await repo().insertOrganisation(anOrganisation({ uuid }));
    await expect(repo().insertOrganisation(anOrganisation({ uuid }))).rejects.toThrow();
    expect(await repo().listOrganisations()).toEqual([org]);
  });

  it('deletes one organisation; deleting an absent one is a no-op', async () => {
    const a = await repo().insertOrganisation(anOrganisation());
    const b = await repo().insertOrganisation(anOrganisation());
    await repo().deleteOrganisation(a.id);
    await repo().deleteOrganisation(a.id);
    expect(await repo().getOrganisation(a.id)).toBeUndefined();
    expect(await repo().listOrganisations()).toEqual([b]);
  });

  it('counts users and events (as owner or creator) of an organisation', async () => {
    const { db } = getCtx();
    const org = await repo().insertOrganisation(anOrganisation());
    const other = await repo().insertOrganisation(anOrganisation());
    expect(await repo().countOrganisationUsage(org.id)).toBe(0);

    await db.insertInto('users').values([{ email: 'a@x.test', org_id: org.id }, { email: 'b@x.test', org_id: other.id }] as never).execute();
    const event = (orgId: number, orgcId: number) => ({ uuid: randomUUID(), org_id: orgId, orgc_id: orgcId, info: 'e', date: '2024-01-01' });
    await db
      .insertInto('events')
      .values([event(org.id, org.id), event(org.id, other.id), event(other.id, org.id), event(other.id, other.id)] as never)
      .execute();

    expect(await repo().countOrganisationUsage(org.id)).toBe(1 + 3);
    expect(await repo().countOrganisationUsage(other.id)).toBe(1 + 3);
    expect(await repo().countOrganisationUsage(999_999)).toBe(0);
  });
});
