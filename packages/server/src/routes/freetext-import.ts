import type { FastifyInstance } from 'fastify';
import { InputError } from '@waggle/errors';
import type { MispJson } from '@waggle/core';
import { extractIndicators, type ExtractedIndicator } from '@waggle/feeds';
import { categoriesForType } from '@waggle/misp';
import { bodyOf, isTruthy, type RouteContext } from '../http/context.js';
import { addList } from './attributes.js';

/** MISP's `adhereToWarninglists`: off, drop the values on an enabled warninglist, or keep them with `to_ids` off (`soft`). */
type Adherence = 'off' | 'drop' | 'soft';

function adherence(raw: unknown): Adherence {
  if (raw === undefined || raw === null || raw === false || raw === 0 || raw === '0' || raw === 'false' || raw === '') return 'off';
  if (raw === true || raw === 1 || raw === '1' || raw === 'true') return 'drop';
  if (raw === 'soft') return 'soft';
  throw new InputError('adhereToWarninglists can only be false, true or soft', { field: 'adhereToWarninglists' });
}

/** The other types MISP's freetext tool offers for a value, beside the one it picked. */
const ALTERNATIVES: Readonly<Record<string, readonly string[]>> = {
  'ip-dst': ['ip-src'],
  'ip-dst|port': ['ip-src|port'],
  'email-src': ['email-dst', 'email'],
  hostname: ['domain'],
  url: ['link'],
};

/** `returnMetaAttributes`: what was found, with the types and categories a user may choose from; nothing is saved. */
function metaAttribute(i: ExtractedIndicator): MispJson {
  const types = [i.type, ...(ALTERNATIVES[i.type] ?? [])];
  return {
    value: i.value,
    default_type: i.type,
    default_category: i.category,
    types: Object.fromEntries(types.map((t) => [t, categoriesForType(t)])),
    to_ids: i.to_ids,
    comment: i.comment ?? '',
  };
}

/**
 * `POST /events/freeTextImport/{id}` (PyMISP `freetext`): finds the indicators in a text (the
 * feeds package's extractor: IPs, hosts, URLs, hashes, e-mail addresses, CVEs… refanged) and adds
 * them to the event as attributes, in the request. Values on an enabled warninglist are dropped
 * (`adhereToWarninglists: true`) or kept without `to_ids` (`soft`). The answer lists every value
 * found, with `saved` telling whether it is now in the event (and, when saved, its id and UUID).
 * MISP may queue the work in the background; waggle always answers with the outcome
 * (`disable_background_processing` is accepted and changes nothing).
 */
export function registerFreetextImportRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.post('/events/free_text_import/:id', async (request) => {
    const p = await ctx.principal(request);
    const eventRef = (request.params as { id: string }).id;
    const outer = bodyOf(request);
    const body = (typeof outer.request === 'object' && outer.request !== null ? outer.request : outer) as Record<string, unknown>;
    const text = body.value ?? '';
    if (typeof text !== 'string') throw new InputError('value must be the text to import', { field: 'value' });
    const adhere = adherence(body.adhereToWarninglists);
    const distribution = body.distribution;
    if (distribution !== undefined && distribution !== null && !/^[0-5]$/.test(String(distribution))) {
      throw new InputError('distribution must be 0 to 5', { field: 'distribution' });
    }
    const found = extractIndicators(text);
    if (isTruthy(body.returnMetaAttributes)) {
      await ctx.services.events.view(p, eventRef); // the event must exist and be visible, as for a save
      return found.map(metaAttribute);
    }
    const matcher = adhere === 'off' ? undefined : (await ctx.services.intel.warninglists()).matcher;
    const rows = found.map((i) => {
      const hits = matcher?.match(i.type, i.value) ?? [];
      const attribute = {
        type: i.type,
        category: i.category,
        value: i.value,
        to_ids: adhere === 'soft' && hits.length > 0 ? false : i.to_ids,
        comment: i.comment ?? '',
        ...(distribution === undefined || distribution === null ? {} : { distribution: String(distribution) }),
      };
      return { attribute, hits, keep: !(adhere === 'drop' && hits.length > 0) };
    });
    const kept = rows.filter((r) => r.keep);
    const outcome = kept.length === 0 ? { saved: [], errors: {} } : await addList(ctx, p, eventRef, kept.map((r) => r.attribute), { breakOnDuplicate: true });
    // addList saves the error-free entries in order and reports the others by index.
    const savedByRow = new Map<number, MispJson>();
    let next = 0;
    kept.forEach((r, index) => {
      if (outcome.errors[`attribute_${String(index)}`] !== undefined) return;
      const saved = outcome.saved[next++];
      if (saved !== undefined) savedByRow.set(rows.indexOf(r), saved);
    });
    return rows.map((r, index) => {
      const saved = savedByRow.get(index);
      const keptIndex = kept.indexOf(r);
      const errors = keptIndex < 0 ? undefined : outcome.errors[`attribute_${String(keptIndex)}`];
      return {
        ...r.attribute,
        to_ids: saved?.to_ids ?? r.attribute.to_ids,
        ...(saved === undefined ? {} : { id: saved.id, uuid: saved.uuid, event_id: saved.event_id, distribution: saved.distribution }),
        saved: saved !== undefined,
        ...(r.hits.length > 0 ? { warninglist_hits: r.hits.map((h) => h.list) } : {}),
        ...(errors === undefined ? {} : { errors }),
      };
    });
  });
}
