import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EVENT_SORT_COLUMNS, compact, optTimestamp, parseEvent, type EventIndexFilters, type EventSortColumn, type MispJson, type Principal } from '@waggle/core';
import { downgradeOnReceive, type MispEventJson } from '@waggle/sync';
import { bodyOf, isPolicyRecipient, isTruthy, paramsOf, saved, type RouteContext } from '../http/context.js';
import { sendJson, sendJsonText } from '../http/json-reply.js';
import { negatableIntList, negatableParts, nonEmpty, parseSearch } from '../search/parse-filters.js';
import { sendSearch } from '../search/send-search.js';
import { reputationQuery } from './reputation-provenance.js';
import { decorateEventView } from '../intel/index.js';
import { addCustomClusterGalaxies } from '../intel/custom-galaxies.js';

/** MISP's `deleted` view option: 1/true = live and deleted attributes. */
function includeDeleted(v: unknown): boolean {
  return v !== undefined && v !== null && v !== false && v !== 0 && v !== '0' && v !== '';
}

/**
 * An event body as stored: from a sync user (another instance pushing), MISP's
 * receive rules apply first (connected communities become this community,
 * local tags never arrive).
 */
async function received(ctx: RouteContext, p: Principal, body: unknown): Promise<{ input: ReturnType<typeof parseEvent>; principal: Principal; synced?: Record<string, unknown> }> {
  if (!p.role.perm_sync || p.role.perm_site_admin || typeof body !== 'object' || body === null) return { input: parseEvent(body), principal: p };
  const down = downgradeOnReceive(body as MispEventJson) as Record<string, unknown>;
  const ev = (typeof down.Event === 'object' && down.Event !== null ? down.Event : down) as Record<string, unknown>;
  // Sharing groups arrive as blocks; they become local groups first (MISP's captureSG).
  const { event, principal } = await ctx.services.sync.captureSharingGroups(p, ev);
  return { input: parseEvent({ Event: event }), principal, synced: event };
}

/** MISP's `minimal` events/index row: what a sync needs to decide what to fetch. */
function minimalRow(row: MispJson): MispJson {
  const orgc = row.Orgc as { uuid?: unknown } | undefined;
  return { id: row.id, timestamp: row.timestamp, sighting_timestamp: row.sighting_timestamp, published: row.published, uuid: row.uuid, orgc_uuid: orgc?.uuid };
}

