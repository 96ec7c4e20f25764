import { isProtectedValue, protectedTypeTag } from '@waggle/core';
import { isCategoryAllowed } from '@waggle/misp';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const listOf = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObj) : []);

/** One attribute as a stock MISP accepts it: a protected value of a typed attribute becomes `text`. */
function downgrade(a: Json): Json {
  const type = typeof a.type === 'string' ? a.type : '';
  if (typeof a.value !== 'string' || !isProtectedValue(a.value) || type === 'text' || type === '') return a;
  const category = typeof a.category === 'string' && isCategoryAllowed(a.category, 'text') ? a.category : 'Other';
  return { ...a, type: 'text', category, Tag: [...listOf(a.Tag), { name: protectedTypeTag(type) }] };
}

/**
 * An event as a push to a stock MISP should carry it (ADR 0012). MISP checks each value
 * against its type and drops an attribute whose value does not fit; an envelope fits no
 * typed format. Protected attributes therefore go as `text` (a category that allows
 * `text` kept, else `Other`) with a `waggle:protected-type="<type>"` tag, so MISP keeps
 * the envelope and a reader restores the type after decrypting. The envelope is bound to
 * event and attribute UUIDs, not to the type, so it still opens. Other attributes, and
 * pushes to waggle servers, are untouched. The input is not modified.
 */
export function forStockMisp(json: Json): Json {
  const wrapped = isObj(json.Event);
  const event = wrapped ? (json.Event as Json) : json;
  const out: Json = { ...event };
  if (Array.isArray(event.Attribute)) out.Attribute = listOf(event.Attribute).map(downgrade);
  if (Array.isArray(event.Object)) {
    out.Object = listOf(event.Object).map((o) => (Array.isArray(o.Attribute) ? { ...o, Attribute: listOf(o.Attribute).map(downgrade) } : o));
  }
  return wrapped ? { ...json, Event: out } : out;
}
