import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlStore } from '@waggle/store';
import { InputError } from '@waggle/errors';
import type { Store } from '../../ports/store.js';
import { createAuthService } from '../auth.js';
import { bootstrapAdmin, ensureDefaults } from '../bootstrap.js';
import { openTestStore } from './test-support/open-test-store.js';

describe('bootstrap', () => {
  let store: Store;
  let close: () => Promise<void>;
  const clock = { now: () => 1_700_000_000 };
  let n = 0;
  const ids = { uuid: () => `00000000-0000-4000-8000-${String((n += 1)).padStart(12, '0')}` };

  beforeEach(async () => {
    ({ store, close } = await openTestStore(openSqlStore));
  });
  afterEach(async () => close());

  it('creates the six default roles once', async () => {
    expect(await ensureDefaults({ store, clock })).toBe(6);
    expect(await ensureDefaults({ store, clock })).toBe(0);
    const roles = await store.read((r) => r.listRoles());
    expect(roles.map((r) => `${r.id}:${r.name}`)).toEqual(['1:admin', '2:Org Admin', '3:User', '4:Publisher', '5:Sync user', '6:Read Only']);
    expect(roles.filter((r) => r.default_role).map((r) => r.id)).toEqual([3]);
  });

  it('creates the host org, a site admin and the given key, idempotently', async () => {
    const key = 'A'.repeat(20) + 'b'.repeat(20);
    const first = await bootstrapAdmin({ store, clock, ids }, { orgName: 'Host', email: 'admin@host.test', authKey: key });
    expect(first).toMatchObject({ created: true, authKey: key, org: { name: 'Host', local: true }, user: { email: 'admin@host.test', role_id: 1 } });
    const p = await createAuthService({ store, clock }).authenticate(key, '127.0.0.1');
    expect(p.role.perm_site_admin).toBe(true);
    const again = await bootstrapAdmin({ store, clock, ids }, { orgName: 'Other', email: 'other@host.test' });
    expect(again.created).toBe(false);
    expect(again.user.email).toBe('admin@host.test');
    expect(again).not.toHaveProperty('authKey');
    expect(await store.read((r) => r.listUsers())).toHaveLength(1);
  });

  it('generates a key when none is given and rejects a malformed one', async () => {
    await expect(bootstrapAdmin({ store, clock, ids }, { orgName: 'Host', email: 'a@h.test', authKey: 'short' })).rejects.toBeInstanceOf(InputError);
    expect(await store.read((r) => r.listUsers())).toEqual([]);
    const r = await bootstrapAdmin({ store, clock, ids }, { orgName: 'Host', email: 'a@h.test' });
    expect(r.authKey).toMatch(/^[A-Za-z0-9]{40}$/);
  });
});