/** Event endpoints: add, view, edit, delete, publish, index, restSearch. */
export function registerEventRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { events } = ctx.services;

  app.post('/events/add', async (request, reply) => {
    const p = await ctx.principal(request);
    const params = paramsOf(request);
    const r = await received(ctx, p, request.body);
    // The event's JSON text is made once, for the bus and for this answer.
    const added = await events.addAsText(r.principal, r.input, { metadata: isTruthy(params.metadata) });
    // Sightings pushed by another instance ride inside the attributes.
    if (r.synced !== undefined) await ctx.services.sync.captureSightings(r.principal, r.synced);
    if (r.synced !== undefined) await ctx.services.sync.recordReceived(p, request.body, String(added.event.uuid), 'created');
    return sendJsonText(reply, `{"Event":${added.text}}`);
  });

  app.route({
    method: ['GET', 'POST'],
    url: '/events/view/:id',
    handler: async (request, reply) => {
      const p = await ctx.principal(request);
      const o = { ...paramsOf(request), ...bodyOf(request) };
      // MISP's `includeEventCorrelations: 0` (a sync's view) leaves RelatedEvent/RelatedAttribute out.
      const correlations = o.includeEventCorrelations === undefined || isTruthy(o.includeEventCorrelations);
      // MISP 2.5's `includeAnalystData`; recipients under an anonymisation policy get none (free text).
      const analystData = isTruthy(o.includeAnalystData) && !isPolicyRecipient(ctx, p);
      const event = await events.view(p, String(o.id), { includeDeleted: includeDeleted(o.deleted), includeSightings: isTruthy(o.includeSightings), includeCorrelations: correlations, includeAnalystData: analystData });
      await decorateEventView(ctx.services.intel, event, isTruthy(o.includeWarninglistHits));
      if (!isTruthy(o.excludeGalaxy)) await addCustomClusterGalaxies(ctx.services.galaxyClusters, p, event);
      if (isTruthy(o.includeFeedCorrelations)) await ctx.services.feeds.attachFeedHits(p, event);
      // waggle: the creator organisation's reputation (ADR 0015), not for recipients of the anonymisation policy.
      if (isTruthy(o.includeSourceReputation) && !isPolicyRecipient(ctx, p)) {
        event.SourceReputation = (await ctx.services.reputation.view(p, String(event.orgc_id), reputationQuery(o))).Reputation;
      }
      const answer = { Event: event };
      // Another instance pulling (a sync user): the provenance log records what it was given (ADR 0015).
      if (p.role.perm_sync && !p.role.perm_site_admin) await ctx.services.sync.recordServed(p, answer, String(event.uuid));
      return sendJson(reply, answer);
    },
  });

  app.head('/events/view/:id', async (request, reply) => {
    const p = await ctx.principal(request);
    const ok = await events.exists(p, (request.params as { id: string }).id);
    return reply.status(ok ? 200 : 404).send();
  });

  app.route({
    method: ['POST', 'PUT'],
    url: '/events/edit/:id',
    handler: async (request, reply) => {
      const p = await ctx.principal(request);
      const params = paramsOf(request);
      const r = await received(ctx, p, request.body);
      // Before the edit: a copy that is not newer is refused, yet its new sightings count.
      if (r.synced !== undefined) await ctx.services.sync.captureSightings(r.principal, r.synced);
      const edited = await events.edit(r.principal, String(params.id), r.input, { metadata: isTruthy(params.metadata) });
      if (r.synced !== undefined) await ctx.services.sync.recordReceived(p, request.body, String(edited.uuid), 'updated');
      return sendJson(reply, { Event: edited });
    },
  });

  app.route({
    method: ['POST', 'DELETE'],
    url: '/events/delete/:id',
    handler: async (request, reply) => {
      const p = await ctx.principal(request);
      const e = await events.delete(p, (request.params as { id: string }).id);
      return saved(reply, request, 'Event deleted.', { id: String(e.id) });
    },
  });

  const publish = (published: boolean, message: string) => async (request: FastifyRequest, reply: FastifyReply) => {
    const p = await ctx.principal(request);
    const e = await events.setPublished(p, (request.params as { id: string }).id, published);
    return saved(reply, request, message, { id: String(e.id) });
  };
  app.post('/events/publish/:id', publish(true, 'Event published.'));
  app.post('/events/alert/:id', publish(true, 'Event published.'));
  app.post('/events/unpublish/:id', publish(false, 'Event unpublished.'));

  // PyMISP's push_event_to_ZMQ: the event published again on the event stream (MISP's ZeroMQ `misp_json`).
  app.post('/events/push_event_to_zmq/:id', async (request, reply) => {
    const p = await ctx.principal(request);
    const e = await events.republish(p, (request.params as { id: string }).id);
    return saved(reply, request, 'Event published to ZMQ', { url: `/events/pushEventToZMQ/${String(e.id)}`, id: String(e.id) });
  });

  app.route({
    method: ['GET', 'POST'],
    url: '/events/index',
    handler: async (request, reply) => {
      const p = await ctx.principal(request);
      const body = { ...paramsOf(request), ...bodyOf(request) } as Record<string, unknown>;
      // events/index names some filters differently from restSearch.
      const mapped: Record<string, unknown> = {
        ...body,
        eventinfo: body.eventinfo ?? body.info,
        from: body.datefrom ?? body.from,
        to: body.dateuntil ?? body.to,
        timestamp: undefined,
        event_timestamp: body.timestamp ?? body.event_timestamp,
        publish_timestamp: body.publish_timestamp ?? body.publishtimestamp,
        tags: body.tags ?? body.tag,
        eventid: body.eventid ?? body.id,
        // search_index's `attribute` and `all` match parts of values (MISP wraps them in %…%);
        // `all` also looks in the info, tags and comments (MISP's searchall).
        value: body.value ?? substrings(body.attribute),
        searchall: typeof (body.searchall ?? body.all) === 'string' ? wrapPart(String(body.searchall ?? body.all)) : (body.searchall ?? body.all),
      };
      const { filters } = parseSearch(mapped, Math.floor(Date.now() / 1000));
      const threatLevel = negatableIntList(body.threatlevel ?? body.threat_level_id, 'threatlevel');
      const analysis = negatableIntList(body.analysis, 'analysis');
      const distribution = negatableIntList(body.distribution, 'distribution');
      const sightingFrom = optTimestamp(body.sighting_timestamp, 'sighting_timestamp');
      const creatorEmail = emailFilter(body.email, p.viewer.siteAdmin, p.user.email);
      // MISP: 1 = with a pending proposal, 0 = without, 2 (or nothing) = either.
      const hasProposal = body.hasproposal === undefined || body.hasproposal === null || body.hasproposal === '' || String(body.hasproposal) === '2' ? undefined : isTruthy(body.hasproposal);
      const indexFilters: EventIndexFilters = {
        ...filters,
        ...compact({
          threatLevelIds: nonEmpty(threatLevel?.include), excludeThreatLevelIds: nonEmpty(threatLevel?.exclude),
          analysis: nonEmpty(analysis?.include), excludeAnalysis: nonEmpty(analysis?.exclude),
          distribution: nonEmpty(distribution?.include), excludeDistribution: nonEmpty(distribution?.exclude),
        }),
        ...(sightingFrom !== undefined ? { sightingTimestampFrom: sightingFrom } : {}),
        ...(creatorEmail !== undefined ? { creatorEmail } : {}),
        ...(hasProposal !== undefined ? { hasProposal } : {}),
        // MISP's minimal index leaves out events with neither an attribute nor a live event report.
        ...(isTruthy(body.minimal) ? { withContent: true } : {}),
        ...sortOf(body),
      };
      const rows: MispJson[] = await events.index(p, indexFilters);
      // MISP counts every matching event, not only the page's.
      const total = indexFilters.limit === undefined ? rows.length : await events.indexTotal(p, indexFilters);
      void reply.header('x-result-count', String(total));
      return isTruthy(body.minimal) ? rows.map(minimalRow) : rows;
    },
  });

  app.route({
    method: ['GET', 'POST'],
    url: '/events/rest_search',
    handler: async (request, reply) => sendSearch(ctx, request, reply, 'events'),
  });
  app.route({
    method: ['GET', 'POST'],
    url: '/events/rest_search/:format',
    handler: async (request, reply) => sendSearch(ctx, request, reply, 'events'),
  });
}

