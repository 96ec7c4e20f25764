import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requestRpt } from '../client/request-rpt.js';
import { ID_TOKEN_FORMAT } from '../common/uma-types.js';
import { parseUmaChallenge } from '../common/www-authenticate.js';
import { idTokenParams, startProtectedApi, startUmaFixture, tokenRequest, umaTicketParams, type UmaFixture } from '../test-support/uma-fixture.js';

describe('UMA 2.0 flow over HTTP', () => {
  let f: UmaFixture;
  let api: { url: string; close: () => Promise<void> };
  let resourceId: string;

  beforeEach(async () => {
    f = await startUmaFixture();
    ({ _id: resourceId } = await f.rs.registerResource({ name: 'event 42', type: 'misp-event', resource_scopes: ['read', 'write'] }));
    await f.rs.setPolicy(resourceId, { rules: [{ scopes: ['read'], allow: [{ sector: 'energy', role: 'CERT' }, { user: 'bob' }] }, { scopes: ['write'], allow: [{ org: 'ACME' }], approval: 'owner' }] });
    api = await startProtectedApi(f.rs, new Map([['42', resourceId]]));
  });
  afterEach(async () => {
    await api.close();
    await f.close();
  });

  it('401 with a ticket → RPT for pushed ID-token claims → RS lets the request through', async () => {
    const denied = await fetch(`${api.url}/things/42`);
    expect(denied.status).toBe(401);
    const challenge = parseUmaChallenge(denied.headers.get('www-authenticate') ?? '');
    expect(challenge).toMatchObject({ realm: 'things', asUri: f.issuer });
    const discovery = await (await fetch(`${challenge?.asUri ?? ''}/.well-known/uma2-configuration`)).json() as { token_endpoint: string };

    const result = await requestRpt({
      tokenEndpoint: discovery.token_endpoint, clientId: f.app.clientId, clientSecret: f.app.secret, ticket: challenge?.ticket ?? '',
      claimToken: await f.idToken({ sub: 'dave', sector: 'energy', role: ['CERT', 'analyst'] }), claimTokenFormat: ID_TOKEN_FORMAT,
    });
    if (!result.ok) throw new Error(`expected an RPT, got ${result.error}: ${result.description}`);
    expect(result.pct).toBeTypeOf('string');

    const allowed = await fetch(`${api.url}/things/42`, { headers: { authorization: `Bearer ${result.rpt}` } });
    expect(allowed.status).toBe(200);
    expect(await allowed.json()).toMatchObject({ subject: 'dave', claims: { sector: 'energy', role: ['CERT', 'analyst'] } });

    const write = await fetch(`${api.url}/things/42`, { method: 'POST', headers: { authorization: `Bearer ${result.rpt}` } });
    expect(write.status).toBe(401);
    expect(parseUmaChallenge(write.headers.get('www-authenticate') ?? '')?.ticket).toBeTypeOf('string');
  });

  it('need_info with redirect_user → interactive sign-in → claims_submitted with a new ticket → RPT', async () => {
    const ticket = await f.rs.createTicket(resourceId, ['write']);
    const first = await tokenRequest(f, umaTicketParams(ticket));
    expect(first.status).toBe(403);
    expect(first.body).toMatchObject({ error: 'need_info', redirect_user: `${f.issuer}/claims` });
    expect(first.body.required_claims).toEqual([{ name: 'org', friendly_name: 'org', claim_token_format: expect.arrayContaining([ID_TOKEN_FORMAT]) as unknown, issuer: ['https://idp.example'] }]);
    const rotated = String(first.body.ticket);
    expect(rotated).not.toBe(ticket);

    const query = new URLSearchParams({ client_id: f.app.clientId, ticket: rotated, claims_redirect_uri: f.app.redirectUri, state: 's-1' });
    const form = await fetch(`${f.issuer}/claims?${query.toString()}`);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('<form method="post"');

    const wrong = await fetch(`${f.issuer}/claims`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ...Object.fromEntries(query), username: 'carol', password: 'nope-nope' }).toString(), redirect: 'manual' });
    expect(wrong.status).toBe(401);

    const signedIn = await fetch(`${f.issuer}/claims`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ...Object.fromEntries(query), username: 'carol', password: 'carol-password' }).toString(), redirect: 'manual' });
    expect(signedIn.status).toBe(302);
    const back = new URL(signedIn.headers.get('location') ?? '');
    expect(`${back.origin}${back.pathname}`).toBe(f.app.redirectUri);
    expect(back.searchParams.get('authorization_state')).toBe('claims_submitted');
    expect(back.searchParams.get('state')).toBe('s-1');
    const gathered = back.searchParams.get('ticket') ?? '';
    expect(gathered).not.toBe(rotated);

    expect((await tokenRequest(f, umaTicketParams(rotated))).body.error).toBe('invalid_grant');
    // carol (org ACME) matches the "ask me" write rule: the owner is asked first.
    const submitted = await tokenRequest(f, umaTicketParams(gathered));
    expect(submitted).toMatchObject({ status: 403, body: { error: 'request_submitted', interval: 5 } });
    const pending = await f.rs.listRequests();
    expect(pending).toMatchObject([{ status: 'pending', subject: 'carol', client_id: f.app.clientId }]);
    const stillPending = await tokenRequest(f, umaTicketParams(String(submitted.body.ticket)));
    expect(stillPending.body.error).toBe('request_submitted');

    await f.rs.decideRequest(String(stillPending.body.ticket), 'approve');
    const granted = await tokenRequest(f, umaTicketParams(String(stillPending.body.ticket)));
    expect(granted.status).toBe(200);
    const verdict = await f.rs.verifyRpt(String(granted.body.access_token), resourceId, 'write');
    expect(verdict).toMatchObject({ ok: true, subject: 'carol', claims: { org: 'ACME' } });
  });

  it('request_submitted then deny → request_denied', async () => {
    const token = await f.idToken({ sub: 'erin', org: 'ACME' });
    const submitted = await tokenRequest(f, umaTicketParams(await f.rs.createTicket(resourceId, ['write']), idTokenParams(token)));
    expect(submitted.body.error).toBe('request_submitted');
    const [pending] = await f.rs.listRequests();
    await f.rs.decideRequest(pending?.id ?? '', 'deny');
    const denied = await tokenRequest(f, umaTicketParams(String(submitted.body.ticket)));
    expect(denied).toMatchObject({ status: 403, body: { error: 'request_denied' } });
    expect(denied.body.ticket).toBeUndefined();
  });

  it('RPT upgrade: the new RPT carries the old and the new permissions', async () => {
    const other = await f.rs.registerResource({ name: 'event 43', resource_scopes: ['read'] });
    await f.rs.setPolicy(other._id, { rules: [{ scopes: ['read'], allow: [{ user: 'bob' }] }] });
    const id = await f.idToken({ sub: 'bob' });
    const first = await tokenRequest(f, umaTicketParams(await f.rs.createTicket(resourceId, ['read']), idTokenParams(id)));
    expect(first.status).toBe(200);
    expect(first.body.upgraded).toBeUndefined();
    const second = await tokenRequest(f, umaTicketParams(await f.rs.createTicket(other._id, ['read']), { pct: String(first.body.pct), rpt: String(first.body.access_token) }));
    expect(second.status).toBe(200);
    expect(second.body.upgraded).toBe(true);
    const rpt = String(second.body.access_token);
    expect(await f.rs.verifyRpt(rpt, resourceId, 'read')).toMatchObject({ ok: true, subject: 'bob' });
    expect(await f.rs.verifyRpt(rpt, other._id, 'read')).toMatchObject({ ok: true });
    const introspection = await f.rs.introspect(rpt);
    expect(introspection.active).toBe(true);
    expect(introspection.permissions?.map((p) => p.resource_id).sort()).toEqual([resourceId, other._id].sort());
  });

  it('a PCT stands in for the claims on the next request', async () => {
    const first = await tokenRequest(f, umaTicketParams(await f.rs.createTicket(resourceId, ['read']), idTokenParams(await f.idToken({ sub: 'bob' }))));
    const pct = String(first.body.pct);
    const again = await tokenRequest(f, umaTicketParams(await f.rs.createTicket(resourceId, ['read']), { pct }));
    expect(again.status).toBe(200);
    expect(again.body.pct).toBe(pct);
    const stolen = await tokenRequest(f, umaTicketParams(await f.rs.createTicket(resourceId, ['read']), { pct }), { id: 'rs-1', secret: f.rsSecret.reveal() });
    expect(stolen.body.error).toBe('invalid_grant');
  });

  it('the owner gets their own resources without a policy rule', async () => {
    const r = await tokenRequest(f, umaTicketParams(await f.rs.createTicket(resourceId, ['write']), idTokenParams(await f.idToken({ sub: 'alice' }))));
    expect(r.status).toBe(200);
  });
});
