import { deleteAnalystDataOn } from './analyst-data-access.js';
import { ForbiddenError, InputError } from '@waggle/errors';
import type { Principal } from '../access/principal.js';
import { canModifyEvent } from '../access/permissions.js';
import type { AttributeInput } from '../input/inputs.js';
import type { AttributeRecord, EventRecord } from '../model/records.js';
import type { SearchFilters } from '../ports/queries.js';
import type { Ref, Repositories } from '../ports/store.js';
import { attributeJson, attributeValue, groupByTarget, groupTags, sightingJson, tagJson, type MispJson } from '../views/misp-json.js';
import { orgMap } from '../views/event-view.js';
import { attachmentDataOf } from '../views/attribute-data.js';
import { canSeeSighting } from '../access/sighting-policy.js';
import { audit } from './audit.js';
import { publishAll, type CoreDeps, type Outgoing } from './deps.js';
import { updateAttributeFrom } from './event-sync.js';
import { writeAttributes, type WriteContext } from './event-writer.js';
import { createTagResolver } from './tag-resolver.js';
import { visibleAttribute, visibleEvent } from './visible.js';

/** MISP's words on attributes/add|edit|delete: PyMISP retries as a proposal on exactly this 403 message. */
const NO_PERMISSION = 'You do not have permission to do that.';

/** Extra content for attribute search results. */
export interface AttributeSearchOptions {
  readonly includeCorrelations?: boolean;
  readonly includeEventUuid?: boolean;
  readonly includeEventTags?: boolean;
  readonly includeSightings?: boolean;
  readonly batchSize?: number;
}

/** Marks the event as changed: new timestamp, unpublished (as MISP does on every content change). */
export async function touchEvent(repos: Repositories, event: EventRecord, now: number): Promise<void> {
  await repos.updateEvent(event.id, { timestamp: Math.max(now, event.timestamp), published: false });
}

/** `extra` with the attribute's `data`, when it has some. */
function withData(extra: MispJson, data: string | undefined): MispJson {
  return data === undefined ? extra : { ...extra, data };
}

/** Throws when one of the just stored attributes repeats a live attribute of its event (objects aside). */
async function refuseDuplicates(repos: Repositories, p: Principal, stored: readonly AttributeRecord[]): Promise<void> {
  const candidates = stored.filter((a) => a.object_id === 0 && !a.deleted);
  if (candidates.length === 0) return;
  // One search for all of them (same event), then the exact comparison per attribute.
  const filters: SearchFilters = {
    eventIds: [...new Set(candidates.map((a) => a.event_id))],
    value: { include: [...new Set(candidates.map((a) => a.value1))], exclude: [] },
    type: { include: [...new Set(candidates.map((a) => a.type))], exclude: [] },
  };
  const found: AttributeRecord[] = [];
  for await (const batch of repos.searchAttributes(filters, p.viewer)) found.push(...batch.filter((b) => b.object_id === 0 && !b.deleted));
  const checked = new Set(candidates);
  for (const [i, a] of stored.entries()) {
    if (!checked.has(a)) continue;
    const twin = found.find((b) => b.id !== a.id && b.event_id === a.event_id && b.type === a.type && b.category === a.category && b.value1 === a.value1 && b.value2 === a.value2);
    if (twin !== undefined) throw new InputError('A similar attribute already exists for this event.', { field: `Attribute[${i}].value` });
  }
}