/**
 * search_index's `email`: `a@x|!b@y`, parts matched as substrings of the creator's e-mail.
 * As in MISP, only site admins may name other users; anyone else's filter is ignored
 * unless it is exactly their own address.
 */
function emailFilter(v: unknown, siteAdmin: boolean, ownEmail: string): { include: string[]; exclude: string[] } | undefined {
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  if (!siteAdmin && v.trim().toLowerCase() !== ownEmail.toLowerCase()) return undefined;
  const parts = negatableParts(v);
  return parts.include.length === 0 && parts.exclude.length === 0 ? undefined : parts;
}

/** MISP's index reads `attribute` and `all` as parts: `a|!b` becomes `%a%` and `!%b%` (a `%` given by the client is kept). */
function substrings(v: unknown): unknown {
  if (typeof v !== 'string' || v.trim() === '') return v;
  const { include, exclude } = negatableParts(v);
  const out = [...include.map(wrapPart), ...exclude.map((x) => `!${wrapPart(x)}`)];
  return out.length === 1 ? out[0] : out;
}

function wrapPart(x: string): string {
  return x === '' || x.includes('%') ? x : `%${x.trim()}%`;
}

/**
 * search_index's `sort` (any event column, optionally `Event.`-prefixed) and `direction`. As in MISP, a
 * sort column without a direction is ascending; without `sort`, the newest change comes first.
 */
function sortOf(body: Record<string, unknown>): { sort?: EventSortColumn; direction?: 'asc' | 'desc' } {
  const column = typeof body.sort === 'string' ? body.sort.replace(/^Event\./i, '').toLowerCase() : undefined;
  const sort = EVENT_SORT_COLUMNS.find((c) => c === column);
  const direction = body.direction === undefined || body.direction === null || body.direction === '' ? (sort !== undefined ? 'asc' : undefined) : String(body.direction).toLowerCase() === 'asc' ? 'asc' : 'desc';
  return { ...(sort !== undefined ? { sort } : {}), ...(direction !== undefined ? { direction } : {}) };
}
