import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InputError } from '@waggle/errors';
import { optInt, optString, type DelegationContext, type DelegationRequest } from '@waggle/core';
import { bodyOf, paramsOf, saved, type RouteContext } from '../http/context.js';

/** A delegation request body: `{"EventDelegation": {…}}` or bare, as PyMISP's delegate_event sends it. */
function delegationRequestOf(request: FastifyRequest): DelegationRequest {
  const body = bodyOf(request);
  const inner = body.EventDelegation;
  const d = typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? (inner as Record<string, unknown>) : body;
  const org = d.org_id;
  if (org === undefined || org === null || org === '' || (typeof org !== 'string' && typeof org !== 'number')) {
    throw new InputError('EventDelegation.org_id is required (the id or UUID of the organisation to delegate the event to)', { field: 'EventDelegation.org_id' });
  }
  const distribution = optInt(d.distribution, 'EventDelegation.distribution') ?? -1;
  if (distribution < -1 || distribution > 4) {
    throw new InputError('EventDelegation.distribution must be -1 (recipient decides) or 0 to 4', { field: 'EventDelegation.distribution' });
  }
  return {
    org: String(org).trim(),
    distribution,
    sharingGroupId: optInt(d.sharing_group_id, 'EventDelegation.sharing_group_id', 0) ?? 0,
    message: optString(d.message, 'EventDelegation.message') ?? '',
  };
}

/** `pending` (requests to the caller's organisation, the default) or `issued` (from it): body `context` or named parameter. */
function contextOf(request: FastifyRequest): DelegationContext {
  const fromBody = request.method === 'POST' ? bodyOf(request).context : undefined;
  const raw = fromBody !== undefined && fromBody !== '' && fromBody !== null ? fromBody : (paramsOf(request).context ?? 'pending');
  if (raw !== 'pending' && raw !== 'issued') throw new InputError('Invalid context. Expected values: pending or issued.', { field: 'context' });
  return raw;
}

/** MISP's event delegation (`eventDelegations/*`, rewritten to `event_delegations/*`). */
export function registerEventDelegationRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { eventDelegations } = ctx.services;

  for (const url of ['/event_delegations', '/event_delegations/index']) {
    app.route({
      method: ['GET', 'POST'],
      url,
      handler: async (request) => eventDelegations.list(await ctx.principal(request), contextOf(request)),
    });
  }

  app.get('/event_delegations/view/:id', async (request) => eventDelegations.view(await ctx.principal(request), (request.params as { id: string }).id));

  app.post('/event_delegations/delegate_event/:eventId', async (request) => {
    const p = await ctx.principal(request);
    return eventDelegations.delegate(p, (request.params as { eventId: string }).eventId, () => delegationRequestOf(request));
  });

  app.post('/event_delegations/accept_delegation/:id', async (request, reply) => {
    const p = await ctx.principal(request);
    const id = (request.params as { id: string }).id;
    const event = await eventDelegations.accept(p, id);
    return saved(reply, request, 'Event ownership transferred.', { id, event_id: String(event.id) });
  });

  app.post('/event_delegations/delete_delegation/:id', async (request, reply) => {
    const p = await ctx.principal(request);
    const id = (request.params as { id: string }).id;
    await eventDelegations.discard(p, id);
    return saved(reply, request, 'Delegation request deleted.', { id });
  });
}
