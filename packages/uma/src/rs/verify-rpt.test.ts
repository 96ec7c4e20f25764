import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeProtectedHeader } from 'jose';
import { addClient } from '../as/admin.js';
import { freePort, idTokenParams, startUmaFixture, tokenRequest, umaTicketParams, type UmaFixture } from '../test-support/uma-fixture.js';
import { createJwksCache } from './jwks-cache.js';
import { createResourceServerClient } from './resource-server-client.js';
import { enforceUma } from './enforce-uma.js';
import { verifyRptLocally } from './verify-rpt.js';

describe('RS: local RPT verification, JWKS cache and enforcement', () => {
  let f: UmaFixture;
  let read: string;
  let other: string;
  const rptFor = async (fx: UmaFixture, resourceId: string): Promise<string> =>
    String((await tokenRequest(fx, umaTicketParams(await fx.rs.createTicket(resourceId, ['read']), idTokenParams(await fx.idToken({ sub: 'bob', org: 'ACME' }))))).body.access_token);

  beforeEach(async () => {
    f = await startUmaFixture();
    for (const name of ['a', 'b']) {
      const { _id } = await f.rs.registerResource({ name, resource_scopes: ['read', 'write'] });
      await f.rs.setPolicy(_id, { rules: [{ scopes: ['read'], allow: [{ org: 'ACME' }] }] });
      if (name === 'a') read = _id;
      else other = _id;
    }
  });
  afterEach(async () => f.close());

  it('accepts the right resource and scope, and rejects wrong resource, wrong scope, expiry, tampering and garbage', async () => {
    const rpt = await rptFor(f, read);
    expect(await f.rs.verifyRpt(rpt, read, 'read')).toMatchObject({ ok: true, subject: 'bob', clientId: f.app.clientId, claims: { org: 'ACME' } });
    expect(await f.rs.verifyRpt(rpt)).toMatchObject({ ok: true });
    expect(await f.rs.verifyRpt(rpt, other, 'read')).toMatchObject({ ok: false, reason: 'insufficient_permission' });
    expect(await f.rs.verifyRpt(rpt, read, 'write')).toMatchObject({ ok: false, reason: 'insufficient_permission' });
    const [h, p, s] = rpt.split('.') as [string, string, string];
    const flipped = `${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`;
    expect(await f.rs.verifyRpt(`${h}.${p}.${flipped}`, read, 'read')).toMatchObject({ ok: false, reason: 'bad_signature' });
    const widened = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), permissions: [{ resource_id: other, resource_scopes: ['write'] }] })).toString('base64url');
    expect(await f.rs.verifyRpt(`${h}.${widened}.${s}`, other, 'write')).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(await f.rs.verifyRpt('not-a-token', read, 'read')).toMatchObject({ ok: false, reason: 'malformed' });
    f.clock.advance(301_000);
    expect(await f.rs.verifyRpt(rpt, read, 'read')).toMatchObject({ ok: false, reason: 'expired' });
  });

  it("rejects another AS's RPTs (unknown key; wrong issuer even with that AS's key) and RPTs for another RS", async () => {
    const g = await startUmaFixture();
    try {
      const { _id } = await g.rs.registerResource({ resource_scopes: ['read'] });
      await g.rs.setPolicy(_id, { rules: [{ scopes: ['read'], allow: [{ org: 'ACME' }] }] });
      const foreign = await rptFor(g, _id);
      expect(await f.rs.verifyRpt(foreign, _id, 'read')).toMatchObject({ ok: false, reason: 'unknown_key' });
      const gKeys = createJwksCache({ jwksUri: () => Promise.resolve(`${g.issuer}/jwks`), fetch: (u, i) => fetch(u, i), now: g.clock.now, refreshCooldownMs: 0 });
      expect(await verifyRptLocally(foreign, { issuer: f.issuer, audience: 'rs-1', keyFor: gKeys.keyFor, now: g.clock.now })).toMatchObject({ ok: false, reason: 'wrong_issuer' });
    } finally {
      await g.close();
    }
    const creds = addClient(f.store, { name: 'second RS', owner: 'alice', clientId: 'rs-2' });
    const rs2 = createResourceServerClient({ asUri: f.issuer, clientId: 'rs-2', clientSecret: creds.clientSecret, now: f.clock.now });
    expect(await rs2.verifyRpt(await rptFor(f, read), read, 'read')).toMatchObject({ ok: false, reason: 'wrong_audience' });
  });

  it('JWKS rotation: new kid fetched on demand, old RPTs still verify until the retired key expires', async () => {
    const before = await rptFor(f, read);
    expect((await f.rs.verifyRpt(before, read, 'read')).ok).toBe(true);
    const slow = createResourceServerClient({ asUri: f.issuer, clientId: 'rs-1', clientSecret: f.rsSecret, now: f.clock.now, jwksRefreshCooldownMs: 60_000 });
    expect((await slow.verifyRpt(before, read, 'read')).ok).toBe(true);

    const kid = await f.as.keys.rotate();
    const after = await rptFor(f, read);
    expect(decodeProtectedHeader(after).kid).toBe(kid);
    expect(decodeProtectedHeader(before).kid).not.toBe(kid);
    expect((await (await fetch(`${f.issuer}/jwks`)).json() as { keys: unknown[] }).keys).toHaveLength(2);
    expect(await f.rs.verifyRpt(after, read, 'read')).toMatchObject({ ok: true });
    expect(await f.rs.verifyRpt(before, read, 'read')).toMatchObject({ ok: true });
    expect(await slow.verifyRpt(after, read, 'read')).toMatchObject({ ok: false, reason: 'unknown_key' });
    f.clock.advance(61_000);
    expect(await slow.verifyRpt(after, read, 'read')).toMatchObject({ ok: true });

    f.clock.advance(300_000);
    const published = (await (await fetch(`${f.issuer}/jwks`)).json() as { keys: { kid: string }[] }).keys;
    expect(published.map((k) => k.kid)).toEqual([kid]);
  });

  it('enforceUma: no RPT → 401 + ticket; bad RPT → 401 + reason; valid → allow; unknown resource → 403; AS down → 403 + Warning', async () => {
    const guard = enforceUma({ rs: f.rs, realm: 'waggle', resourceIdFor: (r: { headers: Record<string, string>; id: string }) => (r.id === 'a' ? read : undefined), scopeFor: () => 'read' });
    const none = await guard({ headers: {}, id: 'a' });
    expect(none).toMatchObject({ allow: false, status: 401 });
    if (none.allow) throw new Error('unreachable');
    expect(none.headers['www-authenticate']).toMatch(new RegExp(`^UMA realm="waggle", as_uri="${f.issuer}", ticket="[A-Za-z0-9_-]+"$`));
    const bad = await guard({ headers: { authorization: 'Bearer x.y.z' }, id: 'a' });
    expect(bad).toMatchObject({ allow: false, status: 401, reason: 'malformed', body: { error: 'invalid_rpt' } });
    const good = await guard({ headers: { authorization: `Bearer ${await rptFor(f, read)}` }, id: 'a' });
    expect(good).toMatchObject({ allow: true, subject: 'bob' });
    expect(await guard({ headers: {}, id: 'zzz' })).toMatchObject({ allow: false, status: 403 });

    const down = createResourceServerClient({ asUri: `http://127.0.0.1:${await freePort()}`, clientId: 'rs-1', clientSecret: f.rsSecret });
    const offline = await enforceUma({ rs: down, realm: 'waggle', resourceIdFor: () => read, scopeFor: () => 'read' })({ headers: {} });
    expect(offline).toMatchObject({ allow: false, status: 403, headers: { warning: '199 - "UMA Authorization Server Unreachable"' } });
  });

  it('a removed RS client loses the protection API (after one PAT retry); a re-registered one works', async () => {
    const { _id } = await f.rs.registerResource({ resource_scopes: ['read'] });
    f.store.removeClient('rs-1');
    const creds = addClient(f.store, { name: 'waggle RS', owner: 'alice', clientId: 'rs-1' });
    const again = createResourceServerClient({ asUri: f.issuer, clientId: 'rs-1', clientSecret: creds.clientSecret, now: f.clock.now });
    await expect(again.getResource(_id)).resolves.toMatchObject({ _id });
    await expect(f.rs.listResources()).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(() => createResourceServerClient({ clientId: 'x', clientSecret: 'y' })).toThrow(/asUri/);
  });
});
