/** A JSON object as found in MISP JSON. */
export type JsonObject = Record<string, unknown>;

/** A MISP event as JSON: `{"Event": {…}}` or the bare event object. */
export type MispEventJson = { readonly Event: JsonObject } | JsonObject;

/** Whether `value` is a (non-array) JSON object. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The event object inside `json`, and whether it came wrapped in `Event`. */
export function unwrapEvent(json: MispEventJson): { event: JsonObject; wrapped: boolean } {
  const inner = (json as JsonObject).Event;
  return isJsonObject(inner) ? { event: inner, wrapped: true } : { event: json as JsonObject, wrapped: false };
}

/** The JSON objects of `value` when it is an array (anything else: none). */
export function objectsOf(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}

/** A MISP scalar as text (`null`/absent as ''). */
export function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

/** MISP booleans come as true, 1, "1" or "true". */
export function flag(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 'true';
}

/** The tag names of a `Tag` list. */
export function tagNames(tags: unknown): string[] {
  return objectsOf(tags).map((t) => text(t.name)).filter((n) => n !== '');
}

/** Whether a tag entry is local (never shared, as in MISP). */
export function isLocalTag(tag: JsonObject): boolean {
  return flag(tag.local) || flag(tag.local_only);
}

/** The attribute's full value: `value`, else `value1|value2`. */
export function attributeValue(attribute: JsonObject): string {
  if (typeof attribute.value === 'string') return attribute.value;
  const v1 = text(attribute.value1);
  const v2 = text(attribute.value2);
  return v2 === '' ? v1 : `${v1}|${v2}`;
}
