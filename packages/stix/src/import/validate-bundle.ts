import { InputError } from '@waggle/errors';
import { parseStixId } from '../common/ids.js';
import type { StixObject } from '../common/stix-types.js';
import { describe, isJsonObject } from '../export/read-fields.js';

/**
 * Checks the structure every import relies on: a bundle object with a valid
 * id and an `objects` array of objects that each have a `type` and an id
 * `<type>--<uuid>`. Throws InputError naming the first problem.
 */
export function validateBundle(input: unknown): { readonly id: string; readonly uuid: string; readonly objects: readonly StixObject[] } {
  if (!isJsonObject(input)) throw new InputError(`A STIX bundle must be a JSON object, got ${describe(input)}`);
  if (input.type !== 'bundle') throw new InputError(`Not a STIX bundle: type must be "bundle", got ${describe(input.type)}`, { field: 'type' });
  const id = typeof input.id === 'string' ? parseStixId(input.id) : undefined;
  if (id === undefined || id.type !== 'bundle') throw new InputError(`The bundle id must be "bundle--<uuid>", got ${describe(input.id)}`, { field: 'id' });
  const objects = input.objects ?? [];
  if (!Array.isArray(objects)) throw new InputError(`The bundle's objects must be an array, got ${describe(objects)}`, { field: 'objects' });
  objects.forEach((object: unknown, i) => {
    const field = `objects[${i}]`;
    if (!isJsonObject(object)) throw new InputError(`${field} must be an object, got ${describe(object)}`, { field });
    if (typeof object.type !== 'string' || object.type === '') throw new InputError(`${field} has no type`, { field: `${field}.type` });
    if (typeof object.id !== 'string') throw new InputError(`${field} (${object.type}) has no id`, { field: `${field}.id` });
    const parsed = parseStixId(object.id);
    if (parsed === undefined) throw new InputError(`${field}.id "${object.id}" is not a STIX identifier (<type>--<uuid>)`, { field: `${field}.id` });
    if (parsed.type !== object.type) throw new InputError(`${field}.id "${object.id}" does not match its type "${object.type}"`, { field: `${field}.id` });
  });
  return { id: input.id as string, uuid: id.uuid, objects: objects as StixObject[] };
}
