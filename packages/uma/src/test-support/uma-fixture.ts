import { createServer as createNetServer } from 'node:net';
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet } from 'jose';
import { Secret } from '@waggle/errors';
import { addClient, addUser } from '../as/admin.js';
import { createUmaServer, type UmaServer } from '../as/http/uma-server.js';
import { openSqliteUmaStore } from '../as/store/sqlite-store.js';
import type { UmaStore } from '../as/store/uma-store.js';
import { ID_TOKEN_FORMAT } from '../common/uma-types.js';
import { enforceUma } from '../rs/enforce-uma.js';
import { createResourceServerClient, type ResourceServerClient } from '../rs/resource-server-client.js';

/** A test clock that only moves when told. */
export interface TestClock {
  readonly now: () => number;
  readonly advance: (ms: number) => void;
}

export function testClock(start = Date.now()): TestClock {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

/** A free loopback port (the AS needs its issuer URL before it listens). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** A stand-in OpenID provider: signs ID tokens with its own ES256 key. */
export interface TestIdp {
  readonly issuer: string;
  readonly jwks: JSONWebKeySet;
  readonly idToken: (claims: Record<string, unknown>, options?: { expiresInSec?: number; issuer?: string; audience?: string }) => Promise<string>;
}

export async function createTestIdp(issuer: string, now: () => number): Promise<TestIdp> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'idp-1', alg: 'ES256', use: 'sig' };
  return {
    issuer,
    jwks: { keys: [jwk] },
    async idToken(claims, options = {}) {
      const iat = Math.floor(now() / 1000);
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: 'idp-1' })
        .setIssuer(options.issuer ?? issuer)
        .setAudience(options.audience ?? 'uma-as')
        .setIssuedAt(iat)
        .setExpirationTime(iat + (options.expiresInSec ?? 600))
        .sign(privateKey);
    },
  };
}

/** A running AS with one resource server (owner alice), one client app and one interactive user. */
export interface UmaFixture {
  readonly issuer: string;
  readonly store: UmaStore;
  readonly as: UmaServer;
  readonly clock: TestClock;
  readonly idp: TestIdp;
  readonly rs: ResourceServerClient;
  readonly rsSecret: Secret;
  readonly app: { readonly clientId: string; readonly secret: Secret; readonly redirectUri: string };
  readonly tokenEndpoint: string;
  readonly idToken: (claims: Record<string, unknown>) => Promise<string>;
  readonly close: () => Promise<void>;
}

export const REDIRECT_URI = 'http://127.0.0.1:9/callback';

export async function startUmaFixture(options: { claimsInteraction?: boolean; rptLifetimeSec?: number } = {}): Promise<UmaFixture> {
  const clock = testClock();
  const store = openSqliteUmaStore(':memory:');
  const idp = await createTestIdp('https://idp.example', clock.now);
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const as = createUmaServer({ issuer, store, now: clock.now, trustedIssuers: [{ issuer: idp.issuer, jwks: idp.jwks, audience: 'uma-as' }], ...options });
  await as.app.listen({ host: '127.0.0.1', port });
  const rsCreds = addClient(store, { name: 'waggle RS', owner: 'alice', clientId: 'rs-1' });
  const appCreds = addClient(store, { name: 'reader app', clientId: 'app-1', redirectUris: [REDIRECT_URI] });
  addUser(store, { username: 'carol', password: new Secret('carol-password'), claims: { org: 'ACME', sector: 'energy', role: 'analyst' } });
  const rs = createResourceServerClient({ asUri: issuer, clientId: 'rs-1', clientSecret: rsCreds.clientSecret, now: clock.now, jwksRefreshCooldownMs: 0 });
  return {
    issuer, store, as, clock, idp, rs, rsSecret: rsCreds.clientSecret,
    app: { clientId: appCreds.clientId, secret: appCreds.clientSecret, redirectUri: REDIRECT_URI },
    tokenEndpoint: `${issuer}/token`,
    idToken: (claims) => idp.idToken(claims),
    async close() {
      await as.app.close();
      store.close();
    },
  };
}

/** Form POST to the token endpoint with HTTP Basic client authentication. */
export async function tokenRequest(f: UmaFixture, params: Record<string, string>, credentials: { id: string; secret: string } = { id: f.app.clientId, secret: f.app.secret.reveal() }): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(f.tokenEndpoint, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${credentials.id}:${credentials.secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export const umaTicketParams = (ticket: string, extra: Record<string, string> = {}): Record<string, string> => ({ grant_type: 'urn:ietf:params:oauth:grant-type:uma-ticket', ticket, ...extra });

export const idTokenParams = (token: string): Record<string, string> => ({ claim_token: token, claim_token_format: ID_TOKEN_FORMAT });

/** A tiny protected API on 127.0.0.1: GET /things/:id needs scope read on the resource registered for that id. */
export async function startProtectedApi(rs: ResourceServerClient, resources: ReadonlyMap<string, string>): Promise<{ url: string; close: () => Promise<void> }> {
  const guard = enforceUma<{ headers: Record<string, string | string[] | undefined>; url: string; method: string }>({
    rs,
    realm: 'things',
    resourceIdFor: (req) => resources.get(req.url.split('/')[2] ?? ''),
    scopeFor: (req) => (req.method === 'GET' ? 'read' : 'write'),
  });
  const server: Server = createServer((req, res) => {
    void guard({ headers: req.headers, url: req.url ?? '/', method: req.method ?? 'GET' }).then((d) => {
      if (d.allow) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ thing: req.url, subject: d.subject, claims: d.claims }));
      } else {
        res.writeHead(d.status, { ...d.headers, 'content-type': 'application/json' }).end(JSON.stringify(d.body));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
