import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ConflictError, InputError, NotFoundError } from '@waggle/errors';
import { requireSiteAdmin, type Principal } from '@waggle/core';
import type { EventBlocklistRecord, OrgBlocklistRecord } from '@waggle/store';
import { bodyOf, saved, type RouteContext } from '../../http/context.js';
import { adminRoute, pathParam } from '../admin/admin-routing.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Body = Record<string, unknown>;
const isObject = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);

/** MISP's BlockListComponent reads `{request: …}`, `{<Model>: …}` or the bare fields. */
function dataOf(request: FastifyRequest, model: string): Body {
  let data = bodyOf(request);
  if (isObject(data.request)) data = data.request;
  return isObject(data[model]) ? data[model] : data;
}

/** `uuids`: a list, or one string of UUIDs one per line (MISP's form field). */
function uuidsOf(data: Body): unknown[] {
  const raw = data.uuids;
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.trim().split(/\r?\n/).filter((u) => u.trim() !== '') : undefined;
  if (list === undefined || list.length === 0) throw new InputError('Pass a list of uuids via the "uuids" key in the request object.', { field: 'uuids' });
  return list;
}

/** A text field of the body: '' when absent or empty, 400 when not text. */
function textField(data: Body, field: string): string | undefined {
  const v = data[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' && typeof v !== 'number') throw new InputError(`${field} must be text`, { field });
  return String(v);
}

const eventJson = (b: EventBlocklistRecord) => ({ EventBlocklist: { id: String(b.id), event_uuid: b.event_uuid, event_info: b.event_info, event_orgc: b.event_orgc, comment: b.comment, created: String(b.created) } });
const orgJson = (b: OrgBlocklistRecord) => ({ OrgBlocklist: { id: String(b.id), org_uuid: b.org_uuid, org_name: b.org_name, comment: b.comment, created: String(b.created) } });

/**
 * MISP's add: each UUID saved on its own; one that is not a UUID or is already listed is a
 * failure, reported with the others in `{result: {successes, fails}, message}`.
 */
async function addEach(data: Body, block: (uuid: string) => Promise<unknown>): Promise<{ result: { successes: string[]; fails: unknown[] }; message: string }> {
  const successes: string[] = [];
  const fails: unknown[] = [];
  for (const raw of uuidsOf(data)) {
    const uuid = typeof raw === 'string' ? raw.trim() : raw;
    if (typeof uuid !== 'string' || !UUID.test(uuid)) {
      fails.push(uuid);
      continue;
    }
    try {
      await block(uuid);
      successes.push(uuid);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      fails.push(uuid);
    }
  }
  return { result: { successes, fails }, message: `Done. Added ${String(successes.length)} new entries to the blocklist. ${String(fails.length)} entries could not be saved.` };
}

/** The fields an edit changes (those present); the target UUID must stay a UUID. */
function editPatch(data: Body, fields: readonly string[], uuidField: string): Record<string, string> {
  const patch: Record<string, string> = {};
  for (const f of fields) {
    const v = textField(data, f);
    if (v !== undefined) patch[f] = f === uuidField ? v.trim() : v;
  }
  const uuid = patch[uuidField];
  if (uuid !== undefined && !UUID.test(uuid)) throw new InputError('Could not save the blocklist item.', { field: uuidField });
  return patch;
}

/** MISP answers 405 "Could not save the blocklist item." when the edited UUID is listed by another entry. */
async function savedEdit<T>(uuidField: string, save: () => Promise<T>): Promise<T> {
  try {
    return await save();
  } catch (error) {
    if (error instanceof ConflictError) throw new ConflictError('Could not save the blocklist item.', { field: uuidField });
    throw error;
  }
}

function entryOf<T extends { id: number }>(entries: readonly T[], ref: string, uuidOf: (e: T) => string, message: string): T {
  const entry = entries.find((b) => String(b.id) === ref || uuidOf(b) === ref.toLowerCase());
  if (entry === undefined) throw new NotFoundError(message);
  return entry;
}

/** MISP's event and organisation blocklists (eventBlocklists/*, orgBlocklists/*): never created, pulled or accepted again. */
export function registerBlocklistRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const lists = ctx.services.sync.blocklists;
  const admin = async (request: FastifyRequest, action: string): Promise<Principal> => {
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
    const data = dataOf(request, 'EventBlocklist');
    const extra = { event_info: textField(data, 'event_info') ?? '', event_orgc: textField(data, 'event_orgc') ?? '', comment: textField(data, 'comment') ?? '' };
    return addEach(data, (uuid) => lists.blockEvent({ event_uuid: uuid, ...extra, created: now() }));
  });
  adminRoute(app, ['POST', 'PUT'], '/event_blocklists/edit/:id', async (request) => {
    await admin(request, 'change the event blocklist');
    const entry = entryOf(await lists.listEventBlocks(), pathParam(request, 'id'), (b) => b.event_uuid, 'Blocklist item not found.');
    const patch = editPatch(dataOf(request, 'EventBlocklist'), ['event_uuid', 'comment', 'event_info', 'event_orgc'], 'event_uuid');
    return eventJson(await savedEdit('event_uuid', () => lists.updateEventBlock(entry.id, patch)));
  });
  adminRoute(app, ['POST', 'DELETE'], '/event_blocklists/delete/:id', async (request, reply) => {
    await admin(request, 'change the event blocklist');
    const entry = entryOf(await lists.listEventBlocks(), pathParam(request, 'id'), (b) => b.event_uuid, 'Invalid blocklist entry');
    await lists.unblockEvent(entry.event_uuid);
    return saved(reply, request, 'Blocklist entry removed');
  });

  adminRoute(app, ['GET', 'POST'], '/org_blocklists/index', async (request) => {
    await admin(request, 'list the organisation blocklist');
    return (await lists.listOrgBlocks()).map(orgJson);
  });
  adminRoute(app, 'POST', '/org_blocklists/add', async (request) => {
    await admin(request, 'blocklist organisations');
    const data = dataOf(request, 'OrgBlocklist');
    const extra = { org_name: textField(data, 'org_name') ?? '', comment: textField(data, 'comment') ?? '' };
    return addEach(data, (uuid) => lists.blockOrg({ org_uuid: uuid, ...extra, created: now() }));
  });
  adminRoute(app, ['POST', 'PUT'], '/org_blocklists/edit/:id', async (request) => {
    await admin(request, 'change the organisation blocklist');
    const entry = entryOf(await lists.listOrgBlocks(), pathParam(request, 'id'), (b) => b.org_uuid, 'Blocklist item not found.');
    const patch = editPatch(dataOf(request, 'OrgBlocklist'), ['org_uuid', 'comment', 'org_name'], 'org_uuid');
    return orgJson(await savedEdit('org_uuid', () => lists.updateOrgBlock(entry.id, patch)));
  });
  adminRoute(app, ['POST', 'DELETE'], '/org_blocklists/delete/:id', async (request, reply) => {
    await admin(request, 'change the organisation blocklist');
    const entry = entryOf(await lists.listOrgBlocks(), pathParam(request, 'id'), (b) => b.org_uuid, 'Invalid blocklist entry');
    await lists.unblockOrg(entry.org_uuid);
    return saved(reply, request, 'Blocklist entry removed');
  });
}
