import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AuthKeyRecord, New, RoleRecord, UserRecord } from '@waggle/core';
import { NotFoundError } from '@waggle/errors';
import { forEachEngine } from '../test-support/engines.js';
import { organisationRepository } from './organisations.js';
import { userRepository } from './users.js';

let seq = 0;
const next = (): number => (seq += 1);

function aRole(overrides: Partial<New<RoleRecord>> = {}): New<RoleRecord> {
  return {
    name: `Role ${next()}`,
    perm_add: true,
    perm_modify: true,
    perm_modify_org: false,
    perm_publish: false,
    perm_delegate: false,
    perm_sync: false,
    perm_admin: false,
    perm_audit: false,
    perm_auth: true,
    perm_site_admin: false,
    perm_regexp_access: false,
    perm_tagger: true,
    perm_template: false,
    perm_sharing_group: false,
    perm_tag_editor: false,
    perm_sighting: true,
    perm_object_template: false,
    perm_galaxy_editor: false,
    perm_warninglist: false,
    perm_publish_zmq: false,
    perm_publish_kafka: false,
    perm_decaying: false,
    default_role: false,
    restricted_to_site_admin: false,
    enforce_rate_limit: false,
    rate_limit_count: 0,
    memory_limit: '',
    max_execution_time: '',
    created: 1_700_000_000,
    modified: 1_700_000_000,
    ...overrides,
  };
}

function aUser(overrides: Partial<New<UserRecord>> = {}): New<UserRecord> {
  return {
    email: `user${next()}@example.test`,
    org_id: 1,
    role_id: 1,
    password_hash: '$scrypt$x',
    disabled: false,
    autoalert: false,
    contactalert: true,
    termsaccepted: false,
    change_pw: false,
    nids_sid: 4_000_000,
    gpgkey: '',
    certif_public: '',
    expiration: null,
    invited_by: 0,
    date_created: 1_700_000_000,
    date_modified: 1_700_000_000,
    last_login: 0,
    current_login: 0,
    ...overrides,
  };
}

function anAuthKey(overrides: Partial<New<AuthKeyRecord>> = {}): New<AuthKeyRecord> {
  return {
    uuid: randomUUID(),
    authkey_hash: `hash-${next()}`,
    authkey_start: 'abcd',
    authkey_end: 'wxyz',
    user_id: 1,
    created: 1_700_000_000,
    expiration: 0,
    read_only: false,
    comment: '',
    allowed_ips: '',
    ...overrides,
  };
}

