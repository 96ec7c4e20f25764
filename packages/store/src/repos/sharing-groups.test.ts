import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { New, ServerRecord, SharingGroupRecord } from '@waggle/core';
import { NotFoundError } from '@waggle/errors';
import { forEachEngine } from '../test-support/engines.js';
import { sharingGroupRepository } from './sharing-groups.js';

let seq = 0;
const next = (): number => (seq += 1);

function aSharingGroup(overrides: Partial<New<SharingGroupRecord>> = {}): New<SharingGroupRecord> {
  return {
    uuid: randomUUID(),
    name: `SG ${next()}`,
    description: '',
    releasability: '',
    organisation_uuid: randomUUID(),
    org_id: 1,
    sync_user_id: 0,
    active: true,
    local: true,
    roaming: false,
    created: 1_700_000_000,
    modified: 1_700_000_000,
    ...overrides,
  };
}

function aServer(overrides: Partial<New<ServerRecord>> = {}): New<ServerRecord> {
  const n = next();
  return {
    name: `Server ${n}`,
    url: `https://misp${n}.example.test`,
    authkey: 'k'.repeat(40),
    org_id: 1,
    remote_org_id: 2,
    push: false,
    pull: true,
    push_sightings: false,
    push_galaxy_clusters: false,
    pull_galaxy_clusters: false,
    self_signed: false,
    internal: false,
    skip_proxy: false,
    caching_enabled: false,
    unpublish_event: false,
    publish_without_email: false,
    push_rules: '{}',
    pull_rules: '{}',
    lastpulledid: 0,
    lastpushedid: 0,
    priority: 0,
    ...overrides,
  };
}

