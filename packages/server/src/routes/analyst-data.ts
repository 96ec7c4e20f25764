import type { FastifyInstance, FastifyRequest } from 'fastify';
import { analystKind, parseAnalystData, type AnalystIndexFilters, type Principal } from '@waggle/core';
import { bodyOf, isPolicyRecipient, paramsOf, principalOutsidePolicy, saved, type RouteContext } from '../http/context.js';


type Params = { type?: string; id?: string; objectUuid?: string; objectType?: string };

const params = (request: FastifyRequest): Params => request.params as Params;

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** MISP 2.5 analyst data (`analystData/*`, rewritten to `analyst_data/*`): notes, opinions, relationships, as PyMISP calls them. */
export function registerAnalystDataRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { analystData } = ctx.services;
  const principal = async (request: FastifyRequest, kind: string): Promise<Principal> => principalOutsidePolicy(ctx, request, `Invalid ${kind.toLowerCase()}.`);

  for (const url of ['/analyst_data/add/:type', '/analyst_data/add/:type/:objectUuid', '/analyst_data/add/:type/:objectUuid/:objectType']) {
    app.route({
      method: ['POST', 'PUT'],
      url,
      handler: async (request) => {
        const { type, objectUuid, objectType } = params(request);
        const kind = analystKind(type);
        const p = await principal(request, kind);
        // The URL's element is checked like the body's: a UUID and a known type.
        const target = parseAnalystData(kind, { object_uuid: objectUuid, object_type: objectType });
        return analystData.add(p, kind, parseAnalystData(kind, bodyOf(request)), {
          ...(target.object_uuid !== undefined ? { objectUuid: target.object_uuid } : {}),
          ...(target.object_type !== undefined ? { objectType: target.object_type } : {}),
        });
      },
    });
  }

  app.get('/analyst_data/view/:type/:id', async (request) => {
    const kind = analystKind(params(request).type);
    return analystData.view(await principal(request, kind), kind, params(request).id as string);
  });

  app.route({
    method: ['POST', 'PUT'],
    url: '/analyst_data/edit/:type/:id',
    handler: async (request) => {
      const kind = analystKind(params(request).type);
      return analystData.edit(await principal(request, kind), kind, params(request).id as string, parseAnalystData(kind, bodyOf(request)));
    },
  });

  app.route({
    method: ['POST', 'DELETE'],
    url: '/analyst_data/delete/:type/:id',
    handler: async (request, reply) => {
      const kind = analystKind(params(request).type);
      const deleted = await analystData.delete(await principal(request, kind), kind, params(request).id as string);
      return saved(reply, request, `${kind} deleted.`, { id: String(deleted.id) });
    },
  });

  app.route({
    method: ['GET', 'POST'],
    url: '/analyst_data/index/:type',
    handler: async (request) => {
      const kind = analystKind(params(request).type);
      const p = await ctx.principal(request);
      if (isPolicyRecipient(ctx, p)) return [];
      const o = { ...bodyOf(request), ...paramsOf(request) } as Record<string, unknown>;
      const filters: AnalystIndexFilters = {
        ...(text(o.uuid) !== undefined ? { uuid: text(o.uuid) as string } : {}),
        ...(text(o.object_uuid) !== undefined ? { objectUuid: text(o.object_uuid) as string } : {}),
        ...(text(o.object_type) !== undefined ? { objectType: text(o.object_type) as string } : {}),
      };
      return analystData.index(p, kind, filters);
    },
  });
}
