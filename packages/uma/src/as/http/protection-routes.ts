import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Permission, ResourceDescription } from '../../common/uma-types.js';
import { readOwnRpt } from '../grant/rpt.js';
import type { UmaContext } from './context.js';
import { formParams, oauthError, patOf } from './oauth-http.js';

const OPTIONAL = ['name', 'type', 'icon_uri', 'description'] as const;

/** Validates a resource description; a message when it is not acceptable. */
function readDescription(body: unknown): ResourceDescription | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body must be a JSON resource description';
  const b = body as Record<string, unknown>;
  const scopes = b.resource_scopes;
  if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string' && s !== '')) return 'resource_scopes must be an array of scope names';
  const out: Record<string, unknown> = { resource_scopes: [...new Set(scopes as string[])] };
  for (const f of OPTIONAL) {
    if (b[f] === undefined) continue;
    if (typeof b[f] !== 'string') return `${f} must be a string`;
    out[f] = b[f];
  }
  return out as unknown as ResourceDescription;
}

/** Reads a permission request (one object or a non-empty array). */
function readPermissions(body: unknown): Permission[] | undefined {
  const list = Array.isArray(body) ? (body as unknown[]) : [body];
  if (list.length === 0) return undefined;
  const out: Permission[] = [];
  for (const item of list) {
    const p = item as { resource_id?: unknown; resource_scopes?: unknown } | null;
    if (typeof p !== 'object' || p === null || typeof p.resource_id !== 'string') return undefined;
    const scopes = p.resource_scopes ?? [];
    if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string')) return undefined;
    out.push({ resource_id: p.resource_id, resource_scopes: [...new Set(scopes as string[])] });
  }
  return out;
}

/** The protection API: resource registration (`/rreg`), permission endpoint (`/perm`), introspection (`/introspect`). */
export function registerProtectionRoutes(app: FastifyInstance, ctx: UmaContext): void {
  const { store, now, issuer } = ctx;
  const policyUri = (id: string): string => `${issuer}/policy/${encodeURIComponent(id)}`;

  app.post('/rreg', async (request, reply) => {
    const pat = patOf(request);
    const description = readDescription(request.body);
    if (typeof description === 'string') return oauthError(reply, 400, 'invalid_request', description);
    const id = randomUUID();
    store.putResource({ id, owner: pat.owner, clientId: pat.clientId, description, createdAt: now() });
    return reply.code(201).header('location', `${issuer}/rreg/${id}`).send({ _id: id, user_access_policy_uri: policyUri(id) });
  });
  app.get('/rreg', async (request) => {
    const pat = patOf(request);
    return store.listResources(pat.owner).filter((r) => r.clientId === pat.clientId).map((r) => r.id);
  });
  const owned = (id: string, clientId: string) => {
    const r = store.getResource(id);
    return r !== undefined && r.clientId === clientId ? r : undefined;
  };
  app.get<{ Params: { id: string } }>('/rreg/:id', async (request, reply) => {
    const pat = patOf(request);
    const r = owned(request.params.id, pat.clientId);
    if (r === undefined) return oauthError(reply, 404, 'not_found', 'no such resource');
    return { _id: r.id, ...r.description, user_access_policy_uri: policyUri(r.id) };
  });
  app.put<{ Params: { id: string } }>('/rreg/:id', async (request, reply) => {
    const pat = patOf(request);
    const r = owned(request.params.id, pat.clientId);
    if (r === undefined) return oauthError(reply, 404, 'not_found', 'no such resource');
    const description = readDescription(request.body);
    if (typeof description === 'string') return oauthError(reply, 400, 'invalid_request', description);
    store.putResource({ ...r, description });
    return { _id: r.id, user_access_policy_uri: policyUri(r.id) };
  });
  app.delete<{ Params: { id: string } }>('/rreg/:id', async (request, reply) => {
    const pat = patOf(request);
    if (owned(request.params.id, pat.clientId) === undefined) return oauthError(reply, 404, 'not_found', 'no such resource');
    store.deleteResource(request.params.id);
    return reply.code(204).send();
  });

  app.post('/perm', async (request, reply) => {
    const pat = patOf(request);
    const permissions = readPermissions(request.body);
    if (permissions === undefined) return oauthError(reply, 400, 'invalid_request', 'expected {resource_id, resource_scopes} or a non-empty array of them');
    for (const p of permissions) {
      const r = store.getResource(p.resource_id);
      if (r === undefined || r.owner !== pat.owner) return oauthError(reply, 400, 'invalid_resource_id', `resource ${p.resource_id} is not registered for this owner`);
      const unknown = p.resource_scopes.find((s) => !r.description.resource_scopes.includes(s));
      if (unknown !== undefined) return oauthError(reply, 400, 'invalid_scope', `scope ${unknown} is not registered for resource ${p.resource_id}`);
    }
    return reply.code(201).send({ ticket: ctx.tickets.issue(permissions, null) });
  });

  app.post('/introspect', async (request, reply) => {
    const pat = patOf(request);
    const params = formParams(request.body);
    if (params?.token === undefined || params.token === '') return oauthError(reply, 400, 'invalid_request', 'the token parameter is required');
    const payload = await readOwnRpt(ctx.keys, issuer, now, params.token);
    const aud = Array.isArray(payload?.aud) ? payload.aud : [];
    if (payload === undefined || !aud.includes(pat.clientId)) return reply.header('cache-control', 'no-store').send({ active: false });
    const nowSec = Math.floor(now() / 1000);
    const permissions = ((payload.permissions ?? []) as Permission[]).filter((p) => p.exp === undefined || p.exp > nowSec);
    return reply.header('cache-control', 'no-store').send({
      active: true, token_type: 'requesting_party_token', iss: payload.iss, aud, exp: payload.exp, iat: payload.iat, jti: payload.jti,
      client_id: payload.azp, ...(payload.sub === undefined ? {} : { sub: payload.sub }), permissions,
    });
  });
}
