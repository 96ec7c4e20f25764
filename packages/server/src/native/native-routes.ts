import type { FastifyInstance, FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import { parseEvent, type EventIndexFilters, type MispJson, type Principal, type SearchFilters, type ValueFilter } from '@waggle/core';
import type { RouteContext } from '../http/context.js';
import { nativeAttribute, nativeEvent, nativeEventSummary } from './native-json.js';
import { mispAttribute, mispEvent, type NativeAttributeInput, type NativeEventInput } from './native-input.js';
import { NATIVE_SCHEMAS, errorResponses, pageOf } from './native-schemas.js';

/** Where the native API lives. */
export const NATIVE_PREFIX = '/api/v1';
const TAG = 'native';
const MAX_LIMIT = 1000;

interface PageQuery {
  readonly page?: number;
  readonly limit?: number;
}

const pageQuery = {
  page: { type: 'integer', minimum: 1, default: 1 },
  limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 100 },
} as const;

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', description: 'numeric id or UUID' } } } as const;

/** Unix seconds from an ISO 8601 time or a number of seconds. */
function seconds(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (/^\d+$/.test(v)) return Number(v);
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.floor(t / 1000);
}

/** The first row after the page (the store pages by `limit`, so a limit of 1 makes `page` an offset + 1). */
const peek = (q: Required<PageQuery>): { limit: number; page: number } => ({ limit: 1, page: q.page * q.limit + 1 });

function paged<T>(items: T[], q: Required<PageQuery>, more: boolean): { items: T[]; page: number; limit: number; next_page: number | null } {
  return { items, page: q.page, limit: q.limit, next_page: more ? q.page + 1 : null };
}

async function collect<T>(batches: AsyncIterable<readonly T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const batch of batches) out.push(...batch);
  return out;
}

/**
 * waggle's native JSON API under `/api/v1`, described by an OpenAPI 3 document
 * at `/api/v1/openapi.json`. It reads and writes through the same use cases as
 * the MISP API (same validation, access rules, transactions and event stream)
 * with typed JSON: numbers, booleans, ISO 8601 times, lists named in plural,
 * `next_page` paging. Authentication: the same API keys, raw or as `Bearer`.
 */
