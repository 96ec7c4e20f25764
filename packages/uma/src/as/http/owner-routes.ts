import type { FastifyInstance } from 'fastify';
import { isWaggleError } from '@waggle/errors';
import { tokenHash } from '../keys/secrets.js';
import { parsePolicy } from '../policy/policy.js';
import type { RequestRecord } from '../store/records.js';
import type { UmaContext } from './context.js';
import { oauthError, patOf } from './oauth-http.js';

const showRequest = (r: RequestRecord) => ({ id: r.id, status: r.status, client_id: r.clientId, subject: r.subject, claims: r.claims, permissions: r.permissions, created_at: r.createdAt });

/**
 * Resource-owner API, authenticated with a PAT bound to the owner: the policy of
 * each resource (`user_access_policy_uri`) and the "ask me" requests awaiting a decision.
 */
export function registerOwnerRoutes(app: FastifyInstance, ctx: UmaContext): void {
  const { store, now } = ctx;
  const ownedBy = (id: string, owner: string) => {
    const r = store.getResource(id);
    return r !== undefined && r.owner === owner ? r : undefined;
  };

  app.get<{ Params: { id: string } }>('/policy/:id', async (request, reply) => {
    const pat = patOf(request);
    if (ownedBy(request.params.id, pat.owner) === undefined) return oauthError(reply, 404, 'not_found', 'no such resource');
    return store.getPolicy(request.params.id) ?? { rules: [] };
  });
  app.put<{ Params: { id: string } }>('/policy/:id', async (request, reply) => {
    const pat = patOf(request);
    const resource = ownedBy(request.params.id, pat.owner);
    if (resource === undefined) return oauthError(reply, 404, 'not_found', 'no such resource');
    try {
      const policy = parsePolicy(request.body);
      const unknown = policy.rules.flatMap((r) => r.scopes).find((s) => !resource.description.resource_scopes.includes(s));
      if (unknown !== undefined) return oauthError(reply, 400, 'invalid_scope', `scope ${unknown} is not registered for this resource`);
      store.setPolicy(resource.id, policy, now());
      return policy;
    } catch (error) {
      if (isWaggleError(error) && error.code === 'invalid_input') return oauthError(reply, 400, 'invalid_request', error.message);
      throw error;
    }
  });
  app.delete<{ Params: { id: string } }>('/policy/:id', async (request, reply) => {
    const pat = patOf(request);
    if (ownedBy(request.params.id, pat.owner) === undefined) return oauthError(reply, 404, 'not_found', 'no such resource');
    store.setPolicy(request.params.id, { rules: [] }, now());
    return reply.code(204).send();
  });

  app.get('/requests', async (request) => {
    const pat = patOf(request);
    return store.listRequests(pat.owner).map(showRequest);
  });
  app.post<{ Params: { ref: string; decision: string } }>('/requests/:ref/:decision', async (request, reply) => {
    const pat = patOf(request);
    const { ref, decision } = request.params;
    if (decision !== 'approve' && decision !== 'deny') return oauthError(reply, 404, 'not_found', 'use /approve or /deny');
    const found = store.getRequest(ref) ?? store.findRequestByTicket(tokenHash(ref));
    if (found === undefined || found.owner !== pat.owner) return oauthError(reply, 404, 'not_found', 'no such request');
    const status = decision === 'approve' ? 'approved' : 'denied';
    store.updateRequest(found.id, { status });
    return showRequest({ ...found, status });
  });
}
