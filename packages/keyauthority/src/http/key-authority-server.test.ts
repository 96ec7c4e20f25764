import { chmodSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError, ForbiddenError, InputError, Secret } from '@waggle/errors';
import { createEnvelopes, fameCodec, systemRandom, type MasterKeyJson } from '@waggle/abe';
import { AUTHORITY_FILES, openAuthorityDir } from '../authority/authority-dir.js';
import type { IssuedKey } from '../authority/issued-key.js';
import { assertNotExpired } from '../client/issued-key-file.js';
import { fetchEpoch, fetchPublicParams, requestKey } from '../client/key-client.js';
import { withEpoch } from '../epoch/epoch.js';
import { startAuthorityFixture, type AuthorityFixture } from '../test-support/authority-fixture.js';

let fx: AuthorityFixture;
const responses: string[] = [];

async function http(method: string, path: string, o: { token?: string; body?: unknown; raw?: string } = {}): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${fx.url}${path}`, {
    method,
    headers: { ...(o.token === undefined ? {} : { authorization: `Bearer ${o.token}` }), ...(o.body === undefined && o.raw === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(o.body === undefined && o.raw === undefined ? {} : { body: o.raw ?? JSON.stringify(o.body) }),
  });
  const text = await res.text();
  responses.push(text, [...res.headers.values()].join('\n'));
  return { status: res.status, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>), headers: res.headers };
}

const idToken = (claims: Record<string, unknown>, o: { expiresIn?: number; audience?: string } = {}): Promise<string> => fx.issuer.token(claims, { now: fx.now, ...o });
const alice = { sub: 'alice', org: 'acme', email: 'alice@acme.example', roles: ['cert'] };

async function fetchKey(claims: Record<string, unknown>, epoch?: string): Promise<IssuedKey> {
  const key = await requestKey({ authority: fx.url, credentials: { kind: 'bearer', token: await idToken(claims) }, ...(epoch === undefined ? {} : { epoch }) });
  responses.push(JSON.stringify(key));
  return key;
}

function canOpen(key: IssuedKey, policy: string): boolean {
  const codec = fameCodec(fx.fame.backend);
  const envelopes = createEnvelopes({ fame: fx.fame, random: systemRandom });
  const envelope = envelopes.seal({ publicKey: codec.decodePublicKey(fx.dir.publicParams), policy, plaintext: new TextEncoder().encode('198.51.100.7') });
  try {
    return new TextDecoder().decode(envelopes.open({ envelope, secretKey: codec.decodeSecretKey(key) }).plaintext) === '198.51.100.7';
  } catch (error) {
    if (error instanceof ForbiddenError) return false;
    throw error;
  }
}

const lastLog = async (): Promise<Record<string, unknown>> => {
  const { json } = await http('GET', '/admin/log', { token: fx.adminToken });
  return (json.entries as Record<string, unknown>[]).at(-1) ?? {};
};

beforeAll(async () => {
  fx = await startAuthorityFixture();
  expect((await http('PUT', '/admin/orgs/acme', { token: fx.adminToken, body: { attributes: ['sector:energy', 'country:BE'] } })).status).toBe(200);
});
afterAll(async () => fx.close());

describe('key authority over HTTP (OIDC mode)', () => {
  it('serves public parameters and the epoch', async () => {
    expect((await http('GET', '/public-params')).json).toMatchObject({ kind: 'public', scheme: 'FAME-CP-ABE/BLS12-381' });
    expect(await fetchPublicParams(fx.url)).toEqual(fx.dir.publicParams);
    expect((await fetchEpoch(`${fx.url}/`)).attribute).toBe('epoch:2026-12');
    await expect(fetchEpoch(`${fx.url}/nope`)).rejects.toThrow(/no route/);
    expect((await http('GET', '/epoch')).json).toEqual({ epoch: '2026-12', attribute: 'epoch:2026-12', starts_at: '2026-12-01T00:00:00.000Z', ends_at: '2027-01-01T00:00:00.000Z' });
  });

  it('issues a key from verified claims plus org attributes; it opens exactly the envelopes those attributes satisfy', async () => {
    const key = await fetchKey(alice);
    expect(key.attributes).toEqual(['country:BE', 'email:alice_40acme.example', 'epoch:2026-12', 'org:acme', 'role:cert', 'sector:energy', 'user:alice']);
    expect(key.issuance).toMatchObject({ subject: 'alice', org: 'acme', epoch: '2026-12', expires_at: '2027-01-01T00:00:00.000Z' });
    expect(canOpen(key, withEpoch('(sector:energy AND country:BE) OR role:CERT', 'epoch:2026-12'))).toBe(true);
    expect(canOpen(key, withEpoch('role:cert AND user:alice', 'epoch:2026-12'))).toBe(true);
    expect(canOpen(key, withEpoch('sector:finance OR role:CERT', 'epoch:2026-12'))).toBe(false);
    expect(canOpen(key, withEpoch('org:acme', 'epoch:2027-01'))).toBe(false);
    const bob = await fetchKey({ sub: 'bob', org: 'globex' });
    expect(bob.attributes).toEqual(['epoch:2026-12', 'org:globex', 'user:bob']);
    expect(canOpen(bob, withEpoch('sector:energy AND country:BE', 'epoch:2026-12'))).toBe(false);
    const entry = await lastLog();
    expect(entry).toMatchObject({ outcome: 'issued', sub: 'bob', org: 'globex', keyId: bob.issuance.key_id, epoch: '2026-12' });
  });

  it('refuses forged, unsigned, expired, foreign and HMAC tokens, and logs each refusal', async () => {
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'eve', iss: fx.issuer.issuer, exp: 2e9 })).toString('base64url')}.`;
    const hs = `${Buffer.from('{"alg":"HS256","kid":"test-1"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'eve', iss: fx.issuer.issuer, exp: 2e9 })).toString('base64url')}.c2lnbmF0dXJl`;
    const cases: [string, RegExp][] = [
      [await fx.issuer.forger({ sub: 'eve', org: 'acme' }, { now: fx.now }), /signature does not verify/],
      [unsigned, /token invalid|not allowed/],
      [hs, /algorithm not allowed/],
      [await idToken({ sub: 'eve' }, { expiresIn: -60 }), /expired/],
      [await idToken({ sub: 'eve' }, { audience: 'someone-else' }), /"aud"/],
      [await fx.issuer.token({ sub: 'eve' }, { now: fx.now, issuer: 'https://evil.example' }), /"iss"/],
      [await idToken({ org: 'acme' }), /"sub"/],
      ['not-a-jwt', /token invalid/],
    ];
    for (const [token, reason] of cases) {
      const res = await http('POST', '/keys', { token, body: {} });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="waggle-keyauthority"/);
      expect(res.json.message).toMatch(reason);
      expect(await lastLog()).toMatchObject({ outcome: 'refused', sub: null, keyId: null, reason: expect.stringMatching(reason) as unknown });
    }
    const none = await http('POST', '/keys', { body: {} });
    expect([none.status, none.json.error]).toEqual([401, 'unauthenticated']);
  });

  it('never lets the requester choose attributes', async () => {
    const token = await idToken({ sub: 'alice', org: 'acme' });
    for (const body of [{ attributes: ['role:admin'] }, { epoch: '2026-12', attribute: 'x' }, { sub: 'bob' }]) {
      const res = await http('POST', '/keys', { token, body });
      expect([res.status, res.json.error]).toEqual([400, 'invalid_input']);
      expect(res.json.message).toMatch(/attributes come only from verified claims/);
      expect(await lastLog()).toMatchObject({ outcome: 'refused', sub: 'alice', keyId: null });
    }
    for (const body of [{ epoch: '2027-01' }, { epoch: '2026-08' }, { epoch: 12 }, ['epoch']]) expect((await http('POST', '/keys', { token, body })).status).toBe(400);
    expect((await http('POST', '/keys', { token, raw: '{"epoch":' })).status).toBe(400);
  });

  it('applies admin org attributes and rejects bad admin input without changing anything', async () => {
    expect((await http('PUT', '/admin/orgs/acme', { body: { attributes: ['x:y'] } })).status).toBe(401);
    expect((await http('PUT', '/admin/orgs/acme', { token: 'wrong', body: { attributes: ['x:y'] } })).status).toBe(401);
    for (const attributes of [['role:admin'], ['bad value'], [], 'sector:energy']) {
      const res = await http('PUT', '/admin/orgs/acme', { token: fx.adminToken, body: { attributes } });
      expect([res.status, res.json.field]).toEqual([400, 'attributes']);
    }
    expect((await http('PUT', '/admin/orgs/a%01b', { token: fx.adminToken, body: { attributes: ['x:y'] } })).json.field).toBe('org');
    expect((await http('GET', '/admin/orgs', { token: fx.adminToken })).json.orgs).toEqual([expect.objectContaining({ org: 'acme', attributes: ['country:BE', 'sector:energy'] })]);
    await http('PUT', '/admin/orgs/initech', { token: fx.adminToken, body: { attributes: ['sector:finance'] } });
    expect((await fetchKey({ sub: 'peter', org: 'initech' })).attributes).toContain('sector:finance');
    expect((await http('DELETE', '/admin/orgs/initech', { token: fx.adminToken })).status).toBe(204);
    expect((await http('DELETE', '/admin/orgs/initech', { token: fx.adminToken })).status).toBe(404);
    expect((await fetchKey({ sub: 'peter', org: 'initech' })).attributes).not.toContain('sector:finance');
  });

  it('refuses revoked subjects and organisations and lists revocations publicly', async () => {
    expect((await http('POST', '/admin/revocations', { token: fx.adminToken, body: { kind: 'sub', value: 'mallory', reason: 'left' } })).json).toMatchObject({ kind: 'sub', value: 'mallory' });
    await http('POST', '/admin/revocations', { token: fx.adminToken, body: { kind: 'org', value: 'umbrella' } });
    for (const claims of [{ sub: 'mallory', org: 'acme' }, { sub: 'wesker', org: 'umbrella' }]) {
      await expect(fetchKey(claims)).rejects.toThrow(ForbiddenError);
      expect(await lastLog()).toMatchObject({ outcome: 'refused', sub: claims.sub, reason: expect.stringMatching(/revoked/) as unknown });
    }
    expect((await http('GET', '/revocations')).json.revocations).toEqual([
      expect.objectContaining({ kind: 'sub', value: 'mallory', reason: 'left' }), expect.objectContaining({ kind: 'org', value: 'umbrella', reason: null }),
    ]);
    for (const body of [{ kind: 'user', value: 'x' }, { kind: 'sub' }, { kind: 'sub', value: '' }]) expect((await http('POST', '/admin/revocations', { token: fx.adminToken, body })).status).toBe(400);
    expect((await http('GET', '/revocations')).json.revocations).toHaveLength(2);
  });

  it('rolls epochs over: old keys expire and cannot open data of the new epoch', async () => {
    fx.now = new Date('2026-12-31T23:00:00Z');
    const december = await fetchKey(alice);
    fx.now = new Date('2027-01-01T00:00:01Z');
    expect((await http('GET', '/epoch')).json.epoch).toBe('2027-01');
    const policy = withEpoch('role:cert', 'epoch:2027-01');
    expect(canOpen(december, policy)).toBe(false);
    expect(() => assertNotExpired(december, fx.now)).toThrow(/expired/);
    const january = await fetchKey(alice);
    expect(canOpen(january, policy)).toBe(true);
    const archive = await fetchKey(alice, '2026-12');
    expect(archive.issuance).toMatchObject({ epoch: '2026-12', expires_at: '2027-02-01T00:00:00.000Z' });
    expect(canOpen(archive, withEpoch('role:cert', 'epoch:2026-12'))).toBe(true);
    fx.now = new Date('2026-12-02T12:00:00Z');
  });

  it('keeps a hash-chained log that verifies and detects a modified row', async () => {
    const before = await http('GET', '/admin/log', { token: fx.adminToken });
    expect(before.json.chain).toMatchObject({ ok: true });
    expect((await http('GET', '/admin/log')).status).toBe(401);
    expect((await http('GET', '/admin/log?limit=0', { token: fx.adminToken })).status).toBe(400);
    const raw = new Database(join(fx.dir.dir, AUTHORITY_FILES.store));
    raw.prepare("UPDATE issuance_log SET attributes = '[\"role:admin\"]' WHERE seq = 2").run();
    raw.close();
    expect((await http('GET', '/admin/log', { token: fx.adminToken })).json.chain).toMatchObject({ ok: false, badSeq: 2 });
  });

  it('keeps the master secret in a 0600 file that no response or log row ever contains', async () => {
    const file = join(fx.dir.dir, AUTHORITY_FILES.master);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const master = JSON.parse(fx.dir.masterSecret.reveal()) as MasterKeyJson;
    const secrets = [master.a1, master.a2, master.b1, master.b2, master.gd1, master.gd2, master.gd3];
    const logs = JSON.stringify((await http('GET', '/admin/log', { token: fx.adminToken })).json) + fx.events.join('\n');
    const everything = responses.join('\n') + logs;
    expect(responses.length).toBeGreaterThan(40);
    for (const s of secrets) expect(everything.includes(s)).toBe(false);
    expect(String(fx.dir.masterSecret)).toBe('[redacted]');
    chmodSync(file, 0o644);
    try {
      expect(() => openAuthorityDir(fx.dir.dir)).toThrow(/chmod 600/);
    } finally {
      chmodSync(file, 0o600);
    }
  });

  it('answers unknown routes and client errors with clear errors', async () => {
    expect((await http('GET', '/nope')).status).toBe(404);
    await expect(requestKey({ authority: 'http://127.0.0.1:1', credentials: { kind: 'bearer', token: 't' } })).rejects.toThrow(/cannot reach/);
    await expect(requestKey({ authority: fx.url, credentials: { kind: 'bearer', token: 'x' } })).rejects.toThrow(AuthenticationError);
    await expect(requestKey({ authority: fx.url, credentials: { kind: 'bearer', token: await idToken(alice) }, epoch: 'soon' })).rejects.toThrow(InputError);
    await expect(requestKey({ authority: fx.url, credentials: { kind: 'uma', claimToken: 'x', clientId: 'app', clientSecret: new Secret('s') } })).rejects.toThrow(/UMA mode/);
  });
});