export function registerNativeRoutes(root: FastifyInstance, ctx: RouteContext, version: string): void {
  // Shared schemas live on the root so the OpenAPI document lists them as components.
  for (const schema of NATIVE_SCHEMAS) root.addSchema(schema);
  void root.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'waggle native API', version, description: 'Typed JSON API of waggle. The MISP-compatible API (PyMISP) is served beside it at the root paths.' },
      servers: [{ url: '/' }],
      components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'a waggle/MISP API key (40 characters), raw or as "Bearer <key>"' } } },
      security: [{ apiKey: [] }],
    },
    hideUntagged: true,
    // Components keep their schema ids (NativeEvent, …) instead of def-0, def-1.
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${String(i)}`) },
  });
  // Registered after swagger, so its route hook sees every native route.
  void root.register(async (app) => {
    nativeRoutes(app, ctx, () => root.swagger());
  });
}

function nativeRoutes(app: FastifyInstance, ctx: RouteContext, openapi: () => unknown): void {
  const { events, attributes, sightings } = ctx.services;
  const principal = (request: FastifyRequest): Promise<Principal> => ctx.principal(request);
  const view = async (p: Principal, ref: string): Promise<MispJson> => events.view(p, ref, { includeCorrelations: true });

  app.get(`${NATIVE_PREFIX}/openapi.json`, { schema: { hide: true } }, async () => openapi());

  app.get(`${NATIVE_PREFIX}/me`, {
    schema: {
      tags: [TAG],
      summary: 'The caller: user, organisation and permissions',
      response: {
        200: {
          type: 'object',
          properties: {
            user: { type: 'object', properties: { id: { type: 'integer' }, email: { type: 'string' } } },
            organisation: { type: 'object', properties: { id: { type: 'integer' }, uuid: { type: 'string' }, name: { type: 'string' } } },
            role: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' }, permissions: { type: 'array', items: { type: 'string' } } } },
            read_only: { type: 'boolean' },
          },
        },
        ...errorResponses,
      },
    },
  }, async (request) => {
    const p = await principal(request);
    const permissions = Object.entries(p.role).filter(([k, v]) => k.startsWith('perm_') && v === true).map(([k]) => k.slice(5));
    return { user: { id: p.user.id, email: p.user.email }, organisation: { id: p.org.id, uuid: p.org.uuid, name: p.org.name }, role: { id: p.role.id, name: p.role.name, permissions }, read_only: p.readOnly };
  });

  app.get<{ Querystring: PageQuery & { published?: boolean; tag?: string; org?: string; info?: string; since?: string } }>(`${NATIVE_PREFIX}/events`, {
    schema: {
      tags: [TAG],
      summary: 'List events the caller may see, newest change first',
      querystring: {
        type: 'object',
        properties: {
          ...pageQuery,
          published: { type: 'boolean' },
          tag: { type: 'string', description: 'only events with this tag' },
          org: { type: 'string', description: 'creator organisation name or UUID' },
          info: { type: 'string', description: 'substring of the event title' },
          since: { type: 'string', description: 'changed at or after this time (ISO 8601 or Unix seconds)' },
        },
      },
      response: { 200: pageOf('NativeEventSummary'), ...errorResponses },
    },
  }, async (request) => {
    const p = await principal(request);
    const q = request.query;
    const page = { page: q.page ?? 1, limit: q.limit ?? 100 };
    const since = seconds(q.since);
    const filters: EventIndexFilters = {
      sort: 'timestamp',
      direction: 'desc',
      ...(q.published !== undefined ? { published: q.published } : {}),
      ...(q.tag !== undefined ? { tags: { and: [], or: [q.tag], not: [] } } : {}),
      ...(q.org !== undefined ? { org: { include: [q.org], exclude: [] } } : {}),
      ...(q.info !== undefined ? { eventInfo: `%${q.info}%` } : {}),
      ...(since !== undefined ? { eventTimestampFrom: since } : {}),
    };
    const rows = await events.index(p, { ...filters, ...page });
    const more = rows.length === page.limit && (await events.index(p, { ...filters, ...peek(page) })).length > 0;
    return paged(rows.map(nativeEventSummary), page, more);
  });

  app.post<{ Body: NativeEventInput }>(`${NATIVE_PREFIX}/events`, {
    schema: { tags: [TAG], summary: 'Create an event with its attributes, objects and tags (one transaction)', body: { $ref: 'NativeEventInput#' }, response: { 201: { $ref: 'NativeEvent#' }, ...errorResponses, 409: { $ref: 'NativeError#' } } },
  }, async (request, reply) => {
    const p = await principal(request);
    const added = await events.add(p, parseEvent(mispEvent(request.body)));
    return reply.status(201).send(nativeEvent(await view(p, String(added.uuid))));
  });

  app.get<{ Params: { id: string } }>(`${NATIVE_PREFIX}/events/:id`, {
    schema: { tags: [TAG], summary: 'One event with attributes, objects, galaxy clusters and related events', params: idParams, response: { 200: { $ref: 'NativeEvent#' }, ...errorResponses } },
  }, async (request) => nativeEvent(await view(await principal(request), request.params.id)));

  app.delete<{ Params: { id: string } }>(`${NATIVE_PREFIX}/events/:id`, {
    schema: { tags: [TAG], summary: 'Delete an event and everything in it', params: idParams, response: { 204: { type: 'null' }, ...errorResponses } },
  }, async (request, reply) => {
    await events.delete(await principal(request), request.params.id);
    return reply.status(204).send();
  });

  for (const [action, published] of [['publish', true], ['unpublish', false]] as const) {
    app.post<{ Params: { id: string } }>(`${NATIVE_PREFIX}/events/:id/${action}`, {
      schema: { tags: [TAG], summary: `${action === 'publish' ? 'Publish' : 'Unpublish'} an event`, params: idParams, response: { 200: { $ref: 'NativeEventSummary#' }, ...errorResponses } },
    }, async (request) => {
      const p = await principal(request);
      await events.setPublished(p, request.params.id, published);
      return nativeEventSummary(await view(p, request.params.id));
    });
  }

  app.post<{ Params: { id: string }; Body: { attributes: NativeAttributeInput[] } }>(`${NATIVE_PREFIX}/events/:id/attributes`, {
    schema: {
      tags: [TAG],
      summary: 'Add attributes to an event (all or none)',
      params: idParams,
      body: { type: 'object', additionalProperties: false, required: ['attributes'], properties: { attributes: { type: 'array', minItems: 1, items: { $ref: 'NativeAttributeInput#' } } } },
      response: { 201: { type: 'object', properties: { items: { type: 'array', items: { $ref: 'NativeAttribute#' } } } }, ...errorResponses },
    },
  }, async (request, reply) => {
    const p = await principal(request);
    const parsed = parseEvent({ Event: { info: '-', Attribute: request.body.attributes.map((a) => mispAttribute(a)) } });
    const added = await attributes.add(p, request.params.id, parsed.attributes);
    return reply.status(201).send({ items: added.map(nativeAttribute) });
  });

  app.get<{ Querystring: PageQuery & { value?: string; type?: string; category?: string; tag?: string; event?: string; to_ids?: boolean; since?: string } }>(`${NATIVE_PREFIX}/attributes`, {
    schema: {
      tags: [TAG],
      summary: 'Search attributes the caller may see, in id order',
      querystring: {
        type: 'object',
        properties: {
          ...pageQuery,
          value: { type: 'string', description: 'exact value, or a pattern with % wildcards' },
          type: { type: 'string' },
          category: { type: 'string' },
          tag: { type: 'string' },
          event: { type: 'string', description: 'event id or UUID' },
          to_ids: { type: 'boolean' },
          since: { type: 'string', description: 'changed at or after this time (ISO 8601 or Unix seconds)' },
        },
      },
      response: { 200: pageOf('NativeAttribute'), ...errorResponses },
    },
  }, async (request) => {
    const p = await principal(request);
    const q = request.query;
    const page = { page: q.page ?? 1, limit: q.limit ?? 100 };
    const since = seconds(q.since);
    const one = (v: string): ValueFilter => ({ include: [v], exclude: [] });
    let eventIds: number[] | undefined;
    if (q.event !== undefined) eventIds = [Number((await events.view(p, q.event, { metadata: true, includeCorrelations: false })).id)];
    const filters: SearchFilters = {
      ...(q.value !== undefined ? { value: one(q.value) } : {}),
      ...(q.type !== undefined ? { type: one(q.type) } : {}),
      ...(q.category !== undefined ? { category: one(q.category) } : {}),
      ...(q.tag !== undefined ? { tags: { and: [], or: [q.tag], not: [] } } : {}),
      ...(eventIds !== undefined ? { eventIds } : {}),
      ...(q.to_ids !== undefined ? { toIds: q.to_ids } : {}),
      ...(since !== undefined ? { timestampFrom: since } : {}),
    };
    const rows = await collect(attributes.search(p, { ...filters, ...page }, { includeEventTags: false }));
    const more = rows.length === page.limit && (await collect(attributes.searchRecords(p, { ...filters, ...peek(page) }, 1))).length > 0;
    return paged(rows.map(nativeAttribute), page, more);
  });

  app.post<{ Body: { value?: string; attribute?: string; source?: string; type?: 'sighting' | 'false-positive' | 'expiration'; time?: string } }>(`${NATIVE_PREFIX}/sightings`, {
    schema: {
      tags: [TAG],
      summary: 'Report a sighting of one attribute (by id or UUID) or of every visible attribute with a value',
      body: {
        type: 'object',
        additionalProperties: false,
        properties: {
          value: { type: 'string', minLength: 1 },
          attribute: { type: 'string', minLength: 1 },
          source: { type: 'string' },
          type: { type: 'string', enum: ['sighting', 'false-positive', 'expiration'], default: 'sighting' },
          time: { type: 'string', description: 'when it was seen (ISO 8601 or Unix seconds; default now)' },
        },
      },
      response: {
        201: { type: 'object', properties: { items: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' }, uuid: { type: 'string' }, attribute_id: { type: 'integer' }, event_id: { type: 'integer' }, type: { type: 'string' }, source: { type: 'string' }, date: { type: 'string' } } } } } },
        ...errorResponses,
      },
    },
  }, async (request, reply) => {
    const p = await principal(request);
    const b = request.body;
    const time = seconds(b.time);
    const kind = ['sighting', 'false-positive', 'expiration'].indexOf(b.type ?? 'sighting');
    const added = await sightings.add(p, {
      ...(b.attribute !== undefined ? { attribute: b.attribute } : {}),
      ...(b.value !== undefined ? { value: b.value } : {}),
      ...(b.source !== undefined ? { source: b.source } : {}),
      ...(time !== undefined ? { timestamp: time } : {}),
      type: kind,
    });
    const items = added.map((s) => ({
      id: Number(s.id),
      uuid: String(s.uuid),
      attribute_id: Number(s.attribute_id),
      event_id: Number(s.event_id),
      type: ['sighting', 'false-positive', 'expiration'][Number(s.type)] ?? 'sighting',
      source: String(s.source ?? ''),
      date: new Date(Number(s.date_sighting) * 1000).toISOString(),
    }));
    return reply.status(201).send({ items });
  });
}
