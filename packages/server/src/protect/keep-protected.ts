import { isProtectedValue } from '@waggle/core';

type J = Record<string, unknown>;
const isObj = (v: unknown): v is J => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): J[] => (Array.isArray(v) ? v.filter(isObj) : []);
const isProtected = (a: J): boolean => typeof a.value === 'string' && isProtectedValue(a.value);

/**
 * Runs an outbound transformation (the anonymiser) on an event without letting it see
 * protected (CP-ABE encrypted) values: they are taken out before, and put back unchanged
 * after — an envelope is already unreadable to the recipient, and any rewrite would only
 * break it. Protected attributes follow their object: if the transformation removed an
 * object that still had plain attributes, its protected ones go too; an object whose
 * attributes were all protected is kept as it was. A protected event info is blanked for
 * the transformation and restored.
 */
export function keepProtectedValues(event: J, transform: (e: J) => J | undefined): J | undefined {
  const protectedInfo = typeof event.info === 'string' && isProtectedValue(event.info);
  const plainEvent: J = { ...event, Attribute: list(event.Attribute).filter((a) => !isProtected(a)) };
  if (protectedInfo) plainEvent.info = '';
  const keptAttributes = structuredClone(list(event.Attribute).filter(isProtected));
  const keptByObject = new Map<string, J[]>();
  const wholeObjects: J[] = [];
  const plainObjects: J[] = [];
  for (const o of list(event.Object)) {
    const attrs = list(o.Attribute);
    const prot = attrs.filter(isProtected);
    if (prot.length > 0 && prot.length === attrs.length) {
      wholeObjects.push(structuredClone(o));
      continue;
    }
    if (prot.length > 0) keptByObject.set(String(o.uuid), structuredClone(prot));
    plainObjects.push({ ...o, Attribute: attrs.filter((a) => !isProtected(a)) });
  }
  if (event.Attribute === undefined && keptAttributes.length === 0) delete plainEvent.Attribute;
  if (event.Object !== undefined) plainEvent.Object = plainObjects;
  const out = transform(plainEvent);
  if (out === undefined) return undefined;
  const body = isObj(out.Event) ? out.Event : out;
  if (keptAttributes.length > 0) body.Attribute = [...list(body.Attribute), ...keptAttributes];
  const objects = list(body.Object).map((o) => {
    const prot = keptByObject.get(String(o.uuid));
    return prot === undefined ? o : { ...o, Attribute: [...list(o.Attribute), ...prot] };
  });
  if (event.Object !== undefined || wholeObjects.length > 0) body.Object = [...objects, ...wholeObjects];
  if (protectedInfo) body.info = event.info;
  return out;
}
