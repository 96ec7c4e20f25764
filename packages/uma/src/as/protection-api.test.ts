import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { idTokenParams, startUmaFixture, tokenRequest, umaTicketParams, type UmaFixture } from '../test-support/uma-fixture.js';
import { addClient } from './admin.js';

interface Res {
  status: number;
  headers: Headers;
  body: unknown;
}

describe('protection API (PAT, resource registration, permissions, introspection, policies)', () => {
  let f: UmaFixture;
  let pat: string;
  const call = async (method: string, path: string, body?: unknown, token: string | null = pat): Promise<Res> => {
    const headers: Record<string, string> = {};
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = typeof body === 'string' ? 'application/x-www-form-urlencoded' : 'application/json';
    const r = await fetch(`${f.issuer}${path}`, { method, headers, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
    const text = await r.text();
    return { status: r.status, headers: r.headers, body: text === '' ? undefined : JSON.parse(text) as unknown };
  };

  beforeEach(async () => {
    f = await startUmaFixture();
    pat = await f.rs.pat();
  });
  afterEach(async () => f.close());

  it('publishes the discovery document with the UMA and OAuth fields', async () => {
    const d = (await call('GET', '/.well-known/uma2-configuration')).body as Record<string, unknown>;
    expect(d).toMatchObject({
      issuer: f.issuer, token_endpoint: `${f.issuer}/token`, jwks_uri: `${f.issuer}/jwks`, introspection_endpoint: `${f.issuer}/introspect`,
      resource_registration_endpoint: `${f.issuer}/rreg`, permission_endpoint: `${f.issuer}/perm`, claims_interaction_endpoint: `${f.issuer}/claims`,
    });
    expect(d.grant_types_supported).toEqual(expect.arrayContaining(['urn:ietf:params:oauth:grant-type:uma-ticket', 'client_credentials']));
    expect(d.claim_token_profiles_supported).toEqual(expect.arrayContaining(['http://openid.net/specs/openid-connect-core-1_0.html#IDToken']));
  });

  it('every protection endpoint answers 401 without a PAT or with a bad one', async () => {
    for (const [method, path] of [['POST', '/rreg'], ['GET', '/rreg'], ['GET', '/rreg/x'], ['PUT', '/rreg/x'], ['DELETE', '/rreg/x'], ['POST', '/perm'], ['POST', '/introspect'], ['GET', '/policy/x'], ['PUT', '/policy/x'], ['GET', '/requests'], ['POST', '/requests/x/approve']] as const) {
      const none = await call(method, path, undefined, null);
      expect(none.status, `${method} ${path}`).toBe(401);
      expect(none.headers.get('www-authenticate')).toContain('Bearer');
      const bad = await call(method, path, undefined, 'forged-pat');
      expect(bad.status).toBe(401);
      expect(bad.body).toMatchObject({ error: 'invalid_token' });
    }
    f.clock.advance(3_601_000);
    expect((await call('GET', '/rreg')).status).toBe(401);
  });

  it('resource registration: create 201, read 200, update 200, list, delete 204, then 404s', async () => {
    const created = await call('POST', '/rreg', { name: 'event', type: 'misp-event', icon_uri: 'https://x/i.png', description: 'd', resource_scopes: ['read', 'read', 'write'], extra: 1 });
    expect(created.status).toBe(201);
    const { _id: id, user_access_policy_uri: policyUri } = created.body as { _id: string; user_access_policy_uri: string };
    expect(created.headers.get('location')).toBe(`${f.issuer}/rreg/${id}`);
    expect(policyUri).toBe(`${f.issuer}/policy/${id}`);
    expect((await call('GET', `/rreg/${id}`)).body).toEqual({ _id: id, name: 'event', type: 'misp-event', icon_uri: 'https://x/i.png', description: 'd', resource_scopes: ['read', 'write'], user_access_policy_uri: policyUri });
    expect(await call('PUT', `/rreg/${id}`, { name: 'renamed', resource_scopes: ['read'] })).toMatchObject({ status: 200, body: { _id: id } });
    expect((await call('GET', `/rreg/${id}`)).body).toMatchObject({ name: 'renamed', resource_scopes: ['read'] });
    expect((await call('GET', '/rreg')).body).toEqual([id]);
    expect((await call('DELETE', `/rreg/${id}`)).status).toBe(204);
    for (const method of ['GET', 'DELETE'] as const) expect((await call(method, `/rreg/${id}`)).status).toBe(404);
    expect((await call('PUT', `/rreg/${id}`, { resource_scopes: ['read'] })).status).toBe(404);
    expect((await call('GET', '/rreg')).body).toEqual([]);
  });

  it('bad resource descriptions → 400 invalid_request, nothing stored', async () => {
    for (const body of [{}, { resource_scopes: 'read' }, { resource_scopes: [''] }, { resource_scopes: ['read'], name: 5 }, [1]]) {
      expect(await call('POST', '/rreg', body)).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    }
    expect((await call('GET', '/rreg')).body).toEqual([]);
  });

  it("another owner's RS sees 404 for our resources and cannot ask tickets for them", async () => {
    const { _id: id } = await f.rs.registerResource({ resource_scopes: ['read'] });
    const other = addClient(f.store, { name: 'mallory RS', owner: 'mallory', clientId: 'rs-2' });
    const token = (await tokenRequest(f, { grant_type: 'client_credentials', scope: 'uma_protection' }, { id: 'rs-2', secret: other.clientSecret.reveal() })).body.access_token as string;
    expect((await call('GET', `/rreg/${id}`, undefined, token)).status).toBe(404);
    expect((await call('DELETE', `/rreg/${id}`, undefined, token)).status).toBe(404);
    expect((await call('GET', `/policy/${id}`, undefined, token)).status).toBe(404);
    expect((await call('POST', '/perm', { resource_id: id, resource_scopes: ['read'] }, token)).body).toMatchObject({ error: 'invalid_resource_id' });
  });

  it('permission endpoint: 201 ticket; invalid_resource_id, invalid_scope, malformed → 400', async () => {
    const { _id: id } = await f.rs.registerResource({ resource_scopes: ['read'] });
    const ok = await call('POST', '/perm', [{ resource_id: id, resource_scopes: ['read'] }]);
    expect(ok.status).toBe(201);
    expect((ok.body as { ticket: string }).ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await call('POST', '/perm', { resource_id: 'nope', resource_scopes: ['read'] })).body).toMatchObject({ error: 'invalid_resource_id' });
    expect((await call('POST', '/perm', { resource_id: id, resource_scopes: ['admin'] })).body).toMatchObject({ error: 'invalid_scope' });
    expect((await call('POST', '/perm', [])).body).toMatchObject({ error: 'invalid_request' });
    expect((await call('POST', '/perm', { resource_scopes: ['read'] })).status).toBe(400);
  });

  it('introspection: active with permissions for a valid RPT; inactive when garbage, expired or for another RS', async () => {
    const { _id: id } = await f.rs.registerResource({ resource_scopes: ['read'] });
    await f.rs.setPolicy(id, { rules: [{ scopes: ['read'], allow: [{ org: '*' }] }] });
    const rpt = String((await tokenRequest(f, umaTicketParams(await f.rs.createTicket(id, ['read']), idTokenParams(await f.idToken({ sub: 'z', org: 'ANY' }))))).body.access_token);
    const active = await f.rs.introspect(rpt);
    expect(active).toMatchObject({ active: true, token_type: 'requesting_party_token', client_id: f.app.clientId, sub: 'z', permissions: [{ resource_id: id, resource_scopes: ['read'] }] });
    expect(await f.rs.introspect('garbage')).toEqual({ active: false });
    const other = addClient(f.store, { name: 'other RS', owner: 'bob', clientId: 'rs-3' });
    const token = (await tokenRequest(f, { grant_type: 'client_credentials', scope: 'uma_protection' }, { id: 'rs-3', secret: other.clientSecret.reveal() })).body.access_token as string;
    expect((await call('POST', '/introspect', new URLSearchParams({ token: rpt }).toString(), token)).body).toEqual({ active: false });
    expect((await call('POST', '/introspect', 'token=')).body).toMatchObject({ error: 'invalid_request' });
    f.clock.advance(301_000);
    expect((await f.rs.introspect(rpt)).active).toBe(false);
  });

  it('policy API: validation errors leave the old policy in place; unknown scopes → invalid_scope', async () => {
    const { _id: id } = await f.rs.registerResource({ resource_scopes: ['read'] });
    expect((await call('GET', `/policy/${id}`)).body).toEqual({ rules: [] });
    const good = { rules: [{ scopes: ['read'], allow: [{ org: 'ACME' }] }] };
    expect((await call('PUT', `/policy/${id}`, good)).status).toBe(200);
    for (const bad of [{}, { rules: [{ scopes: [], allow: [{ org: 'A' }] }] }, { rules: [{ scopes: ['read'], allow: [] }] }, { rules: [{ scopes: ['read'], allow: [{ 'bad name': 'x' }] }] }, { rules: [{ scopes: ['read'], allow: [{ org: 'A' }], approval: 'maybe' }] }]) {
      expect((await call('PUT', `/policy/${id}`, bad)).body).toMatchObject({ error: 'invalid_request' });
    }
    expect((await call('PUT', `/policy/${id}`, { rules: [{ scopes: ['write'], allow: [{ org: 'A' }] }] })).body).toMatchObject({ error: 'invalid_scope' });
    expect((await call('GET', `/policy/${id}`)).body).toEqual(good);
    expect((await call('PUT', '/policy/nope', good)).status).toBe(404);
    expect((await call('DELETE', `/policy/${id}`)).status).toBe(204);
    expect((await call('GET', `/policy/${id}`)).body).toEqual({ rules: [] });
    expect((await call('POST', '/requests/nope/approve')).status).toBe(404);
    expect((await call('POST', '/requests/nope/maybe')).status).toBe(404);
  });
});
