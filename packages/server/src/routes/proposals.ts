import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseAttribute, parseAttributeEdit, type Principal } from '@waggle/core';
import { bodyOf, isPolicyRecipient, principalOutsidePolicy, type RouteContext } from '../http/context.js';

/** The proposed attribute of a body: `{"ShadowAttribute": …}`, `{"Attribute": …}` or bare (as PyMISP sends it). */
function innerOf(body: Record<string, unknown>): Record<string, unknown> {
  const inner = body.ShadowAttribute ?? body.Attribute ?? body;
  return typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? (inner as Record<string, unknown>) : {};
}

/** MISP's REST answer to accept and discard: `name`, `message` and `url`. */
function success(message: string, url: string): Record<string, unknown> {
  return { saved: true, success: true, name: message, message, url };
}


/** Proposals (MISP `shadow_attributes/*`; `shadowAttributes/*` is rewritten to these). */
export function registerProposalRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { proposals } = ctx.services;
  const principal = async (request: FastifyRequest): Promise<Principal> => principalOutsidePolicy(ctx, request, 'Invalid proposal.');

  app.post('/shadow_attributes/add/:eventId', async (request) => {
    const p = await principal(request);
    const input = parseAttribute(innerOf(bodyOf(request)), 'ShadowAttribute');
    return { ShadowAttribute: await proposals.add(p, (request.params as { eventId: string }).eventId, input) };
  });

  app.route({
    method: ['POST', 'PUT'],
    url: '/shadow_attributes/edit/:id',
    handler: async (request) => {
      const p = await principal(request);
      // Like attributes/edit: fields left out keep the attribute's value (proposals carry no tags).
      const { patch } = parseAttributeEdit(innerOf(bodyOf(request)), 'ShadowAttribute');
      return { ShadowAttribute: await proposals.edit(p, (request.params as { id: string }).id, patch) };
    },
  });

  app.route({
    method: ['POST', 'DELETE'],
    url: '/shadow_attributes/delete/:id',
    handler: async (request) => {
      const p = await principal(request);
      const id = (request.params as { id: string }).id;
      const proposal = await proposals.delete(p, id);
      const message = 'The proposal to delete the attribute has been saved';
      return { saved: true, success: message, name: message, message, url: `/shadow_attributes/delete/${id}`, ShadowAttribute: proposal };
    },
  });

  app.get('/shadow_attributes/view/:id', async (request) => {
    const p = await principal(request);
    return { ShadowAttribute: await proposals.view(p, (request.params as { id: string }).id) };
  });

  for (const url of ['/shadow_attributes/index', '/shadow_attributes/index/:eventId']) {
    app.route({
      method: ['GET', 'POST'],
      url,
      handler: async (request) => {
        const p = await ctx.principal(request);
        // A MISP peer's pull reads this list: recipients of the anonymisation policy get an empty one.
        if (isPolicyRecipient(ctx, p)) return [];
        const eventId = (request.params as { eventId?: string }).eventId;
        const list = await proposals.list(p, eventId === undefined || eventId === '' ? undefined : eventId);
        return list.map((s) => ({ ShadowAttribute: s }));
      },
    });
  }

  app.post('/shadow_attributes/accept/:id', async (request) => {
    const p = await principal(request);
    const id = (request.params as { id: string }).id;
    const outcome = await proposals.accept(p, id);
    return success(outcome === 'added' ? 'Proposal accepted.' : 'Proposed change accepted.', `/shadow_attributes/accept/${id}`);
  });

  app.post('/shadow_attributes/discard/:id', async (request) => {
    const p = await principal(request);
    const id = (request.params as { id: string }).id;
    await proposals.discard(p, id);
    return success('Proposal discarded.', `/shadow_attributes/discard/${id}`);
  });
}
