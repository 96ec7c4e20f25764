import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InputError } from '@waggle/errors';
import type { SightingSearch } from '@waggle/core';
import { parseRemoteSighting } from '@waggle/sync';
import { bodyOf, isTruthy, paramsOf, type RouteContext } from '../http/context.js';
import { duration, timeRange } from '../search/parse-filters.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_BULK = 100_000;

/** A list filter: one value or many, as strings. */
function list(v: unknown, field: string): string[] | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const items = Array.isArray(v) ? v : [v];
  return items.map((x, i) => {
    if (typeof x !== 'string' && typeof x !== 'number') throw new InputError(`${field}[${String(i)}] must be a string or a number`, { field });
    return String(x).trim();
  });
}

/** `last`: a duration (`7d`), seconds, or 0 for "all time" (what a sync asks). */
function lastFilter(v: unknown, now: number): number | undefined {
  const s = String(v).trim();
  if (s === '0') return undefined;
  return now - duration(s, 'last');
}

/** Reads MISP's `sightings/restSearch` body (and `/:context` in the path). */
export function parseSightingSearch(body: Record<string, unknown>, pathContext: string | undefined, now: number): SightingSearch {
  const context = body.context ?? pathContext;
  if (context !== undefined && context !== '' && context !== 'event' && context !== 'attribute') throw new InputError('Invalid context.', { field: 'context' });
  const ids = list(body.id, 'id');
  const uuids = list(body.uuid, 'uuid');
  if (context !== undefined && context !== '' && ids === undefined && uuids === undefined) throw new InputError('An ID or UUID must be provided if the context is set.', { field: 'id' });
  for (const id of ids ?? []) if (!/^[0-9]+$/.test(id) && !UUID.test(id)) throw new InputError(`id: "${id.slice(0, 40)}" is not an id`, { field: 'id' });
  for (const uuid of uuids ?? []) if (!UUID.test(uuid)) throw new InputError(`uuid: "${uuid.slice(0, 40)}" is not a UUID`, { field: 'uuid' });
  // MISP: from/to, else last, else the last 30 days of date_sighting; `timestamp` is waggle's alias of from.
  let from: number | undefined;
  let to: number | undefined;
  if (body.from !== undefined || body.to !== undefined) {
    from = timeRange(body.from, 'from', now)?.from;
    to = timeRange(body.to, 'to', now)?.from;
  } else if (body.timestamp !== undefined) {
    const r = timeRange(body.timestamp, 'timestamp', now);
    from = r?.from;
    to = r?.to;
  } else if (body.last !== undefined) from = lastFilter(body.last, now);
  else from = now - 30 * 86_400;
  const orgRefs = list(body.org_id ?? body.org, 'org_id');
  const types = list(body.type, 'type')?.map((t) => {
    if (!['0', '1', '2'].includes(t)) throw new InputError('type must be 0 (sighting), 1 (false positive) or 2 (expiration)', { field: 'type' });
    return Number(t);
  });
  const limit = body.limit === undefined ? undefined : Number(body.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new InputError('limit must be a positive integer', { field: 'limit' });
  const c = context === 'event' || context === 'attribute' ? context : undefined;
  return {
    ...(c !== undefined ? { context: c } : {}),
    ...(ids !== undefined ? { ids: ids.filter((x) => /^[0-9]+$/.test(x)).map(Number) } : {}),
    ...(uuids !== undefined || ids !== undefined ? { uuids: [...(uuids ?? []), ...(ids ?? []).filter((x) => UUID.test(x))] } : {}),
    ...(orgRefs !== undefined ? { orgs: { include: orgRefs.filter((o) => !o.startsWith('!')), exclude: orgRefs.filter((o) => o.startsWith('!')).map((o) => o.slice(1)) } } : {}),
    ...(types !== undefined ? { types } : {}),
    ...(list(body.source, 'source') !== undefined ? { sources: list(body.source, 'source') as string[] } : {}),
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    ...(limit !== undefined ? { limit } : {}),
    includeAttribute: isTruthy(body.includeAttribute),
    includeEvent: isTruthy(body.includeEvent),
    includeUuid: isTruthy(body.includeUuid),
  };
}

/** A JSON array body, or `{"Sighting": [...]}`. */
function arrayBody(request: FastifyRequest, key: string): unknown[] {
  const b = request.body;
  const items = Array.isArray(b) ? b : typeof b === 'object' && b !== null && Array.isArray((b as Record<string, unknown>)[key]) ? ((b as Record<string, unknown>)[key] as unknown[]) : undefined;
  if (items === undefined) throw new InputError(`The body must be a JSON array (or {"${key}": [...]})`, { field: key });
  if (items.length > MAX_BULK) throw new InputError(`At most ${String(MAX_BULK)} entries per request`, { field: key });
  return items;
}

/**
 * The sighting endpoints a MISP peer's sighting sync calls:
 * `sightings/restSearch[/<context>]`, `sightings/bulkSaveSightings[/<event>]`
 * and `sightings/filterSightingUuidsForPush/<event>`.
 */
export function registerSightingExchangeRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { sightings } = ctx.services;

  for (const url of ['/sightings/rest_search', '/sightings/rest_search/:context']) {
    app.route({
      method: ['GET', 'POST'],
      url,
      handler: async (request) => {
        const p = await ctx.principal(request);
        const body = { ...paramsOf(request), ...bodyOf(request) } as Record<string, unknown>;
        const returnFormat = String(body.returnFormat ?? 'json');
        if (returnFormat !== 'json') throw new InputError('Invalid output format: sightings/restSearch answers json only', { field: 'returnFormat' });
        const query = parseSightingSearch(body, (request.params as { context?: string }).context, Math.floor(Date.now() / 1000));
        return { response: (await sightings.search(p, query)).map((s) => ({ Sighting: s })) };
      },
    });
  }

  for (const url of ['/sightings/bulk_save_sightings', '/sightings/bulk_save_sightings/:eventId']) {
    app.post(url, async (request) => {
      const p = await ctx.principal(request);
      const eventId = (request.params as { eventId?: string }).eventId;
      if (eventId !== undefined && !UUID.test(eventId) && !/^[0-9]+$/.test(eventId)) throw new InputError(`Invalid event "${eventId.slice(0, 40)}"`, { field: 'eventId' });
      // Every entry is read before anything is saved: one malformed sighting refuses the request.
      const parsed = arrayBody(request, 'Sighting').map((s, i) => parseRemoteSighting(s, `Sighting[${String(i)}]`, eventId));
      const byEvent = new Map<string, typeof parsed>();
      for (const s of parsed) {
        const key = eventId ?? s.eventUuid;
        byEvent.set(key, [...(byEvent.get(key) ?? []), s]);
      }
      let count = 0;
      for (const [event, list] of byEvent) count += await sightings.bulkSave(p, /^[0-9]+$/.test(event) ? Number(event) : event, list);
      return count > 0 ? { saved: true, success: `${String(count)} sightings added.`, count } : { saved: false, success: 'No sightings added.', count };
    });
  }

  app.post('/sightings/filter_sighting_uuids_for_push/:eventId', async (request) => {
    const p = await ctx.principal(request);
    const eventId = (request.params as { eventId: string }).eventId;
    const uuids = arrayBody(request, 'uuids').map((u, i) => {
      if (typeof u !== 'string' || !UUID.test(u)) throw new InputError(`uuids[${String(i)}] is not a UUID`, { field: `uuids[${String(i)}]` });
      return u.toLowerCase();
    });
    return sightings.existingUuids(p, /^[0-9]+$/.test(eventId) ? Number(eventId) : eventId, uuids);
  });
}
