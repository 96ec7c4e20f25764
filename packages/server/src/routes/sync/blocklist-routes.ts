import type { FastifyInstance } from 'fastify';
import { InputError, NotFoundError } from '@waggle/errors';
import { requireSiteAdmin, type Principal } from '@waggle/core';
import type { EventBlocklistRecord, OrgBlocklistRecord } from '@waggle/store';
import { bodyOf, saved, type RouteContext } from '../../http/context.js';
import { adminRoute, pathParam } from '../admin/admin-routing.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuidsOf(body: Record<string, unknown>): string[] {
  const raw = body.uuids ?? body.uuid;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (list.length === 0) throw new InputError('uuids is required', { field: 'uuids' });
  return list.map((u, i) => {
    if (typeof u !== 'string' || !UUID.test(u.trim())) throw new InputError(`uuids[${String(i)}] is not a UUID`, { field: `uuids[${String(i)}]` });
    return u.trim().toLowerCase();
  });
}

const eventJson = (b: EventBlocklistRecord) => ({ EventBlocklist: { id: String(b.id), event_uuid: b.event_uuid, event_info: b.event_info, event_orgc: b.event_orgc, comment: b.comment, created: String(b.created) } });
const orgJson = (b: OrgBlocklistRecord) => ({ OrgBlocklist: { id: String(b.id), org_uuid: b.org_uuid, org_name: b.org_name, comment: b.comment, created: String(b.created) } });
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** MISP's event and organisation blocklists (eventBlocklists/*, orgBlocklists/*): never pulled or accepted again. */
export function registerBlocklistRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const lists = ctx.services.sync.blocklists;
  const admin = async (request: Parameters<typeof ctx.principal>[0], action: string): Promise<Principal> => {
    const p = await ctx.principal(request);
    requireSiteAdmin(p, action);
    return p;
  };
  const now = (): number => Math.floor(Date.now() / 1000);

  adminRoute(app, ['GET', 'POST'], '/event_blocklists/index', async (request) => {
    await admin(request, 'list the event blocklist');
    return (await lists.listEventBlocks()).map(eventJson);
  });
  adminRoute(app, 'POST', '/event_blocklists/add', async (request) => {
    await admin(request, 'blocklist events');
    const body = bodyOf(request);
    const added = [];
    for (const uuid of uuidsOf(body)) {
      added.push(eventJson(await lists.blockEvent({ event_uuid: uuid, event_info: text(body.event_info ?? body.Event_info), event_orgc: text(body.event_orgc ?? body.Event_orgc), comment: text(body.comment), created: now() })));
    }
    return { saved: true, success: true, message: `${String(added.length)} event(s) blocklisted.`, EventBlocklist: added.map((a) => a.EventBlocklist) };
  });
  adminRoute(app, ['POST', 'DELETE'], '/event_blocklists/delete/:id', async (request, reply) => {
    await admin(request, 'change the event blocklist');
    const ref = pathParam(request, 'id');
    const entry = (await lists.listEventBlocks()).find((b) => String(b.id) === ref || b.event_uuid === ref.toLowerCase());
    if (entry === undefined) throw new NotFoundError('Invalid blocklist entry');
    await lists.unblockEvent(entry.event_uuid);
    return saved(reply, request, 'Blocklist entry removed');
  });

  adminRoute(app, ['GET', 'POST'], '/org_blocklists/index', async (request) => {
    await admin(request, 'list the organisation blocklist');
    return (await lists.listOrgBlocks()).map(orgJson);
  });
  adminRoute(app, 'POST', '/org_blocklists/add', async (request) => {
    await admin(request, 'blocklist organisations');
    const body = bodyOf(request);
    const added = [];
    for (const uuid of uuidsOf(body)) {
      added.push(orgJson(await lists.blockOrg({ org_uuid: uuid, org_name: text(body.org_name), comment: text(body.comment), created: now() })));
    }
    return { saved: true, success: true, message: `${String(added.length)} organisation(s) blocklisted.`, OrgBlocklist: added.map((a) => a.OrgBlocklist) };
  });
  adminRoute(app, ['POST', 'DELETE'], '/org_blocklists/delete/:id', async (request, reply) => {
    await admin(request, 'change the organisation blocklist');
    const ref = pathParam(request, 'id');
    const entry = (await lists.listOrgBlocks()).find((b) => String(b.id) === ref || b.org_uuid === ref.toLowerCase());
    if (entry === undefined) throw new NotFoundError('Invalid blocklist entry');
    await lists.unblockOrg(entry.org_uuid);
    return saved(reply, request, 'Blocklist entry removed');
  });
}
