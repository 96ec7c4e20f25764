import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenError, Secret } from '@waggle/errors';
import { addClient, createResourceServerClient, createUmaServer, openSqliteUmaStore, parseUmaChallenge, type UmaServer } from '@waggle/uma';
import { createEnvelopes, fameCodec, systemRandom } from '@waggle/abe';
import { requestKey } from '../client/key-client.js';
import { withEpoch } from '../epoch/epoch.js';
import { startAuthorityFixture, type AuthorityFixture } from '../test-support/authority-fixture.js';
import { startTestIssuer } from '../test-support/test-issuer.js';
import { createUmaClaimsVerifier, ensureUmaResource } from './uma-claims-verifier.js';

const freePort = (): Promise<number> => new Promise((resolve, reject) => {
  const s = createServer();
  s.once('error', reject);
  s.listen(0, '127.0.0.1', () => {
    const a = s.address();
    s.close(() => resolve(typeof a === 'object' && a !== null ? a.port : 0));
  });
});

let idp: Awaited<ReturnType<typeof startTestIssuer>>;
let as: UmaServer;
let fx: AuthorityFixture;
let reader: { clientId: string; clientSecret: Secret };
let resourceId = '';

beforeAll(async () => {
  idp = await startTestIssuer();
  const port = await freePort();
  const issuer = `http://127.0.0.1:${String(port)}`;
  const umaStore = openSqliteUmaStore(':memory:');
  as = createUmaServer({ issuer, store: umaStore, trustedIssuers: [{ issuer: idp.issuer, jwksUri: idp.jwksUrl, audience: 'waggle-keyauthority' }], claimsInteraction: false });
  await as.app.listen({ host: '127.0.0.1', port });
  const rsCreds = addClient(umaStore, { name: 'CP-ABE key authority', owner: 'ka-operator', clientId: 'keyauthority' });
  reader = addClient(umaStore, { name: 'analyst workstation', clientId: 'reader' });
  const rs = createResourceServerClient({ asUri: issuer, clientId: 'keyauthority', clientSecret: rsCreds.clientSecret });
  fx = await startAuthorityFixture({
    verifier: async ({ dir }) => {
      resourceId = await ensureUmaResource(rs, dir.store);
      expect(await ensureUmaResource(rs, dir.store)).toBe(resourceId);
      await rs.setPolicy(resourceId, { rules: [{ scopes: ['issue'], allow: [{ org: 'acme' }] }] });
      return createUmaClaimsVerifier({ rs, resourceId });
    },
  });
  fx.dir.store.setOrgAttributes('acme', ['sector:energy'], '2026-12-01T00:00:00Z');
});
afterAll(async () => {
  await fx.close();
  await as.app.close();
  await idp.close();
});

const uma = async (claims: Record<string, unknown>) => ({ kind: 'uma' as const, claimToken: await idp.token(claims), clientId: reader.clientId, clientSecret: reader.clientSecret });
const logRows = () => fx.dir.store.readLog();

describe('key requests as a UMA-protected resource (with the @waggle/uma AS)', () => {
  it('answers a request without an RPT with 401 and a permission ticket from the AS, unlogged', async () => {
    const before = logRows().length;
    const res = await fetch(`${fx.url}/keys`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
    const challenge = parseUmaChallenge(res.headers.get('www-authenticate') ?? '');
    expect(challenge).toMatchObject({ realm: 'waggle-keyauthority', asUri: as.discovery.issuer, ticket: expect.any(String) as unknown });
    expect(logRows()).toHaveLength(before);
    expect((await (await fetch(`${fx.url}/`)).json()) as unknown).toMatchObject({ mode: 'uma' });
  });

  it('follows the ticket to the AS with a claim token and gets a key whose attributes come from the RPT claims', async () => {
    const key = await requestKey({ authority: fx.url, credentials: await uma({ sub: 'alice', org: 'acme', role: 'cert', sector: 'finance' }) });
    expect(key.attributes).toEqual(['epoch:2026-12', 'org:acme', 'role:cert', 'sector:energy', 'user:alice']);
    expect(logRows().at(-1)).toMatchObject({ outcome: 'issued', sub: 'alice', keyId: key.issuance.key_id });
    const codec = fameCodec(fx.fame.backend);
    const envelopes = createEnvelopes({ fame: fx.fame, random: systemRandom });
    const envelope = envelopes.seal({ publicKey: codec.decodePublicKey(fx.dir.publicParams), policy: withEpoch('sector:energy AND role:cert', 'epoch:2026-12'), plaintext: new Uint8Array([7]) });
    expect([...envelopes.open({ envelope, secretKey: codec.decodeSecretKey(key) }).plaintext]).toEqual([7]);
  });

  it('passes on the AS refusal when the owner policy does not allow the requester', async () => {
    await expect(requestKey({ authority: fx.url, credentials: await uma({ sub: 'bob', org: 'globex' }) })).rejects.toThrow(/refused the key request \((request_denied|need_info)/);
    await expect(requestKey({ authority: fx.url, credentials: { ...(await uma({ sub: 'eve', org: 'acme' })), clientSecret: new Secret('wrong') } })).rejects.toThrow();
    await expect(requestKey({ authority: fx.url, credentials: { ...(await uma({ sub: 'eve', org: 'acme' })), claimToken: await idp.forger({ sub: 'eve', org: 'acme' }) } })).rejects.toThrow(ForbiddenError);
  });

  it('refuses a forged or foreign RPT with a fresh ticket and logs it', async () => {
    const res = await fetch(`${fx.url}/keys`, { method: 'POST', headers: { authorization: `Bearer ${await idp.token({ sub: 'eve', org: 'acme' })}`, 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
    expect(parseUmaChallenge(res.headers.get('www-authenticate') ?? '')?.ticket).toBeTypeOf('string');
    expect(logRows().at(-1)).toMatchObject({ outcome: 'refused', sub: null, keyId: null });
  });

  it('refuses a revoked subject even with a valid RPT', async () => {
    fx.dir.store.revoke({ kind: 'sub', value: 'alice', revokedAt: '2026-12-02T12:00:00Z', reason: null });
    await expect(requestKey({ authority: fx.url, credentials: await uma({ sub: 'alice', org: 'acme' }) })).rejects.toThrow(/revoked/);
    expect(logRows().at(-1)).toMatchObject({ outcome: 'refused', sub: 'alice' });
  });
});