forEachEngine('sharingGroupRepository', (getCtx) => {
  const repo = () => sharingGroupRepository(getCtx());

  describe('sharing groups', () => {
    it('inserts and gets by id, decimal string and UUID', async () => {
      const uuid = randomUUID();
      const input = aSharingGroup({ uuid, roaming: true, local: false });
      const sg = await repo().insertSharingGroup(input);
      expect(sg).toEqual({ ...input, id: expect.any(Number) });
      expect(await repo().getSharingGroup(sg.id)).toEqual(sg);
      expect(await repo().getSharingGroup(String(sg.id))).toEqual(sg);
      expect(await repo().getSharingGroup(uuid)).toEqual(sg);
      expect(await repo().getSharingGroup(uuid.toUpperCase())).toEqual(sg);
    });

    it('returns undefined when absent (a name is not a reference)', async () => {
      const sg = await repo().insertSharingGroup(aSharingGroup({ name: 'Partners' }));
      expect(await repo().getSharingGroup(sg.id + 1000)).toBeUndefined();
      expect(await repo().getSharingGroup(randomUUID())).toBeUndefined();
      expect(await repo().getSharingGroup('Partners')).toBeUndefined();
    });

    it('lists in id order and updates', async () => {
      const a = await repo().insertSharingGroup(aSharingGroup());
      const b = await repo().insertSharingGroup(aSharingGroup());
      expect(await repo().listSharingGroups()).toEqual([a, b]);
      const updated = await repo().updateSharingGroup(a.id, { active: false, name: 'Renamed', modified: 1_700_000_500 });
      expect(updated).toEqual({ ...a, active: false, name: 'Renamed', modified: 1_700_000_500 });
      expect(await repo().updateSharingGroup(a.id, {})).toEqual(updated);
      expect(await repo().listSharingGroups()).toEqual([updated, b]);
    });

    it('throws not_found when updating an unknown sharing group, and changes nothing', async () => {
      const sg = await repo().insertSharingGroup(aSharingGroup());
      await expect(repo().updateSharingGroup(sg.id + 1000, { name: 'x' })).rejects.toBeInstanceOf(NotFoundError);
      await expect(repo().updateSharingGroup(sg.id + 1000, {})).rejects.toBeInstanceOf(NotFoundError);
      expect(await repo().listSharingGroups()).toEqual([sg]);
    });

    it('rejects a duplicate UUID and keeps the original', async () => {
      const uuid = randomUUID();
      const sg = await repo().insertSharingGroup(aSharingGroup({ uuid }));
      await expect(repo().insertSharingGroup(aSharingGroup({ uuid }))).rejects.toThrow();
      expect(await repo().listSharingGroups()).toEqual([sg]);
    });

    it('deletes a sharing group with its organisations and servers, and nothing else', async () => {
      const gone = await repo().insertSharingGroup(aSharingGroup());
      const kept = await repo().insertSharingGroup(aSharingGroup());
      for (const sg of [gone, kept]) {
        await repo().upsertSharingGroupOrg(sg.id, 1, false);
        await repo().upsertSharingGroupServer(sg.id, 0, true);
      }
      await repo().deleteSharingGroup(gone.id);
      await repo().deleteSharingGroup(gone.id);
      expect(await repo().listSharingGroups()).toEqual([kept]);
      expect(await repo().listSharingGroupOrgs([gone.id, kept.id])).toEqual([{ id: expect.any(Number), sharing_group_id: kept.id, org_id: 1, extend: false }]);
      expect(await repo().listSharingGroupServers([gone.id, kept.id])).toEqual([{ id: expect.any(Number), sharing_group_id: kept.id, server_id: 0, all_orgs: true }]);
    });
  });

  describe('members', () => {
    it('upserts an organisation: inserts once, then updates extend', async () => {
      const sg = await repo().insertSharingGroup(aSharingGroup());
      await repo().upsertSharingGroupOrg(sg.id, 7, false);
      await repo().upsertSharingGroupOrg(sg.id, 8, true);
      const [first] = await repo().listSharingGroupOrgs([sg.id]);
      await repo().upsertSharingGroupOrg(sg.id, 7, true);
      const rows = await repo().listSharingGroupOrgs([sg.id]);
      expect(rows).toEqual([
        { id: first?.id, sharing_group_id: sg.id, org_id: 7, extend: true },
        { id: expect.any(Number), sharing_group_id: sg.id, org_id: 8, extend: true },
      ]);
    });

    it('removes an organisation and says whether it was there', async () => {
      const sg = await repo().insertSharingGroup(aSharingGroup());
      await repo().upsertSharingGroupOrg(sg.id, 7, false);
      await repo().upsertSharingGroupOrg(sg.id, 8, false);
      expect(await repo().removeSharingGroupOrg(sg.id, 7)).toBe(true);
      expect(await repo().removeSharingGroupOrg(sg.id, 7)).toBe(false);
      expect(await repo().removeSharingGroupOrg(sg.id + 1000, 8)).toBe(false);
      expect((await repo().listSharingGroupOrgs([sg.id])).map((r) => r.org_id)).toEqual([8]);
    });

    it('upserts and removes servers', async () => {
      const sg = await repo().insertSharingGroup(aSharingGroup());
      await repo().upsertSharingGroupServer(sg.id, 0, false);
      await repo().upsertSharingGroupServer(sg.id, 3, false);
      await repo().upsertSharingGroupServer(sg.id, 0, true);
      expect(await repo().listSharingGroupServers([sg.id])).toEqual([
        { id: expect.any(Number), sharing_group_id: sg.id, server_id: 0, all_orgs: true },
        { id: expect.any(Number), sharing_group_id: sg.id, server_id: 3, all_orgs: false },
      ]);
      expect(await repo().removeSharingGroupServer(sg.id, 3)).toBe(true);
      expect(await repo().removeSharingGroupServer(sg.id, 3)).toBe(false);
      expect((await repo().listSharingGroupServers([sg.id])).map((r) => r.server_id)).toEqual([0]);
    });

    it('lists members of the given sharing groups only, grouped by sharing group', async () => {
      const a = await repo().insertSharingGroup(aSharingGroup());
      const b = await repo().insertSharingGroup(aSharingGroup());
      const c = await repo().insertSharingGroup(aSharingGroup());
      await repo().upsertSharingGroupOrg(b.id, 1, false);
      await repo().upsertSharingGroupOrg(a.id, 2, false);
      await repo().upsertSharingGroupOrg(c.id, 3, false);
      await repo().upsertSharingGroupServer(c.id, 0, false);
      expect((await repo().listSharingGroupOrgs([b.id, a.id])).map((r) => [r.sharing_group_id, r.org_id])).toEqual([
        [a.id, 2],
        [b.id, 1],
      ]);
      expect(await repo().listSharingGroupServers([a.id, b.id])).toEqual([]);
      expect(await repo().listSharingGroupOrgs([])).toEqual([]);
      expect(await repo().listSharingGroupServers([])).toEqual([]);
    });
  });

  describe('sharingGroupIdsForOrg', () => {
    it('includes member, creator and open-to-all-local-orgs groups, active only, distinct and ascending', async () => {
      const org = 10;
      const creator = await repo().insertSharingGroup(aSharingGroup({ org_id: org }));
      const member = await repo().insertSharingGroup(aSharingGroup({ org_id: 99 }));
      await repo().upsertSharingGroupOrg(member.id, org, false);
      const open = await repo().insertSharingGroup(aSharingGroup({ org_id: 99 }));
      await repo().upsertSharingGroupServer(open.id, 0, true);
      // Every rule at once must still yield the id once.
      const all = await repo().insertSharingGroup(aSharingGroup({ org_id: org }));
      await repo().upsertSharingGroupOrg(all.id, org, true);
      await repo().upsertSharingGroupServer(all.id, 0, true);

      const inactive = await repo().insertSharingGroup(aSharingGroup({ org_id: org, active: false }));
      await repo().upsertSharingGroupOrg(inactive.id, org, false);
      await repo().upsertSharingGroupServer(inactive.id, 0, true);
      const localOnly = await repo().insertSharingGroup(aSharingGroup({ org_id: 99 }));
      await repo().upsertSharingGroupServer(localOnly.id, 0, false);
      const remoteAll = await repo().insertSharingGroup(aSharingGroup({ org_id: 99 }));
      await repo().upsertSharingGroupServer(remoteAll.id, 5, true);
      const otherOrg = await repo().insertSharingGroup(aSharingGroup({ org_id: 99 }));
      await repo().upsertSharingGroupOrg(otherOrg.id, 11, false);

      expect(await repo().sharingGroupIdsForOrg(org)).toEqual([creator.id, member.id, open.id, all.id]);
      expect(await repo().sharingGroupIdsForOrg(11)).toEqual([open.id, all.id, otherOrg.id]);
    });

    it('returns nothing when there are no sharing groups', async () => {
      expect(await repo().sharingGroupIdsForOrg(1)).toEqual([]);
    });
  });

  describe('servers', () => {
    it('inserts, gets, lists by priority and updates servers', async () => {
      const input = aServer({ priority: 2, self_signed: true });
      const low = await repo().insertServer(input);
      expect(low).toEqual({ ...input, id: expect.any(Number) });
      const high = await repo().insertServer(aServer({ priority: 1 }));
      const tie = await repo().insertServer(aServer({ priority: 2 }));
      expect(await repo().getServer(low.id)).toEqual(low);
      expect(await repo().getServer(low.id + 1000)).toBeUndefined();
      expect(await repo().listServers()).toEqual([high, low, tie]);

      const updated = await repo().updateServer(low.id, { push: true, lastpulledid: 42 });
      expect(updated).toEqual({ ...low, push: true, lastpulledid: 42 });
      expect(await repo().updateServer(low.id, {})).toEqual(updated);
      expect(await repo().getServer(low.id)).toEqual(updated);
    });

    it('throws not_found when updating an unknown server, and changes nothing', async () => {
      const server = await repo().insertServer(aServer());
      await expect(repo().updateServer(server.id + 1000, { push: true })).rejects.toBeInstanceOf(NotFoundError);
      await expect(repo().updateServer(server.id + 1000, {})).rejects.toBeInstanceOf(NotFoundError);
      expect(await repo().listServers()).toEqual([server]);
    });

    it('deletes a server and the sharing groups’ links to it, keeping this instance’s links', async () => {
      const sg = await repo().insertSharingGroup(aSharingGroup());
      const gone = await repo().insertServer(aServer());
      const kept = await repo().insertServer(aServer());
      await repo().upsertSharingGroupServer(sg.id, 0, true);
      await repo().upsertSharingGroupServer(sg.id, gone.id, false);
      await repo().upsertSharingGroupServer(sg.id, kept.id, false);

      await repo().deleteServer(gone.id);
      await repo().deleteServer(gone.id);
      await repo().deleteServer(0);
      expect(await repo().listServers()).toEqual([kept]);
      expect((await repo().listSharingGroupServers([sg.id])).map((r) => r.server_id)).toEqual([0, kept.id]);
    });
  });
});
