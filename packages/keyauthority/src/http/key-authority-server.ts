import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { AuthenticationError, InputError, NotFoundError, isWaggleError } from '@waggle/errors';
import type { PublicKeyJson } from '@waggle/abe';
import type { KeyAuthority } from '../authority/key-authority.js';
import type { ClaimsVerifier } from '../claims/claims.js';
import { bearerToken } from '../claims/claims.js';
import { verifyChain } from '../log/log-chain.js';
import type { AuthorityStore } from '../store/authority-store.js';
import { STATUS_OF } from './error-status.js';

/** What the HTTP service is built from. */
export interface KeyAuthorityServerDeps {
  readonly authority: KeyAuthority;
  readonly verifier: ClaimsVerifier;
  readonly publicParams: PublicKeyJson;
  /** Read access to the log for `GET /admin/log`. */
  readonly store: Pick<AuthorityStore, 'readLog'>;
  readonly isAdminToken: (token: string) => boolean;
  /** Called for refusals and failures, never with key material. */
  readonly onEvent?: (message: string) => void;
}

const revocationJson = (r: { kind: string; value: string; revokedAt: string; reason: string | null }): object => ({ kind: r.kind, value: r.value, revoked_at: r.revokedAt, reason: r.reason });

function errorBody(error: unknown): { status: number; body: object } {
  if (isWaggleError(error)) return { status: STATUS_OF[error.code], body: { error: error.code, message: error.message, ...(error.details.field === undefined ? {} : { field: error.details.field }) } };
  const status = (error as { statusCode?: number }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return { status, body: { error: 'invalid_input', message: (error as Error).message } };
  return { status: 500, body: { error: 'internal', message: 'internal error' } };
}

/**
 * The key authority's HTTP API (fastify, no request logging: requests carry bearer
 * tokens). Public: `GET /public-params`, `GET /epoch`, `GET /revocations`. Requesters:
 * `POST /keys` with credentials the configured `ClaimsVerifier` accepts. Administrators
 * (bearer admin token): `/admin/orgs`, `/admin/revocations`, `/admin/log`.
 */
export function createKeyAuthorityServer(deps: KeyAuthorityServerDeps): FastifyInstance {
  const { authority } = deps;
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 });

  app.setErrorHandler((error, _req, reply) => {
    const { status, body } = errorBody(error);
    if (status >= 500) deps.onEvent?.(`error: ${error instanceof Error ? error.message : String(error)}`);
    void reply.code(status).header('cache-control', 'no-store').send(body);
  });
  app.setNotFoundHandler((req, reply) => void reply.code(404).send({ error: 'not_found', message: `no route ${req.method} ${req.url}` }));

  const admin = (req: FastifyRequest): void => {
    const token = bearerToken(req.headers.authorization);
    if (token === undefined || !deps.isAdminToken(token)) throw new AuthenticationError('an administrator token is required (Authorization: Bearer TOKEN)');
  };

  app.get('/', () => ({ service: 'waggle-keyauthority', mode: deps.verifier.mode, epoch: authority.currentEpoch().label }));
  app.get('/public-params', () => deps.publicParams);
  app.get('/epoch', () => {
    const e = authority.currentEpoch();
    return { epoch: e.label, attribute: e.attribute, starts_at: e.startsAt.toISOString(), ends_at: e.endsAt.toISOString() };
  });
  app.get('/revocations', () => ({ revocations: authority.listRevocations().map(revocationJson) }));

  app.post('/keys', async (req: FastifyRequest, reply: FastifyReply) => {
    const outcome = await deps.verifier.verify(req.headers.authorization);
    if (!outcome.ok) {
      if (outcome.logged) authority.refuse(outcome.reason);
      deps.onEvent?.(`refused key request: ${outcome.reason}`);
      if (outcome.challenge !== undefined) void reply.header('www-authenticate', outcome.challenge);
      return reply.code(401).header('cache-control', 'no-store').send({ error: 'unauthenticated', message: outcome.reason });
    }
    let request;
    try {
      request = authority.parseRequest(req.body);
    } catch (error) {
      authority.refuse(error instanceof Error ? error.message : String(error), outcome.claims);
      throw error;
    }
    const key = await authority.issue(outcome.claims, request);
    return reply.header('cache-control', 'no-store').send(key);
  });

  app.get('/admin/orgs', (req) => {
    admin(req);
    return { orgs: authority.listOrgs().map((o) => ({ org: o.org, attributes: o.attributes, updated_at: o.updatedAt })) };
  });
  app.put('/admin/orgs/:org', (req) => {
    admin(req);
    const { attributes } = (req.body ?? {}) as { attributes?: unknown };
    if (!Array.isArray(attributes) || !attributes.every((a) => typeof a === 'string')) throw new InputError('attributes: expected a list of strings', { field: 'attributes' });
    const r = authority.setOrgAttributes((req.params as { org: string }).org, attributes);
    return { org: r.org, attributes: r.attributes, updated_at: r.updatedAt };
  });
  app.delete('/admin/orgs/:org', (req, reply) => {
    admin(req);
    const org = (req.params as { org: string }).org;
    if (!authority.removeOrg(org)) throw new NotFoundError(`organisation ${JSON.stringify(org)} has no attributes`);
    return reply.code(204).send();
  });
  app.post('/admin/revocations', (req) => {
    admin(req);
    const { kind, value, reason } = (req.body ?? {}) as { kind?: unknown; value?: unknown; reason?: unknown };
    if (kind !== 'sub' && kind !== 'org') throw new InputError('kind: "sub" or "org"', { field: 'kind' });
    if (typeof value !== 'string') throw new InputError('value: a string', { field: 'value' });
    if (reason !== undefined && typeof reason !== 'string') throw new InputError('reason: a string', { field: 'reason' });
    return revocationJson(authority.revoke(kind, value, reason));
  });
  app.get('/admin/log', (req) => {
    admin(req);
    const q = req.query as { from?: string; limit?: string };
    const num = (v: string | undefined, field: string, fallback: number): number => {
      const n = v === undefined ? fallback : Number(v);
      if (!Number.isInteger(n) || n < 1) throw new InputError(`${field}: a positive integer`, { field });
      return n;
    };
    const entries = deps.store.readLog({ fromSeq: num(q.from, 'from', 1), limit: num(q.limit, 'limit', 1000) });
    return { entries, chain: verifyChain(deps.store.readLog()) };
  });
  return app;
}

/** Starts the HTTP API; `port` 0 picks a free one. */
export async function listenKeyAuthority(app: FastifyInstance, host: string, port: number): Promise<{ url: string; port: number; close(): Promise<void> }> {
  await app.listen({ host, port });
  const address = app.server.address();
  const actual = typeof address === 'object' && address !== null ? address.port : port;
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${String(actual)}`, port: actual, close: () => app.close() };
}
