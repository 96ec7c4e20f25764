import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InputError } from '@waggle/errors';
import { optInt, optString, optTimestamp, optUuid } from '@waggle/core';
import { bodyOf, paramsOf, saved, type RouteContext } from '../http/context.js';

/** Sighting endpoints. */
export function registerSightingRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { sightings } = ctx.services;

  for (const url of ['/sightings/add', '/sightings/add/:id']) {
    app.post(url, async (request) => {
      const p = await ctx.principal(request);
      const body = bodyOf(request);
      const s = (body.Sighting ?? body) as Record<string, unknown>;
      const target = (request.params as { id?: string }).id ?? optString(s.id, 'id') ?? optUuid(s.uuid, 'uuid');
      const values = s.values ?? s.value;
      const value = Array.isArray(values) ? optString(values[0], 'value') : optString(values, 'value');
      const type = optInt(s.type, 'type', 0, 2);
      const source = optString(s.source, 'source', 255);
      const timestamp = optTimestamp(s.timestamp ?? s.date_sighting, 'timestamp');
      const created = await sightings.add(p, {
        ...(target !== undefined ? { attribute: target } : {}),
        ...(target === undefined && value !== undefined ? { value } : {}),
        ...(type !== undefined ? { type } : {}),
        ...(source !== undefined ? { source } : {}),
        ...(timestamp !== undefined ? { timestamp } : {}),
      });
      if (created.length === 1) return { Sighting: created[0] };
      return { saved: true, success: true, name: `${created.length} sightings successfully added.`, message: `${created.length} sightings successfully added.`, url: request.url };
    });
  }

  // PyMISP's sightings() posts {id, context, org_id}; MISP also takes them as path segments
  // (listSightings/{id}/{context}/{org_id}) and on GET, and `id` may list several: "1|2".
  const listSightings = async (request: FastifyRequest): Promise<unknown> => {
    const p = await ctx.principal(request);
    const body = { ...paramsOf(request), ...bodyOf(request) };
    const ids = (optString(body.id, 'id') ?? '').split('|').map((x) => x.trim()).filter((x) => x !== '');
    const context = String(body.context ?? 'attribute');
    if (ids.length === 0) throw new InputError('id is required', { field: 'id' });
    const list = [];
    for (const id of new Set(ids)) list.push(...(await sightings.list(p, context === 'event' ? { event: id } : { attribute: id })));
    // PyMISP's sightings(entity, org=…) adds `org_id`: an id, a uuid or a name.
    const orgRef = optString(body.org_id, 'org_id');
    const orgId = orgRef === undefined || orgRef === '' ? undefined : /^[0-9]+$/.test(orgRef) ? orgRef : String((await ctx.services.admin.organisations.view(p, orgRef)).id);
    // Newest first, as MISP lists them.
    return list
      .filter((x) => orgId === undefined || x.org_id === orgId)
      .sort((a, b) => Number(b.date_sighting) - Number(a.date_sighting) || Number(b.id) - Number(a.id))
      .map((x) => ({ Sighting: x }));
  };
  for (const url of ['/sightings/list_sightings', '/sightings/list_sightings/:id', '/sightings/list_sightings/:id/:context', '/sightings/list_sightings/:id/:context/:org_id']) {
    app.route({ method: ['GET', 'POST'], url, handler: listSightings });
  }

  app.route({
    method: ['GET', 'POST'],
    url: '/sightings/index',
    handler: async (request) => {
      const p = await ctx.principal(request);
      return (await sightings.list(p, {})).map((s) => ({ Sighting: s }));
    },
  });

  app.route({
    method: ['POST', 'DELETE'],
    url: '/sightings/delete/:id',
    handler: async (request, reply) => {
      const p = await ctx.principal(request);
      await sightings.delete(p, (request.params as { id: string }).id);
      return saved(reply, request, 'Sighting successfully deleted.');
    },
  });

  app.route({
    method: ['GET', 'POST'],
    url: '/sightings/index/:id',
    handler: async (request) => {
      const p = await ctx.principal(request);
      const list = await sightings.list(p, { event: (request.params as { id: string }).id });
      return list.map((s) => ({ Sighting: s }));
    },
  });
}
