import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Secret } from '@waggle/errors';
import { addClient, addUser, listClients, removeClient, removeUser } from '../admin.js';
import { createKeyRing } from '../keys/key-ring.js';
import { openSqliteUmaStore } from './sqlite-store.js';

describe('SQLite UMA store', () => {
  const dirs: string[] = [];
  const file = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'uma-store-'));
    dirs.push(dir);
    return join(dir, 'uma.db');
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('keeps clients, users and signing keys across reopen; secrets only as hashes', async () => {
    const path = file();
    const store = openSqliteUmaStore(path);
    const { clientId, clientSecret } = addClient(store, { name: 'rs', owner: 'alice' });
    addUser(store, { username: 'carol', password: new Secret('long-password'), claims: { org: 'ACME' } });
    const kid = (await createKeyRing({ store, now: Date.now, maxTokenLifetimeMs: 1000 }).active()).kid;
    store.close();

    const again = openSqliteUmaStore(path);
    expect(listClients(again)).toMatchObject([{ clientId, name: 'rs', owner: 'alice' }]);
    expect(JSON.stringify(again.listClients())).not.toContain(clientSecret.reveal());
    expect(again.getUser('carol')?.passwordHash).toMatch(/^scrypt\$/);
    expect((await createKeyRing({ store: again, now: Date.now, maxTokenLifetimeMs: 1000 }).active()).kid).toBe(kid);
    again.close();
  });

  it('redeems a ticket once', () => {
    const store = openSqliteUmaStore(':memory:');
    store.addTicket({ ticketHash: 'h', permissions: [{ resource_id: 'r', resource_scopes: ['read'] }], claims: null, expiresAt: 1 });
    expect(store.takeTicket('h')?.permissions).toEqual([{ resource_id: 'r', resource_scopes: ['read'] }]);
    expect(store.takeTicket('h')).toBeUndefined();
    store.close();
  });

  it('purges expired tickets, PATs and PCTs only', () => {
    const store = openSqliteUmaStore(':memory:');
    addClient(store, { name: 'rs', owner: 'alice', clientId: 'rs' });
    for (const [hash, exp] of [['old', 10], ['new', 30]] as const) {
      store.addTicket({ ticketHash: hash, permissions: [], claims: null, expiresAt: exp });
      store.addPat({ tokenHash: hash, clientId: 'rs', owner: 'alice', expiresAt: exp });
      store.addPct({ pctHash: hash, clientId: 'rs', claims: {}, expiresAt: exp });
    }
    expect(store.purgeExpired(20)).toBe(3);
    expect(store.getPat('old')).toBeUndefined();
    expect(store.getPct('old')).toBeUndefined();
    expect(store.getPat('new')).toBeDefined();
    expect(store.getPct('new')).toBeDefined();
    expect(store.takeTicket('new')).toBeDefined();
    store.close();
  });

  it('refuses bad admin input without writing anything', () => {
    const store = openSqliteUmaStore(':memory:');
    expect(() => addClient(store, { name: ' ' })).toThrow(/name/);
    expect(() => addClient(store, { name: 'x', clientId: 'bad id' })).toThrow(/client ids/);
    expect(() => addClient(store, { name: 'x', redirectUris: ['http://evil.example/cb'] })).toThrow(/https/);
    expect(() => addClient(store, { name: 'x', redirectUris: ['not a url'] })).toThrow(/not a URL/);
    addClient(store, { name: 'x', clientId: 'dup' });
    expect(() => addClient(store, { name: 'y', clientId: 'dup' })).toThrow(expect.objectContaining({ code: 'conflict' }) as Error);
    expect(() => addUser(store, { username: 'u', password: new Secret('short') })).toThrow(/8 characters/);
    expect(() => addUser(store, { username: 'a b', password: new Secret('long-enough') })).toThrow(/user names/);
    expect(listClients(store).map((c) => c.clientId)).toEqual(['dup']);
    expect(store.listUsers()).toEqual([]);
    expect(() => removeClient(store, 'nope')).toThrow(expect.objectContaining({ code: 'not_found' }) as Error);
    expect(() => removeUser(store, 'nope')).toThrow(expect.objectContaining({ code: 'not_found' }) as Error);
    store.close();
  });
});
