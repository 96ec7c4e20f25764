import type { FastifyInstance } from 'fastify';
import { InputError } from '@waggle/errors';
import { optString, optUuid, parseObject, reqString } from '@waggle/core';
import { answerHead, bodyOf, isTruthy, paramsOf, saved, type RouteContext } from '../http/context.js';
import { sendSearch } from '../search/send-search.js';

/** Object and object-reference endpoints. */
export function registerObjectRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { objects } = ctx.services;

  app.post('/objects/add/:eventId', async (request) => {
    const p = await ctx.principal(request);
    const body = bodyOf(request);
    const inner = (body.Object ?? body) as Record<string, unknown>;
    const input = parseObject(inner, 'Object');
    // PyMISP: add_object(…, break_on_duplicate=True) sends `/breakOnDuplicate:1`; an object may also carry the key.
    const breakOnDuplicate = isTruthy(paramsOf(request).breakOnDuplicate) || isTruthy(inner.breakOnDuplicate);
    return { Object: await objects.add(p, (request.params as { eventId: string }).eventId, input, { breakOnDuplicate }) };
  });

  app.route({
    method: ['POST', 'PUT'],
    url: '/objects/edit/:id',
    handler: async (request) => {
      const p = await ctx.principal(request);
      const body = bodyOf(request);
      const current = await objects.view(p, (request.params as { id: string }).id);
      const input = parseObject({ name: current.name, ...((body.Object ?? body) as object), uuid: current.uuid }, 'Object');
      await ctx.services.events.edit(p, String(current.event_id), { attributes: [], objects: [input], tags: [] });
      return { Object: await objects.view(p, String(current.id)) };
    },
  });

  app.get('/objects/view/:id', async (request) => {
    const p = await ctx.principal(request);
    return { Object: await objects.view(p, (request.params as { id: string }).id) };
  });
  app.head('/objects/view/:id', async (request, reply) => {
    const p = await ctx.principal(request);
    return answerHead(reply, () => objects.view(p, (request.params as { id: string }).id));
  });

  for (const url of ['/objects/delete/:id', '/objects/delete/:id/:hard']) {
    app.route({
      method: ['POST', 'DELETE'],
      url,
      handler: async (request, reply) => {
        const p = await ctx.principal(request);
        const o = { ...paramsOf(request), ...bodyOf(request) };
        await objects.delete(p, String(o.id), isTruthy(o.hard));
        return saved(reply, request, 'Object deleted');
      },
    });
  }

  for (const url of ['/objects/rest_search', '/objects/rest_search/:format']) {
    app.route({ method: ['GET', 'POST'], url, handler: async (request, reply) => sendSearch(ctx, request, reply, 'objects') });
  }

  for (const url of ['/object_references/add', '/object_references/add/:objectId']) {
    app.post(url, async (request) => {
      const p = await ctx.principal(request);
      const body = bodyOf(request);
      const o = (body.ObjectReference ?? body) as Record<string, unknown>;
      const objectRef = (request.params as { objectId?: string }).objectId ?? optUuid(o.object_uuid, 'ObjectReference.object_uuid') ?? optString(o.object_id, 'ObjectReference.object_id');
      if (objectRef === undefined) throw new InputError('ObjectReference.object_uuid is required', { field: 'ObjectReference.object_uuid' });
      const referenced = optUuid(o.referenced_uuid, 'ObjectReference.referenced_uuid');
      if (referenced === undefined) throw new InputError('ObjectReference.referenced_uuid is required', { field: 'ObjectReference.referenced_uuid' });
      const uuid = optUuid(o.uuid, 'ObjectReference.uuid');
      const comment = optString(o.comment, 'ObjectReference.comment');
      const ref = await objects.addReference(p, objectRef, {
        referenced_uuid: referenced,
        relationship_type: reqString(o.relationship_type, 'ObjectReference.relationship_type', 255),
        ...(uuid !== undefined ? { uuid } : {}),
        ...(comment !== undefined ? { comment } : {}),
      });
      return { ObjectReference: ref };
    });
  }

  for (const url of ['/object_references/delete/:id', '/object_references/delete/:id/:hard']) {
    app.route({
      method: ['POST', 'DELETE'],
      url,
      handler: async (request, reply) => {
        const p = await ctx.principal(request);
        const o = { ...paramsOf(request), ...bodyOf(request) };
        await objects.deleteReference(p, String(o.id), isTruthy(o.hard));
        return saved(reply, request, 'ObjectReference deleted');
      },
    });
  }
}
