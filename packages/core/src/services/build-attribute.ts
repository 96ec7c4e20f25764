import { InputError } from '@waggle/errors';
import { defaultCategory, defaultToIds, isCategoryAllowed, isKnownCategory, isKnownType } from '@waggle/misp';
import { checkAttributeValue } from '../input/protected-value.js';
import type { AttributeInput } from '../input/inputs.js';
import type { AttributeRecord, Distribution } from '../model/records.js';
import type { New } from '../ports/store.js';

/** Where a new attribute goes and the defaults that apply. */
export interface AttributePlacement {
  readonly eventId: number;
  readonly objectId: number;
  readonly now: number;
  readonly uuid: () => string;
  readonly defaultDistribution: Distribution;
  readonly field: string;
  /** Template defaults for object attributes. */
  readonly templateCategory?: string;
  readonly templateToIds?: boolean;
  readonly templateDisableCorrelation?: boolean;
}

/** Validates and normalises an attribute, producing the record to store. */
export function buildAttribute(input: AttributeInput, at: AttributePlacement): New<AttributeRecord> {
  const f = at.field;
  if (!isKnownType(input.type)) throw new InputError(`${f}.type: unknown attribute type "${input.type}"`, { field: `${f}.type` });
  const verdict = checkAttributeValue(input.type, input.value);
  if (!verdict.ok) throw new InputError(`${f}.value: ${verdict.reason}`, { field: `${f}.value`, type: input.type });
  const category = input.category ?? at.templateCategory ?? defaultCategory(input.type);
  if (category === undefined || !isKnownCategory(category)) throw new InputError(`${f}.category: unknown category "${String(category)}"`, { field: `${f}.category` });
  if (!isCategoryAllowed(category, input.type)) {
    throw new InputError(`${f}.category: type "${input.type}" is not allowed in category "${category}"`, { field: `${f}.category` });
  }
  const distribution = input.distribution ?? at.defaultDistribution;
  const sharingGroupId = distribution === 4 ? (input.sharing_group_id ?? 0) : 0;
  if (distribution === 4 && sharingGroupId === 0) throw new InputError(`${f}.sharing_group_id is required when distribution is 4`, { field: `${f}.sharing_group_id` });
  return {
    uuid: input.uuid ?? at.uuid(),
    event_id: at.eventId,
    object_id: at.objectId,
    object_relation: at.objectId === 0 ? null : (input.object_relation ?? null),
    category,
    type: input.type,
    value1: verdict.value1,
    value2: verdict.value2,
    to_ids: input.to_ids ?? at.templateToIds ?? defaultToIds(input.type) ?? false,
    distribution,
    sharing_group_id: sharingGroupId,
    comment: input.comment ?? '',
    timestamp: input.timestamp ?? at.now,
    deleted: input.deleted ?? false,
    disable_correlation: input.disable_correlation ?? at.templateDisableCorrelation ?? false,
    first_seen: input.first_seen ?? null,
    last_seen: input.last_seen ?? null,
  };
}
