import { InputError } from '@waggle/errors';
import { templateDefaults, validateObject } from '@waggle/misp';
import type { Principal } from '../access/principal.js';
import type { AttributeInput, ObjectInput } from '../input/inputs.js';
import type { AttributeRecord, EventRecord, ObjectRecord } from '../model/records.js';
import type { AttachedTag, New, Repositories } from '../ports/store.js';
import { buildAttribute } from './build-attribute.js';
import { isProtectedValue } from '../input/protected-value.js';
import { attachmentData } from '../input/attachment-data.js';
import type { CoreDeps } from './deps.js';
import type { TagResolver } from './tag-resolver.js';

/** One unit of work adding content to an event. */
export interface WriteContext {
  readonly deps: CoreDeps;
  readonly repos: Repositories;
  readonly principal: Principal;
  readonly event: EventRecord;
  readonly now: number;
  readonly resolveTag: TagResolver;
  /**
   * When given, every attribute tag written is added here as the store would list it (first
   * attachment of a tag to an attribute wins, in attachment order): a new event's answer is
   * built from it instead of reading the tags back.
   */
  readonly attributeTags?: AttachedTag[];
}

/** Refuses distribution 4 with a sharing group that does not exist or that the principal may not use. */
export async function checkSharingGroups(ctx: WriteContext, records: readonly { distribution: number; sharing_group_id: number }[], field: string): Promise<void> {
  const ids = new Set(records.filter((r) => r.distribution === 4).map((r) => r.sharing_group_id));
  for (const id of ids) {
    const sg = await ctx.repos.getSharingGroup(id);
    if (sg === undefined || (!ctx.principal.viewer.siteAdmin && !ctx.principal.viewer.sharingGroupIds.includes(id))) {
      throw new InputError(`${field}: sharing group ${id} does not exist or is not available to you`, { field: `${field}.sharing_group_id` });
    }
  }
}

/** Validates, stores and correlates attributes (all or nothing: the caller's transaction). */
export async function writeAttributes(
  ctx: WriteContext,
  inputs: readonly AttributeInput[],
  field: string,
  object?: { id: number; name: string },
): Promise<AttributeRecord[]> {
  if (inputs.length === 0) return [];
  const template = object === undefined ? undefined : ctx.deps.templates.get(object.name);
  const { defaultAttributeDistribution } = await ctx.deps.settings.current(ctx.repos);
  const records: New<AttributeRecord>[] = inputs.map((input, i) => {
    const defaults = template !== undefined && input.object_relation !== undefined ? templateDefaults(template, input.object_relation) : undefined;
    return buildAttribute(input, {
      eventId: ctx.event.id,
      objectId: object?.id ?? 0,
      now: ctx.now,
      uuid: () => ctx.deps.ids.uuid(),
      defaultDistribution: defaultAttributeDistribution,
      field: `${field}[${i}]`,
      ...(defaults?.category !== undefined ? { templateCategory: defaults.category } : {}),
      ...(defaults?.to_ids !== undefined ? { templateToIds: defaults.to_ids } : {}),
      ...(defaults !== undefined ? { templateDisableCorrelation: defaults.disable_correlation } : {}),
    });
  });
  // Checked before anything is written: a bad `data` leaves the store untouched.
  const data = inputs.map((input, i) => attachmentData(input.type, input.data, `${field}[${i}]`));
  await checkSharingGroups(ctx, records, field);
  const stored = await ctx.repos.insertAttributes(records);
  const contents = stored.flatMap((a, i) => {
    const d = data[i];
    return d === undefined ? [] : [{ attribute_id: a.id, data: d }];
  });
  if (contents.length > 0) await ctx.repos.putAttributeData(contents);
  await ctx.repos.addIpRanges(stored);
  const tagRows: { attribute_id: number; event_id: number; tag_id: number; local: boolean }[] = [];
  for (let i = 0; i < inputs.length; i++) {
    const tags = (inputs[i] as AttributeInput).tags;
    if (tags.length === 0) continue;
    const attributeId = (stored[i] as AttributeRecord).id;
    const seen = new Set<number>();
    for (const t of tags) {
      // A tag marked deleted on a new attribute has nothing to remove.
      if (t.deleted === true) continue;
      const tag = await ctx.resolveTag(t);
      const local = t.local ?? false;
      tagRows.push({ attribute_id: attributeId, event_id: ctx.event.id, tag_id: tag.id, local });
      // The store keeps the first link of a tag to an attribute (a unique index); so does the log.
      if (ctx.attributeTags !== undefined && !seen.has(tag.id)) ctx.attributeTags.push({ target_id: attributeId, local, tag });
      seen.add(tag.id);
    }
  }
  if (tagRows.length > 0) await ctx.repos.attachAttributeTags(tagRows);
  return stored;
}

