import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InputError, NotFoundError } from '@waggle/errors';
import { requireSiteAdmin } from '@waggle/core';
import { bodyOf, saved, type RouteContext } from '../../http/context.js';
import type { IntelService, WarninglistItem } from '../../intel/index.js';
import { warninglistJson } from './intel-json.js';
import { logUpdate } from './taxonomy-routes.js';

const asArray = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/** The values of a checkValue body: a list, one value, `{"value": …}` or `{"Warninglist": …}`. */
export function checkValueInput(body: unknown): string[] {
  let raw: unknown = body;
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const o = raw as Record<string, unknown>;
    raw = o.Warninglist ?? o.value ?? o.values;
    if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) raw = (raw as Record<string, unknown>).value;
  }
  const values = asArray(raw);
  if (values.length === 0) throw new InputError('No value to check: send a list of values, e.g. ["8.8.8.8", "example.com"]', { field: 'value' });
  return values.map((v, i) => {
    if (typeof v !== 'string' && typeof v !== 'number') throw new InputError(`value[${i}] must be a string`, { field: `value[${i}]` });
    return String(v).trim();
  });
}

/** MISP's `WarninglistsController::update` message for what an update did. */
export function warninglistUpdateMessage(changed: number, failed: number): string {
  if (changed === 0 && failed === 0) return 'All warninglists are up to date already.';
  if (changed === 0) return 'Could not update any of the warning lists';
  return `Successfully updated ${changed} warninglists.${failed > 0 ? ` However, could not update ${failed} warninglists.` : ''}`;
}

/** warninglists/*: list, view and checkValue for every user; toggling for site admins. */
export function registerWarninglistRoutes(app: FastifyInstance, ctx: RouteContext, intel: IntelService): void {
  const index = async (request: FastifyRequest) => {
    await ctx.principal(request);
    return { Warninglists: (await intel.warninglists()).items.map((item) => ({ Warninglist: warninglistJson(item) })) };
  };
  app.get('/warninglists', index);
  app.get('/warninglists/index', index);

  app.get('/warninglists/view/:id', async (request) => {
    await ctx.principal(request);
    const item = (await intel.warninglists()).find((request.params as { id: string }).id);
    if (item === undefined) throw new NotFoundError('Invalid warninglist.');
    // Disabled lists are kept without entries; a view reads the one stored document.
    const entries = item.enabled ? item.value.list : await intel.storedWarninglist(item.id);
    const id = String(item.id);
    return {
      Warninglist: warninglistJson(item),
      WarninglistEntry: entries.list.map((value, i) => ({ id: String(i + 1), value, warninglist_id: id, comment: entries.comments?.get(value) ?? null })),
      WarninglistType: entries.matching_attributes.map((type, i) => ({ id: String(i + 1), type, warninglist_id: id })),
    };
  });

  app.post('/warninglists/toggle_enable', async (request, reply) => {
    requireSiteAdmin(await ctx.principal(request), 'enable or disable warninglists');
    const body = bodyOf(request);
    const refs = [...asArray(body.id), ...asArray(body.name)].map(String);
    if (refs.length === 0) throw new InputError('Either id or name is required.', { field: 'id' });
    const catalogue = await intel.warninglists();
    const items = refs.map((ref) => catalogue.find(ref));
    const missing = refs.filter((_, i) => items[i] === undefined);
    if (missing.length > 0) throw new NotFoundError(`Warninglist(s) not found: ${missing.join(', ')}`);
    // MISP's rule: `enabled` given → set it; absent → flip each list.
    const force = body.enabled === undefined ? undefined : body.enabled === true || body.enabled === 1 || body.enabled === '1' || body.enabled === 'true';
    let enabled = 0;
    let disabled = 0;
    for (const item of new Set(items as WarninglistItem[])) {
      const target = force ?? !item.enabled;
      if (target === item.enabled) continue;
      await intel.setEnabled('warninglist', item.id, target);
      if (target) enabled++;
      else disabled++;
    }
    const parts = [enabled > 0 || disabled === 0 ? `${enabled} warninglist(s) enabled` : '', disabled > 0 ? `${disabled} warninglist(s) disabled` : ''].filter((s) => s !== '');
    return saved(reply, request, parts.join(', '));
  });

  app.post('/warninglists/check_value', async (request) => {
    await ctx.principal(request);
    const values = checkValueInput(request.body);
    const catalogue = await intel.warninglists();
    const out: Record<string, { id: string; name: string; matched: string }[]> = {};
    for (const value of values) {
      const hits = catalogue.checkValue(value);
      if (hits.length > 0) out[value] = hits.map((h) => ({ id: h.id ?? '', name: h.list, matched: h.matched }));
    }
    return out;
  });

  // MISP reads its warninglists folder again; here: every folder `waggle data import` read.
  app.post('/warninglists/update', async (request, reply) => {
    requireSiteAdmin(await ctx.principal(request), 'update warninglists');
    const result = await intel.update('warninglists');
    logUpdate(request, 'warninglists', result);
    return saved(reply, request, warninglistUpdateMessage(result.changed, result.failed));
  });
}
