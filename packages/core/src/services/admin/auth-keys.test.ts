import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlStore } from '@waggle/store';
import { AuthenticationError, ForbiddenError, InputError, NotFoundError } from '@waggle/errors';
import { adminFixture, ROLE, type AdminFixture } from './test-support/admin-fixture.js';
import { openTestStore } from './test-support/open-test-store.js';
import { parseAuthKeyInput } from './auth-key-input.js';

describe('auth key service', () => {
  let f: AdminFixture;
  let close: () => Promise<void>;
  let acme: number;

  beforeEach(async () => {
    const t = await openTestStore(openSqlStore);
    close = t.close;
    f = await adminFixture(t.store);
    acme = await f.org('ACME');
  });
  afterEach(async () => close());

  it('creates a key for "me" that works at once and shows its raw value only once', async () => {
    const joe = await f.user('joe@acme.test', acme);
    const r = await f.services.authKeys.add(joe.principal, 'me', parseAuthKeyInput({}));
    const k = r.AuthKey as Record<string, unknown>;
    expect(k).toMatchObject({ user_id: String(joe.id), expiration: '0', read_only: false, allowed_ips: null, unique_ips: [] });
    expect(k.authkey_raw).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(k).not.toHaveProperty('authkey_hash');
    expect((await f.login(k.authkey_raw as string)).user.id).toBe(joe.id);
    const viewed = await f.services.authKeys.view(joe.principal, String(k.id));
    expect(viewed.AuthKey).not.toHaveProperty('authkey_raw');
    expect(viewed.User).toMatchObject({ email: 'joe@acme.test' });
  });

  it('revokes a key: it stops working after the cache is invalidated', async () => {
    const joe = await f.user('joe@acme.test', acme);
    const [first] = await f.services.authKeys.list(joe.principal);
    await f.services.authKeys.delete(joe.principal, (first?.AuthKey as Record<string, string>).id as string);
    await expect(f.login(joe.key)).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('lets org admins manage keys of their own org only; site admins all', async () => {
    const other = await f.org('Other');
    const boss = await f.user('boss@acme.test', acme, ROLE.orgAdmin);
    const joe = await f.user('joe@acme.test', acme);
    const stranger = await f.user('x@other.test', other);
    expect((await f.services.authKeys.add(boss.principal, joe.id)).AuthKey).toMatchObject({ user_id: String(joe.id) });
    await expect(f.services.authKeys.add(boss.principal, stranger.id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(f.services.authKeys.add(joe.principal, boss.id)).rejects.toBeInstanceOf(ForbiddenError);
    const strangerKey = (await f.services.authKeys.list(stranger.principal))[0]?.AuthKey as Record<string, string>;
    await expect(f.services.authKeys.view(boss.principal, strangerKey.id as string)).rejects.toBeInstanceOf(NotFoundError);
    await expect(f.services.authKeys.delete(joe.principal, strangerKey.id as string)).rejects.toBeInstanceOf(NotFoundError);
    const bossList = await f.services.authKeys.list(boss.principal);
    expect(new Set(bossList.map((r) => (r.User as Record<string, string>).email))).toEqual(new Set(['boss@acme.test', 'joe@acme.test']));
    expect(await f.services.authKeys.list(f.admin)).toHaveLength(5);
    expect(await f.services.authKeys.list(f.admin, { userId: joe.id })).toHaveLength(2);
  });

  it('honours read-only, expiry and allowed addresses', async () => {
    const joe = await f.user('joe@acme.test', acme);
    const ro = (await f.services.authKeys.add(joe.principal, 'me', parseAuthKeyInput({ read_only: 1, comment: 'ro', allowed_ips: '10.0.0.1, 10.0.0.2' }))).AuthKey as Record<string, unknown>;
    expect(ro).toMatchObject({ read_only: true, comment: 'ro', allowed_ips: ['10.0.0.1', '10.0.0.2'] });
    await expect(f.login(ro.authkey_raw as string)).rejects.toBeInstanceOf(AuthenticationError);
    const p = await f.login(ro.authkey_raw as string, '10.0.0.2');
    expect(p.readOnly).toBe(true);
    await expect(f.services.authKeys.add(p, 'me')).rejects.toBeInstanceOf(ForbiddenError);
    expect(() => parseAuthKeyInput({ allowed_ips: ['nope'] })).toThrow(InputError);
    expect(() => parseAuthKeyInput({ allowed_ips: ['10.0.0.0/33'] })).toThrow(/not an IP address or CIDR block/);
    expect(parseAuthKeyInput({ AuthKey: { expiration: '2030-01-01' } }).expiration).toBe(1_893_456_000);
  });

  it('takes CIDR blocks in allowed_ips, as MISP does, and IPv4 addresses reported in IPv6 form', async () => {
    const ann = await f.user('ann@acme.test', acme);
    const k = (await f.services.authKeys.add(ann.principal, 'me', parseAuthKeyInput({ allowed_ips: ['192.0.2.0/24', '2001:db8::/48', '198.51.100.7'] }))).AuthKey as Record<string, unknown>;
    expect(k.allowed_ips).toEqual(['192.0.2.0/24', '2001:db8::/48', '198.51.100.7']);
    const raw = k.authkey_raw as string;
    for (const ip of ['192.0.2.1', '192.0.2.255', '::ffff:192.0.2.9', '2001:db8:0:ffff::1', '198.51.100.7']) {
      expect((await f.login(raw, ip)).user.id, ip).toBe(ann.id);
    }
    for (const ip of ['192.0.3.1', '198.51.100.8', '2001:db8:1::1', '::1', 'not-an-ip']) {
      await expect(f.login(raw, ip), ip).rejects.toBeInstanceOf(AuthenticationError);
    }
  });
});
