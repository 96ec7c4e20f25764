import { objectsIn, toInt, type JsonObject, type MispEventJson } from '../model/misp-json.js';

function mergeList(current: unknown, incoming: unknown, nested?: (a: JsonObject, b: JsonObject) => boolean): { list: JsonObject[]; changed: boolean } {
  const list = objectsIn(current).map((x) => structuredClone(x));
  let changed = false;
  for (const item of objectsIn(incoming)) {
    const i = list.findIndex((x) => x.uuid === item.uuid);
    if (i === -1) {
      list.push(structuredClone(item));
      changed = true;
      continue;
    }
    const existing = list[i] as JsonObject;
    const newer = (toInt(item.timestamp) ?? Number.MAX_SAFE_INTEGER) > (toInt(existing.timestamp) ?? 0);
    let nestedChanged = false;
    if (nested !== undefined) nestedChanged = nested(existing, item);
    if (newer) {
      const keep = existing.Attribute;
      list[i] = { ...structuredClone(item), ...(nested !== undefined ? { Attribute: keep } : {}) };
      changed = true;
    }
    changed ||= nestedChanged;
  }
  return { list, changed };
}

/**
 * MISP's edit semantics in miniature, for the test doubles: elements are
 * matched by uuid, a newer timestamp wins, new uuids are added, soft
 * deletion is a `deleted: true` that arrives with a newer timestamp.
 * Returns the merged event and whether anything changed.
 */
export function mergeEvent(current: MispEventJson, incoming: MispEventJson): { event: MispEventJson; changed: boolean } {
  const event = structuredClone(current);
  const attrs = mergeList(current.Attribute, incoming.Attribute);
  const objects = mergeList(current.Object, incoming.Object, (existing, item) => {
    const inner = mergeList(existing.Attribute, item.Attribute);
    existing.Attribute = inner.list;
    return inner.changed;
  });
  let changed = attrs.changed || objects.changed;
  event.Attribute = attrs.list;
  event.Object = objects.list;
  if ((toInt(incoming.timestamp) ?? 0) > (toInt(current.timestamp) ?? 0)) {
    for (const [k, v] of Object.entries(incoming)) if (k !== 'Attribute' && k !== 'Object') event[k] = structuredClone(v);
    changed = true;
  }
  return { event, changed };
}
