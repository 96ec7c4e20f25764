import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AuthenticationError } from '@waggle/errors';
import { tokenHash, tokenMatches } from '../keys/secrets.js';
import type { ClientRecord, PatRecord } from '../store/records.js';
import type { UmaStore } from '../store/uma-store.js';

/** Sends an OAuth error body (`error`, `error_description`, extra fields). */
export function oauthError(reply: FastifyReply, status: number, error: string, description: string, extra: Record<string, unknown> = {}): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').send({ error, error_description: description, ...extra });
}

/**
 * Parses `application/x-www-form-urlencoded` bodies. Repeated parameters are
 * kept as arrays so that endpoints can refuse them (RFC 6749 §3.2).
 */
export function addFormParser(app: FastifyInstance): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of new URLSearchParams(String(body))) {
      const prev = out[k];
      out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    done(null, out);
  });
}

/** The body as a flat record of string parameters; `undefined` when a parameter repeats or is not a string. */
export function formParams(body: unknown): Record<string, string> | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body === undefined ? {} : undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (typeof v !== 'string') return undefined;
    out[k] = v;
  }
  return out;
}

/** Authenticates the client by HTTP Basic (or `client_id`/`client_secret` in the body). */
export function authenticateClient(store: UmaStore, request: FastifyRequest, params: Record<string, string>): ClientRecord | undefined {
  let id: string | undefined;
  let secret: string | undefined;
  const header = request.headers.authorization;
  const basic = typeof header === 'string' ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header) : null;
  if (basic?.[1] !== undefined) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    try {
      id = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
      secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
    } catch {
      return undefined;
    }
  } else {
    id = params.client_id;
    secret = params.client_secret;
  }
  if (id === undefined || secret === undefined) return undefined;
  const client = store.getClient(id);
  return client !== undefined && tokenMatches(secret, client.secretHash) ? client : undefined;
}

const pats = new WeakMap<FastifyRequest, PatRecord>();

/** The PAT checked for this request by `addPatGuard`. */
export function patOf(request: FastifyRequest): PatRecord {
  const pat = pats.get(request);
  if (pat === undefined) throw new AuthenticationError('no PAT checked for this route');
  return pat;
}

/**
 * Checks the PAT (`Authorization: Bearer`) of every route under `prefixes`
 * before its body is read; a missing or invalid PAT gets 401 right away.
 */
export function addPatGuard(app: FastifyInstance, store: UmaStore, now: () => number, prefixes: readonly string[]): void {
  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions.url ?? '';
    if (!prefixes.some((p) => route === p || route.startsWith(`${p}/`))) return;
    const pat = requirePat(store, now, request, reply);
    if (pat !== undefined) pats.set(request, pat);
    else return reply;
  });
}

function requirePat(store: UmaStore, now: () => number, request: FastifyRequest, reply: FastifyReply): PatRecord | undefined {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header) : null;
  const pat = match?.[1] === undefined ? undefined : store.getPat(tokenHash(match[1]));
  if (pat !== undefined && pat.expiresAt > now() && store.getClient(pat.clientId) !== undefined) return pat;
  const error = match === null ? '' : ', error="invalid_token"';
  void oauthError(reply.header('www-authenticate', `Bearer realm="uma_protection"${error}`), 401, match === null ? 'invalid_request' : 'invalid_token', match === null ? 'a PAT is required (Authorization: Bearer)' : 'the PAT is invalid or expired');
  return undefined;
}