/** Attribute use cases. */
export function createAttributeService(deps: CoreDeps) {
  const { store, clock } = deps;

  async function withTags(repos: Repositories, attrs: readonly AttributeRecord[]): Promise<MispJson[]> {
    const tags = groupTags(await repos.listAttributeTags(attrs.map((a) => a.id)));
    const contents = await attachmentDataOf(repos, attrs);
    return attrs.map((a) => attributeJson(a, withData({ Tag: tags.get(a.id) ?? [] }, contents.get(a.id))));
  }

  return {
    /** Live attributes the principal may see, counted per type or per category (MISP's attributeStatistics). */
    async statistics(p: Principal, context: 'type' | 'category'): Promise<Record<string, number>> {
      return store.read((repos) => repos.countAttributesBy(context, p.viewer));
    },

    /**
     * Adds attributes to an event (all or nothing). With `breakOnDuplicate` (MISP's
     * attributes/add default) an attribute equal to a live one of the event outside
     * objects (type, category and value) is refused, as MISP's `valueIsUnique` does.
     */
    async add(p: Principal, eventRef: Ref, inputs: readonly AttributeInput[], opts: { readonly breakOnDuplicate?: boolean } = {}): Promise<MispJson[]> {
      if (inputs.length === 0) throw new InputError('No attribute given', { field: 'Attribute' });
      const outgoing: Outgoing[] = [];
      const json = await store.write(async (repos) => {
        const event = await visibleEvent(repos, p, eventRef);
        if (!canModifyEvent(p, event)) throw new ForbiddenError(NO_PERMISSION);
        const now = clock.now();
        const ctx: WriteContext = { deps, repos, principal: p, event, now, resolveTag: createTagResolver(repos, p) };
        for (const [i, a] of inputs.entries()) {
          if (a.uuid !== undefined && (await repos.getAttribute(a.uuid)) !== undefined) {
            throw new InputError(`Attribute[${i}].uuid: an attribute with this UUID already exists`, { field: `Attribute[${i}].uuid` });
          }
        }
        const stored = await writeAttributes(ctx, inputs, 'Attribute');
        if (opts.breakOnDuplicate === true) await refuseDuplicates(repos, p, stored);
        await repos.recountAttributes(event.id);
        await touchEvent(repos, event, now);
        await audit(repos, p, now, { action: 'add', model: 'Attribute', modelId: stored[0]?.id ?? 0, title: `${stored.length} attribute(s) to event ${event.id}` });
        const out = await withTags(repos, stored);
        for (const a of out) outgoing.push({ topic: 'misp_json_attribute', payload: { Attribute: a, action: 'add' } });
        return out;
      });
      await publishAll(deps.bus, outgoing);
      return json;
    },

    /** One attribute with its tags. */
    async view(p: Principal, ref: Ref): Promise<MispJson> {
      return store.read(async (repos) => {
        const { attribute } = await visibleAttribute(repos, p, ref);
        return (await withTags(repos, [attribute]))[0] as MispJson;
      });
    },

    /** Edits an attribute (value, type, category, flags, comment, distribution). */
    async edit(p: Principal, ref: Ref, patch: Partial<AttributeInput>): Promise<MispJson> {
      const outgoing: Outgoing[] = [];
      const json = await store.write(async (repos) => {
        const { attribute, event } = await visibleAttribute(repos, p, ref);
        if (!canModifyEvent(p, event)) throw new ForbiddenError(NO_PERMISSION);
        const now = Math.max(clock.now(), attribute.timestamp + 1);
        const ctx: WriteContext = { deps, repos, principal: p, event, now, resolveTag: createTagResolver(repos, p) };
        const current = attributeValue(attribute);
        const input: AttributeInput = { ...patch, type: patch.type ?? attribute.type, value: patch.value ?? current, tags: patch.tags ?? [] };
        const { timestamp: _ignored, ...withoutTimestamp } = input;
        const updated = (await updateAttributeFrom(ctx, attribute, withoutTimestamp, 'Attribute')) ?? attribute;
        await touchEvent(repos, event, now);
        await audit(repos, p, now, { action: 'edit', model: 'Attribute', modelId: attribute.id, title: current, change: patch });
        const out = (await withTags(repos, [updated]))[0] as MispJson;
        outgoing.push({ topic: 'misp_json_attribute', payload: { Attribute: out, action: 'edit' } });
        return out;
      });
      await publishAll(deps.bus, outgoing);
      return json;
    },

    /** Soft delete (MISP default) or hard delete. */
    async delete(p: Principal, ref: Ref, hard: boolean): Promise<AttributeRecord> {
      const outgoing: Outgoing[] = [];
      const removed = await store.write(async (repos) => {
        const { attribute, event } = await visibleAttribute(repos, p, ref);
        if (!canModifyEvent(p, event)) throw new ForbiddenError(NO_PERMISSION);
        const now = Math.max(clock.now(), attribute.timestamp + 1);
        if (hard) {
          await deleteAnalystDataOn(repos, [attribute.uuid]);
          await repos.deleteAttribute(attribute.id);
        }
        else {
          await repos.updateAttribute(attribute.id, { deleted: true, timestamp: now });
        }
        await repos.recountAttributes(event.id);
        await touchEvent(repos, event, now);
        await audit(repos, p, now, { action: hard ? 'delete' : 'soft-delete', model: 'Attribute', modelId: attribute.id, title: attribute.value1 });
        outgoing.push({ topic: 'misp_json_attribute', payload: { Attribute: attributeJson({ ...attribute, deleted: true }), action: hard ? 'delete' : 'soft-delete' } });
        return attribute;
      });
      await publishAll(deps.bus, outgoing);
      return removed;
    },

    /** restSearch on attributes: batches of MISP JSON, streamed with bounded memory. */
    async *search(p: Principal, filters: SearchFilters, opts: AttributeSearchOptions = {}): AsyncIterable<MispJson[]> {
      const batches = store.read(async (repos) => repos.searchAttributes(filters, p.viewer, opts.batchSize ?? 2000));
      const { correlationCap } = await deps.settings.current();
      for await (const batch of await batches) {
        yield await store.read(async (repos) => decorate(repos, p, batch, opts, correlationCap));
      }
    },

    /** The raw records of a search (CSV and text exports need no decoration). */
    async *searchRecords(p: Principal, filters: SearchFilters, batchSize = 5000): AsyncIterable<AttributeRecord[]> {
      const it = await store.read(async (repos) => repos.searchAttributes(filters, p.viewer, batchSize));
      for await (const batch of it) yield batch;
    },

    /** Tag names and object of each attribute of a batch (for flat exports such as CSV). */
    async exportContext(batch: readonly AttributeRecord[]): Promise<Map<number, { tags: string[]; object?: { uuid: string; name: string; meta_category: string } }>> {
      return store.read(async (repos) => {
        const out = new Map<number, { tags: string[]; object?: { uuid: string; name: string; meta_category: string } }>();
        for (const a of batch) out.set(a.id, { tags: [] });
        for (const t of await repos.listAttributeTags(batch.map((a) => a.id))) out.get(t.target_id)?.tags.push(t.tag.name);
        const objectIds = [...new Set(batch.filter((a) => a.object_id !== 0).map((a) => a.object_id))];
        const eventIds = [...new Set(batch.filter((a) => a.object_id !== 0).map((a) => a.event_id))];
        if (objectIds.length > 0) {
          const objects = new Map((await repos.listObjectsOfEvents(eventIds, { includeDeleted: true })).map((o) => [o.id, o]));
          for (const a of batch) {
            const o = objects.get(a.object_id);
            const entry = out.get(a.id);
            if (o !== undefined && entry !== undefined) entry.object = { uuid: o.uuid, name: o.name, meta_category: o.meta_category };
          }
        }
        return out;
      });
    },

    /**
     * What an IDS rule export needs beside each attribute (MISP's NidsExport): the names of its tags
     * followed by its event's, and its event's threat level (the rules' priority).
     */
    async idsContext(batch: readonly AttributeRecord[]): Promise<Map<number, { tags: string[]; threatLevel: number }>> {
      return store.read(async (repos) => {
        const eventIds = [...new Set(batch.map((a) => a.event_id))];
        const eventTags = new Map<number, string[]>();
        for (const t of await repos.listEventTags(eventIds)) eventTags.set(t.target_id, [...(eventTags.get(t.target_id) ?? []), t.tag.name]);
        const threat = new Map<number, number>();
        for (const id of eventIds) threat.set(id, (await repos.getEvent(id))?.threat_level_id ?? 4);
        const own = new Map<number, string[]>();
        for (const t of await repos.listAttributeTags(batch.map((a) => a.id))) own.set(t.target_id, [...(own.get(t.target_id) ?? []), t.tag.name]);
        return new Map(batch.map((a) => [a.id, { tags: [...(own.get(a.id) ?? []), ...(eventTags.get(a.event_id) ?? [])], threatLevel: threat.get(a.event_id) ?? 4 }]));
      });
    },

    async count(p: Principal, filters: SearchFilters): Promise<number> {
      return store.read((repos) => repos.countAttributes(filters, p.viewer));
    },
  };
}

