import { ConflictError } from '@waggle/errors';
import { isCategoryAllowed, isKnownType } from '@waggle/misp';
import { checkAttributeValue } from '../input/protected-value.js';
import { attachmentData, carriesData } from '../input/attachment-data.js';
import type { AttributeInput, ObjectInput } from '../input/inputs.js';
import type { AttributeRecord, ObjectRecord } from '../model/records.js';
import type { Patch } from '../ports/store.js';
import { writeAttributes, writeObject, writeReferences, type WriteContext } from './event-writer.js';
import { InputError } from '@waggle/errors';

/** What changed in an edit: counts for the audit log. */
export interface MergeResult {
  added: number;
  updated: number;
}

function attributePatch(input: AttributeInput, field: string, current: AttributeRecord): Patch<AttributeRecord> {
  if (!isKnownType(input.type)) throw new InputError(`${field}.type: unknown attribute type "${input.type}"`, { field: `${field}.type` });
  const category = input.category ?? current.category;
  if (!isCategoryAllowed(category, input.type)) {
    throw new InputError(`${field}.category: type "${input.type}" is not allowed in category "${category}"`, { field: `${field}.category` });
  }
  const verdict = checkAttributeValue(input.type, input.value);
  if (!verdict.ok) throw new InputError(`${field}.value: ${verdict.reason}`, { field: `${field}.value` });
  const patch: Patch<AttributeRecord> = { type: input.type, value1: verdict.value1, value2: verdict.value2 };
  if (input.category !== undefined) patch.category = input.category;
  if (input.to_ids !== undefined) patch.to_ids = input.to_ids;
  if (input.distribution !== undefined) patch.distribution = input.distribution;
  if (input.sharing_group_id !== undefined) patch.sharing_group_id = input.sharing_group_id;
  if (input.comment !== undefined) patch.comment = input.comment;
  if (input.deleted !== undefined) patch.deleted = input.deleted;
  if (input.disable_correlation !== undefined) patch.disable_correlation = input.disable_correlation;
  if (input.first_seen !== undefined) patch.first_seen = input.first_seen;
  if (input.last_seen !== undefined) patch.last_seen = input.last_seen;
  return patch;
}

/** Updates an existing attribute in place (newer timestamp wins), re-correlating its values. */
export async function updateAttributeFrom(ctx: WriteContext, existing: AttributeRecord, input: AttributeInput, field: string): Promise<AttributeRecord | undefined> {
  if (input.timestamp !== undefined && input.timestamp <= existing.timestamp) return undefined;
  const patch = attributePatch(input, field, existing);
  const data = attachmentData(input.type, input.data, field);
  patch.timestamp = Math.max(input.timestamp ?? ctx.now, existing.timestamp + 1 > ctx.now ? existing.timestamp + 1 : ctx.now);
  const updated = await ctx.repos.updateAttribute(existing.id, patch);
  // An edit without `data` keeps the content; a type that keeps none drops it.
  if (data !== undefined) await ctx.repos.putAttributeData([{ attribute_id: existing.id, data }]);
  else if (!carriesData(input.type) && carriesData(existing.type)) await ctx.repos.deleteAttributeData([existing.id]);
  await ctx.repos.removeIpRanges([existing.id]);
  await ctx.repos.addIpRanges([updated]);
  for (const t of input.tags) {
    // MISP's AttributeTag::handleAttributeTag: a tag marked deleted is removed, the others attached.
    if (t.deleted === true) {
      const gone = await ctx.repos.getTag(t.name.trim());
      if (gone !== undefined) await ctx.repos.detachAttributeTag(updated.id, gone.id);
      continue;
    }
    const tag = await ctx.resolveTag(t);
    await ctx.repos.attachAttributeTag(updated.id, ctx.event.id, tag.id, t.local ?? false);
  }
  return updated;
}

async function mergeAttributes(ctx: WriteContext, inputs: readonly AttributeInput[], field: string, result: MergeResult, object?: ObjectRecord): Promise<void> {
  const fresh: AttributeInput[] = [];
  for (const [i, input] of inputs.entries()) {
    const existing = input.uuid === undefined ? undefined : await ctx.repos.getAttribute(input.uuid);
    if (existing === undefined) {
      fresh.push(input);
      continue;
    }
    if (existing.event_id !== ctx.event.id) throw new ConflictError(`${field}[${i}].uuid belongs to an attribute of another event`, { field: `${field}[${i}].uuid` });
    if ((await updateAttributeFrom(ctx, existing, input, `${field}[${i}]`)) !== undefined) result.updated++;
  }
  const added = await writeAttributes(ctx, fresh, field, object === undefined ? undefined : { id: object.id, name: object.name });
  result.added += added.length;
}

/** Merges objects into the event: existing UUIDs are updated, new ones created. */
async function mergeObjects(ctx: WriteContext, inputs: readonly ObjectInput[], result: MergeResult): Promise<void> {
  for (const [i, input] of inputs.entries()) {
    const field = `Event.Object[${i}]`;
    const existing = input.uuid === undefined ? undefined : await ctx.repos.getObject(input.uuid);
    if (existing === undefined) {
      const { object, attributes } = await writeObject(ctx, input, field);
      result.added += attributes.length;
      await writeReferences(ctx, object, input);
      continue;
    }
    if (existing.event_id !== ctx.event.id) throw new ConflictError(`${field}.uuid belongs to an object of another event`, { field: `${field}.uuid` });
    const newer = input.timestamp === undefined || input.timestamp > existing.timestamp;
    if (newer) {
      const patch: Patch<ObjectRecord> = { timestamp: Math.max(input.timestamp ?? ctx.now, existing.timestamp + 1) };
      if (input.comment !== undefined) patch.comment = input.comment;
      if (input.distribution !== undefined) patch.distribution = input.distribution;
      if (input.sharing_group_id !== undefined) patch.sharing_group_id = input.sharing_group_id;
      if (input.deleted !== undefined) patch.deleted = input.deleted;
      if (input.first_seen !== undefined) patch.first_seen = input.first_seen;
      if (input.last_seen !== undefined) patch.last_seen = input.last_seen;
      await ctx.repos.updateObject(existing.id, patch);
      result.updated++;
    }
    await mergeAttributes(ctx, input.attributes, `${field}.Attribute`, result, existing);
    const known = new Set((await ctx.repos.listReferencesOfObjects([existing.id])).map((r) => r.uuid));
    await writeReferences(ctx, existing, { ...input, references: input.references.filter((r) => r.uuid === undefined || !known.has(r.uuid)) });
  }
}

/** Applies an edit's attributes and objects to an event (MISP edit/sync semantics: nothing is removed unless marked deleted). */
export async function mergeEventContent(ctx: WriteContext, attributes: readonly AttributeInput[], objects: readonly ObjectInput[]): Promise<MergeResult> {
  const result: MergeResult = { added: 0, updated: 0 };
  await mergeAttributes(ctx, attributes, 'Event.Attribute', result);
  await mergeObjects(ctx, objects, result);
  return result;
}
