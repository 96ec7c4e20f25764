import { randomUUID } from 'node:crypto';
import { InputError } from '@waggle/errors';

/** A MISP JSON object. */
export type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A deep copy of a MISP event, unwrapped from `{"Event": …}`, and whether it was wrapped. */
export function copyEvent(input: unknown): { event: Json; wrapped: boolean } {
  if (!isObject(input)) throw new InputError('event: expected a MISP event JSON object', { field: 'Event' });
  const wrapped = isObject(input.Event);
  const event = structuredClone(wrapped ? (input.Event as Json) : input);
  return { event, wrapped };
}

/** The event's attributes (`Attribute`) or an object's; throws when the member is not a list. */
export function attributesOf(owner: Json, field: string): Json[] {
  const list = owner.Attribute ?? [];
  if (!Array.isArray(list) || !list.every(isObject)) throw new InputError(`${field}.Attribute: expected a list of attributes`, { field: `${field}.Attribute` });
  return list;
}

/** The event's objects. */
export function objectsOf(event: Json): Json[] {
  const list = event.Object ?? [];
  if (!Array.isArray(list) || !list.every(isObject)) throw new InputError('Event.Object: expected a list of objects', { field: 'Event.Object' });
  return list;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The element's UUID (lower case), assigning a fresh one when it has none. */
export function ensureUuid(element: Json, field: string, uuid: () => string = randomUUID): string {
  const current = element.uuid;
  if (current === undefined || current === null || current === '') {
    element.uuid = uuid();
    return String(element.uuid).toLowerCase();
  }
  if (typeof current !== 'string' || !UUID.test(current)) throw new InputError(`${field}.uuid: not a UUID`, { field: `${field}.uuid` });
  return current.toLowerCase();
}

/** The element's UUID, which must be there (reading side). */
export function requireUuid(element: Json, field: string): string {
  const current = element.uuid;
  if (typeof current !== 'string' || !UUID.test(current)) throw new InputError(`${field}.uuid: missing or not a UUID`, { field: `${field}.uuid` });
  return current.toLowerCase();
}

/** The attribute's value as a string (MISP sends numbers for some types). */
export function valueOf(attribute: Json, field: string): string {
  const v = attribute.value;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  throw new InputError(`${field}.value: expected a string`, { field: `${field}.value` });
}

/** Tag names on an element. */
export function tagNames(element: Json): string[] {
  const tags = Array.isArray(element.Tag) ? (element.Tag as unknown[]) : [];
  return tags.map((t) => (isObject(t) && typeof t.name === 'string' ? t.name : typeof t === 'string' ? t : '')).filter((n) => n !== '');
}

/** Adds a tag by name unless present. */
export function addTag(element: Json, name: string): void {
  if (tagNames(element).includes(name)) return;
  element.Tag = [...(Array.isArray(element.Tag) ? (element.Tag as unknown[]) : []), { name }];
}

/** Removes a tag by name (and the `Tag` member when nothing is left). */
export function removeTag(element: Json, name: string): void {
  if (!Array.isArray(element.Tag)) return;
  const kept = (element.Tag as unknown[]).filter((t) => !((isObject(t) && t.name === name) || t === name));
  if (kept.length > 0) element.Tag = kept;
  else delete element.Tag;
}