async function decorate(repos: Repositories, p: Principal, batch: readonly AttributeRecord[], opts: AttributeSearchOptions, cap: number): Promise<MispJson[]> {
  const ids = batch.map((a) => a.id);
  const tagsBy = groupTags(await repos.listAttributeTags(ids));
  const eventIds = [...new Set(batch.map((a) => a.event_id))];
  const events = new Map<number, EventRecord>();
  for (const id of eventIds) {
    const e = await repos.getEvent(id);
    if (e !== undefined) events.set(id, e);
  }
  const eventTags = groupByTarget(opts.includeEventTags === true ? await repos.listEventTags(eventIds) : []);
  const contents = await attachmentDataOf(repos, batch);
  const corr = new Map<number, MispJson[]>();
  if (opts.includeCorrelations === true) {
    for (const c of await repos.attributeCorrelations(ids, p.viewer, cap)) {
      corr.set(c.attribute_id, [...(corr.get(c.attribute_id) ?? []), { id: String(c.other_attribute_id), event_id: String(c.other_event_id), value: c.value, Event: { id: String(c.other_event.id), uuid: c.other_event.uuid, info: c.other_event.info } }]);
    }
  }
  // PyMISP's search(include_sightings=True): each attribute's sightings, under MISP's sighting policy.
  const sightingsBy = new Map<number, MispJson[]>();
  if (opts.includeSightings === true && ids.length > 0) {
    const visible = (await repos.listSightings({ attributeIds: ids })).filter((s) => {
      const e = events.get(s.event_id);
      return e !== undefined && canSeeSighting(p.viewer, s, e);
    });
    const orgs = await orgMap(repos, visible.map((s) => s.org_id));
    for (const s of visible) sightingsBy.set(s.attribute_id, [...(sightingsBy.get(s.attribute_id) ?? []), sightingJson(s, orgs.get(s.org_id))]);
  }
  return batch.map((a) => {
    const e = events.get(a.event_id);
    const extra: MispJson = {
      Event: { org_id: String(e?.org_id ?? 0), distribution: String(e?.distribution ?? 0), id: String(a.event_id), info: e?.info ?? '', orgc_id: String(e?.orgc_id ?? 0), uuid: e?.uuid ?? '' },
      Tag: [...(tagsBy.get(a.id) ?? []), ...(eventTags.get(a.event_id) ?? []).map((t) => ({ ...tagJson(t.tag, t.local), inherited: 1 }))],
    };
    if (opts.includeEventUuid === true) extra.event_uuid = e?.uuid ?? '';
    if (opts.includeCorrelations === true) extra.RelatedAttribute = corr.get(a.id) ?? [];
    if (opts.includeSightings === true) extra.Sighting = sightingsBy.get(a.id) ?? [];
    return attributeJson(a, withData(extra, contents.get(a.id)));
  });
}

/** The attribute service's type. */
export type AttributeService = ReturnType<typeof createAttributeService>;