/** Validates an object against its template (when known) and stores it with its attributes. */
export async function writeObject(ctx: WriteContext, input: ObjectInput, field: string): Promise<{ object: ObjectRecord; attributes: AttributeRecord[] }> {
  const template = ctx.deps.templates.get(input.template_uuid ?? input.name) ?? ctx.deps.templates.get(input.name);
  if (input.attributes.length === 0) throw new InputError(`${field}: an object needs at least one attribute`, { field: `${field}.Attribute` });
  const settings = await ctx.deps.settings.current(ctx.repos);
  if (template !== undefined && settings.strictObjectTemplates && input.deleted !== true) {
    const live = input.attributes.filter((a) => a.deleted !== true);
    const verdict = validateObject(template, { name: input.name, attributes: live.map((a) => ({ object_relation: a.object_relation ?? '', type: a.type, value: a.value })) });
    // A protected value cannot be held against the template's list of allowed values.
    const problems = verdict.ok ? [] : verdict.problems.filter((p) => !live.some((a, i) => p.field === `attributes[${i}].value` && isProtectedValue(a.value)));
    if (problems.length > 0) {
      const first = problems[0];
      throw new InputError(`${field}: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, { field: `${field}.${first?.field ?? 'Attribute'}` });
    }
  }
  for (const [i, a] of input.attributes.entries()) {
    if (a.object_relation === undefined) throw new InputError(`${field}.Attribute[${i}].object_relation is required in an object`, { field: `${field}.Attribute[${i}].object_relation` });
  }
  const distribution = input.distribution ?? settings.defaultAttributeDistribution;
  const object = await ctx.repos.insertObject({
    uuid: input.uuid ?? ctx.deps.ids.uuid(),
    event_id: ctx.event.id,
    name: input.name,
    meta_category: input.meta_category ?? template?.['meta-category'] ?? '',
    description: input.description ?? template?.description ?? '',
    template_uuid: input.template_uuid ?? template?.uuid ?? '',
    template_version: input.template_version ?? (template !== undefined ? String(template.version) : ''),
    distribution,
    sharing_group_id: distribution === 4 ? (input.sharing_group_id ?? 0) : 0,
    comment: input.comment ?? '',
    timestamp: input.timestamp ?? ctx.now,
    deleted: input.deleted ?? false,
    first_seen: input.first_seen ?? null,
    last_seen: input.last_seen ?? null,
  });
  await checkSharingGroups(ctx, [object], field);
  const attributes = await writeAttributes(ctx, input.attributes, `${field}.Attribute`, { id: object.id, name: object.name });
  return { object, attributes };
}

/** Stores an object's references, resolving the referenced UUID to an attribute (0) or object (1) of any event. */
export async function writeReferences(ctx: WriteContext, object: ObjectRecord, input: ObjectInput): Promise<void> {
  for (const r of input.references) {
    const attr = await ctx.repos.getAttribute(r.referenced_uuid);
    const obj = attr === undefined ? await ctx.repos.getObject(r.referenced_uuid) : undefined;
    await ctx.repos.insertReference({
      uuid: r.uuid ?? ctx.deps.ids.uuid(),
      object_id: object.id,
      event_id: ctx.event.id,
      source_uuid: object.uuid,
      referenced_uuid: r.referenced_uuid,
      referenced_id: attr?.id ?? obj?.id ?? 0,
      referenced_type: attr !== undefined ? 0 : 1,
      relationship_type: r.relationship_type,
      comment: r.comment ?? '',
      timestamp: r.timestamp ?? ctx.now,
      deleted: r.deleted ?? false,
    });
  }
}
