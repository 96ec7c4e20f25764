import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateKeyPair, SignJWT } from 'jose';
import { createTestIdp, idTokenParams, startUmaFixture, tokenRequest, umaTicketParams, type UmaFixture } from '../test-support/uma-fixture.js';

describe('token endpoint errors (UMA grant and client credentials)', () => {
  let f: UmaFixture;
  let resourceId: string;
  const ticket = (scopes: string[] = ['read']): Promise<string> => f.rs.createTicket(resourceId, scopes);

  beforeEach(async () => {
    f = await startUmaFixture();
    ({ _id: resourceId } = await f.rs.registerResource({ name: 'r', resource_scopes: ['read', 'write', 'share'] }));
    await f.rs.setPolicy(resourceId, { rules: [{ scopes: ['read', 'share'], allow: [{ org: 'ACME' }, { sector: 'energy', role: 'CERT' }] }] });
  });
  afterEach(async () => f.close());

  it('missing, unknown, reused and expired tickets → invalid_grant', async () => {
    expect((await tokenRequest(f, { grant_type: 'urn:ietf:params:oauth:grant-type:uma-ticket' })).body.error).toBe('invalid_grant');
    expect((await tokenRequest(f, umaTicketParams('no-such-ticket'))).body.error).toBe('invalid_grant');
    const t = await ticket();
    const token = idTokenParams(await f.idToken({ sub: 'x', org: 'ACME' }));
    expect((await tokenRequest(f, umaTicketParams(t, token))).status).toBe(200);
    expect(await tokenRequest(f, umaTicketParams(t, token))).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const old = await ticket();
    f.clock.advance(301_000);
    expect((await tokenRequest(f, umaTicketParams(old, idTokenParams(await f.idToken({ sub: 'x', org: 'ACME' }))))).body.error).toBe('invalid_grant');
  });

  it('need_info rotates the ticket: the old one is rejected, the new one works', async () => {
    const t = await ticket();
    const info = await tokenRequest(f, umaTicketParams(t));
    expect(info.status).toBe(403);
    expect(info.body.error).toBe('need_info');
    expect((info.body.required_claims as { name: string }[]).map((c) => c.name)).toEqual(['org', 'role', 'sector']);
    expect((await tokenRequest(f, umaTicketParams(t, idTokenParams(await f.idToken({ sub: 'x', org: 'ACME' }))))).body.error).toBe('invalid_grant');
    const ok = await tokenRequest(f, umaTicketParams(String(info.body.ticket), idTokenParams(await f.idToken({ sub: 'x', org: 'ACME' }))));
    expect(ok.status).toBe(200);
  });

  it('need_info does not offer redirect_user when interactive gathering is off', async () => {
    await f.close();
    f = await startUmaFixture({ claimsInteraction: false });
    ({ _id: resourceId } = await f.rs.registerResource({ resource_scopes: ['read'] }));
    await f.rs.setPolicy(resourceId, { rules: [{ scopes: ['read'], allow: [{ org: 'ACME' }] }] });
    const info = await tokenRequest(f, umaTicketParams(await ticket()));
    expect(info.body.error).toBe('need_info');
    expect(info.body.redirect_user).toBeUndefined();
  });

  it('claims that match no rule → request_denied (no ticket); no policy at all → request_denied', async () => {
    const denied = await tokenRequest(f, umaTicketParams(await ticket(), idTokenParams(await f.idToken({ sub: 'x', org: 'EVIL', sector: 'finance', role: 'CERT' }))));
    expect(denied).toMatchObject({ status: 403, body: { error: 'request_denied' } });
    expect(denied.body.ticket).toBeUndefined();
    const write = await tokenRequest(f, umaTicketParams(await ticket(['write']), idTokenParams(await f.idToken({ sub: 'x', org: 'ACME' }))));
    expect(write.body.error).toBe('request_denied');
    const noScope = await tokenRequest(f, umaTicketParams(await ticket([]), idTokenParams(await f.idToken({ sub: 'x', org: 'ACME' }))));
    expect(noScope.body.error).toBe('request_denied');
  });

  it('scope parameter: an unregistered scope → invalid_scope; a registered one is added to the RPT', async () => {
    expect(await tokenRequest(f, umaTicketParams(await ticket(), { scope: 'delete' }))).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
    const ok = await tokenRequest(f, umaTicketParams(await ticket(), { scope: 'share', ...idTokenParams(await f.idToken({ sub: 'x', org: 'ACME' })) }));
    expect(ok.status).toBe(200);
    expect(await f.rs.verifyRpt(String(ok.body.access_token), resourceId, 'share')).toMatchObject({ ok: true });
  });

  it('forged, expired and foreign claim tokens → need_info with a new ticket; a missing format → invalid_request', async () => {
    const forger = await createTestIdp('https://idp.example', f.clock.now);
    const forged = await tokenRequest(f, umaTicketParams(await ticket(), idTokenParams(await forger.idToken({ sub: 'x', org: 'ACME' }))));
    expect(forged).toMatchObject({ status: 403, body: { error: 'need_info' } });
    expect(String(forged.body.error_description)).toContain('does not verify');
    expect(forged.body.ticket).toBeTypeOf('string');

    const expiredToken = await f.idp.idToken({ sub: 'x', org: 'ACME' }, { expiresInSec: 1 });
    f.clock.advance(5_000);
    const expired = await tokenRequest(f, umaTicketParams(await ticket(), idTokenParams(expiredToken)));
    expect(expired.body.error).toBe('need_info');
    expect(String(expired.body.error_description)).toContain('expired');

    const foreign = await tokenRequest(f, umaTicketParams(await ticket(), idTokenParams(await f.idp.idToken({ sub: 'x', org: 'ACME' }, { issuer: 'https://evil.example' }))));
    expect(String(foreign.body.error_description)).toContain('not trusted');

    const wrongAudience = await tokenRequest(f, umaTicketParams(await ticket(), idTokenParams(await f.idp.idToken({ sub: 'x', org: 'ACME' }, { audience: 'someone-else' }))));
    expect(wrongAudience.body.error).toBe('need_info');

    const { privateKey } = await generateKeyPair('ES256');
    const selfSigned = await new SignJWT({ org: 'ACME' }).setProtectedHeader({ alg: 'ES256', kid: 'idp-1' }).setIssuer('https://idp.example').setExpirationTime('1h').sign(privateKey);
    const format = await tokenRequest(f, umaTicketParams(await ticket(), { claim_token: selfSigned, claim_token_format: 'urn:example:unknown' }));
    expect(format.body.error).toBe('need_info');
    expect(String(format.body.error_description)).toContain('not supported');

    expect(await tokenRequest(f, umaTicketParams(await ticket(), { claim_token: selfSigned }))).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });

  it('a plain JWT claim token (urn:ietf:params:oauth:token-type:jwt) is accepted', async () => {
    const jwt = await f.idp.idToken({ sub: 'y', sector: 'energy', role: 'CERT' });
    const ok = await tokenRequest(f, umaTicketParams(await ticket(), { claim_token: jwt, claim_token_format: 'urn:ietf:params:oauth:token-type:jwt' }));
    expect(ok.status).toBe(200);
  });

  it('bad PCT or RPT → invalid_grant', async () => {
    expect((await tokenRequest(f, umaTicketParams(await ticket(), { pct: 'made-up' }))).body.error).toBe('invalid_grant');
    expect((await tokenRequest(f, umaTicketParams(await ticket(), { rpt: 'not.a.jwt' }))).body.error).toBe('invalid_grant');
  });

  it('client authentication, grant type, repeated parameters and PAT issuance rules', async () => {
    expect(await tokenRequest(f, umaTicketParams(await ticket()), { id: f.app.clientId, secret: 'wrong' })).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(await tokenRequest(f, umaTicketParams(await ticket()), { id: 'nobody', secret: 'x' })).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect((await tokenRequest(f, { grant_type: 'password' })).body.error).toBe('unsupported_grant_type');
    expect((await tokenRequest(f, { grant_type: 'client_credentials', scope: 'uma_protection' })).body.error).toBe('unauthorized_client');
    expect((await tokenRequest(f, { grant_type: 'client_credentials', scope: 'openid' }, { id: 'rs-1', secret: f.rsSecret.reveal() })).body.error).toBe('invalid_scope');
    const repeated = await fetch(f.tokenEndpoint, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${f.app.clientId}:${f.app.secret.reveal()}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&grant_type=client_credentials',
    });
    expect(repeated.status).toBe(400);
    expect(((await repeated.json()) as { error: string }).error).toBe('invalid_request');
  });
});