forEachEngine('userRepository', (getCtx) => {
  const repo = () => userRepository(getCtx());

  describe('roles', () => {
    it('inserts, gets, lists and updates roles with real booleans', async () => {
      const input = aRole({ perm_admin: true, name: 'Org Admin' });
      const admin = await repo().insertRole(input);
      expect(admin).toEqual({ ...input, id: expect.any(Number) });
      const user = await repo().insertRole(aRole({ name: 'User', default_role: true }));
      expect(await repo().getRole(admin.id)).toEqual(admin);
      expect(await repo().listRoles()).toEqual([admin, user]);

      const updated = await repo().updateRole(user.id, { perm_publish: true, rate_limit_count: 10 });
      expect(updated).toEqual({ ...user, perm_publish: true, rate_limit_count: 10 });
      expect(await repo().getRole(user.id)).toEqual(updated);
      expect(await repo().updateRole(user.id, {})).toEqual(updated);
    });

    it('returns undefined or not_found for an unknown role', async () => {
      expect(await repo().getRole(77_777)).toBeUndefined();
      await expect(repo().updateRole(77_777, { name: 'x' })).rejects.toBeInstanceOf(NotFoundError);
      await expect(repo().updateRole(77_777, {})).rejects.toBeInstanceOf(NotFoundError);
      expect(await repo().listRoles()).toEqual([]);
    });
  });

  describe('users', () => {
    it('inserts and finds a user by id, decimal string and e-mail (any case)', async () => {
      const input = aUser({ email: 'Analyst@Example.test', disabled: true, expiration: 1_800_000_000 });
      const user = await repo().insertUser(input);
      expect(user).toEqual({ ...input, id: expect.any(Number) });
      expect(await repo().getUser(user.id)).toEqual(user);
      expect(await repo().getUser(String(user.id))).toEqual(user);
      expect(await repo().getUser('Analyst@Example.test')).toEqual(user);
      expect(await repo().getUser('analyst@example.TEST')).toEqual(user);
    });

    it('prefers the exact e-mail over a case-insensitive match', async () => {
      await repo().insertUser(aUser({ email: 'dup@example.test' }));
      const upper = await repo().insertUser(aUser({ email: 'DUP@example.test' }));
      expect((await repo().getUser('DUP@example.test'))?.id).toBe(upper.id);
    });

    it('returns undefined for an unknown user', async () => {
      await repo().insertUser(aUser());
      expect(await repo().getUser(99_999)).toBeUndefined();
      expect(await repo().getUser('nobody@example.test')).toBeUndefined();
      expect(await repo().getUser('')).toBeUndefined();
      expect(await repo().getUser(0)).toBeUndefined();
    });

    it('lists users in id order, filtered by organisation', async () => {
      const a = await repo().insertUser(aUser({ org_id: 1 }));
      const b = await repo().insertUser(aUser({ org_id: 2 }));
      const c = await repo().insertUser(aUser({ org_id: 1 }));
      expect(await repo().listUsers()).toEqual([a, b, c]);
      expect(await repo().listUsers({ orgId: 1 })).toEqual([a, c]);
      expect(await repo().listUsers({ orgId: 3 })).toEqual([]);
    });

    it('updates only the patched fields; empty patch returns the user', async () => {
      const user = await repo().insertUser(aUser());
      const updated = await repo().updateUser(user.id, { disabled: true, expiration: null, last_login: 5 });
      expect(updated).toEqual({ ...user, disabled: true, expiration: null, last_login: 5 });
      expect(await repo().updateUser(user.id, {})).toEqual(updated);
      expect(await repo().getUser(user.id)).toEqual(updated);
    });

    it('throws not_found when updating an unknown user, and changes nothing', async () => {
      const user = await repo().insertUser(aUser());
      await expect(repo().updateUser(user.id + 1000, { disabled: true })).rejects.toBeInstanceOf(NotFoundError);
      await expect(repo().updateUser(user.id + 1000, {})).rejects.toBeInstanceOf(NotFoundError);
      expect(await repo().listUsers()).toEqual([user]);
    });

    it('rejects a duplicate e-mail and keeps the original', async () => {
      const user = await repo().insertUser(aUser({ email: 'one@example.test' }));
      await expect(repo().insertUser(aUser({ email: 'one@example.test' }))).rejects.toThrow();
      expect(await repo().listUsers()).toEqual([user]);
    });

    it('deletes a user together with its auth keys only', async () => {
      const gone = await repo().insertUser(aUser());
      const kept = await repo().insertUser(aUser());
      await repo().insertAuthKey(anAuthKey({ user_id: gone.id }));
      await repo().insertAuthKey(anAuthKey({ user_id: gone.id }));
      const keptKey = await repo().insertAuthKey(anAuthKey({ user_id: kept.id }));

      await repo().deleteUser(gone.id);
      await repo().deleteUser(gone.id);
      expect(await repo().getUser(gone.id)).toBeUndefined();
      expect(await repo().listUsers()).toEqual([kept]);
      expect(await repo().listAuthKeys()).toEqual([keptKey]);
    });
  });

  describe('auth keys', () => {
    it('inserts and gets a key by id, decimal string and UUID', async () => {
      const uuid = randomUUID();
      const input = anAuthKey({ uuid, read_only: true, expiration: 1_900_000_000 });
      const key = await repo().insertAuthKey(input);
      expect(key).toEqual({ ...input, id: expect.any(Number) });
      expect(await repo().getAuthKey(key.id)).toEqual(key);
      expect(await repo().getAuthKey(String(key.id))).toEqual(key);
      expect(await repo().getAuthKey(uuid)).toEqual(key);
      expect(await repo().getAuthKey(uuid.toUpperCase())).toEqual(key);
      expect(await repo().getAuthKey(randomUUID())).toBeUndefined();
      expect(await repo().getAuthKey(key.id + 1000)).toBeUndefined();
      expect(await repo().getAuthKey('not-a-key')).toBeUndefined();
    });

    it('finds candidates by first and last four characters', async () => {
      const a = await repo().insertAuthKey(anAuthKey({ authkey_start: 'aaaa', authkey_end: 'zzzz' }));
      const b = await repo().insertAuthKey(anAuthKey({ authkey_start: 'aaaa', authkey_end: 'zzzz' }));
      await repo().insertAuthKey(anAuthKey({ authkey_start: 'aaaa', authkey_end: 'yyyy' }));
      await repo().insertAuthKey(anAuthKey({ authkey_start: 'bbbb', authkey_end: 'zzzz' }));
      expect(await repo().findAuthKeys('aaaa', 'zzzz')).toEqual([a, b]);
      expect(await repo().findAuthKeys('cccc', 'zzzz')).toEqual([]);
    });

    it('lists keys by user and by the organisation of their user', async () => {
      const orgs = organisationRepository(getCtx());
      const base = { description: '', type: '', nationality: '', sector: '', contacts: '', local: true, restricted_to_domain: '', landingpage: '', created_by: 0, date_created: 0, date_modified: 0 };
      const orgA = await orgs.insertOrganisation({ ...base, uuid: randomUUID(), name: 'A' });
      const orgB = await orgs.insertOrganisation({ ...base, uuid: randomUUID(), name: 'B' });
      const alice = await repo().insertUser(aUser({ org_id: orgA.id }));
      const bob = await repo().insertUser(aUser({ org_id: orgA.id }));
      const carol = await repo().insertUser(aUser({ org_id: orgB.id }));
      const k1 = await repo().insertAuthKey(anAuthKey({ user_id: alice.id }));
      const k2 = await repo().insertAuthKey(anAuthKey({ user_id: bob.id }));
      const k3 = await repo().insertAuthKey(anAuthKey({ user_id: carol.id }));
      const k4 = await repo().insertAuthKey(anAuthKey({ user_id: alice.id }));

      expect(await repo().listAuthKeys()).toEqual([k1, k2, k3, k4]);
      expect(await repo().listAuthKeys({ userId: alice.id })).toEqual([k1, k4]);
      expect(await repo().listAuthKeys({ orgId: orgA.id })).toEqual([k1, k2, k4]);
      expect(await repo().listAuthKeys({ orgId: orgB.id })).toEqual([k3]);
      expect(await repo().listAuthKeys({ orgId: orgB.id, userId: alice.id })).toEqual([]);
      expect(await repo().listAuthKeys({ orgId: orgA.id, userId: bob.id })).toEqual([k2]);
    });

    it('deletes one key; deleting an absent key is a no-op', async () => {
      const a = await repo().insertAuthKey(anAuthKey());
      const b = await repo().insertAuthKey(anAuthKey());
      await repo().deleteAuthKey(a.id);
      await repo().deleteAuthKey(a.id);
      expect(await repo().listAuthKeys()).toEqual([b]);
    });
  });
});
