import { validateObject, type TemplateRegistry } from '@waggle/misp';
import { processAttribute } from './attribute-pass.js';
import { objectsOf, text, type JsonObject } from './misp-event-json.js';
import { countAttribute, treat, type RunContext } from './run-context.js';

/** Whether `object` is an anonymisation object waggle added (passed through untouched). */
export type OwnObjectTest = (object: JsonObject) => boolean;

function requirementProblems(templates: TemplateRegistry, object: JsonObject, attributes: JsonObject[]): string[] {
  const template = templates.get(text(object.template_uuid)) ?? templates.get(text(object.name));
  if (template === undefined) return [];
  const verdict = validateObject(template, {
    name: template.name,
    attributes: attributes.map((a) => ({ object_relation: text(a.object_relation), type: text(a.type), value: text(a.value) })),
  });
  // Only what suppression can cause: a missing required relation.
  return verdict.ok ? [] : verdict.problems.filter((p) => p.field === 'attributes').map((p) => p.message);
}

/**
 * Applies the rules to every object's comment and attributes. An object left
 * without attributes, or (when suppression removed some) without the
 * relations its template requires, is removed and reported. Returns the
 * surviving objects and the UUIDs of everything removed (with `removedBefore`,
 * the loose attributes already suppressed); references to any of them go.
 */
export function processObjects(
  ctx: RunContext,
  objects: readonly JsonObject[],
  templates: TemplateRegistry,
  isOwn: OwnObjectTest,
  removedBefore: ReadonlySet<string>,
): { objects: JsonObject[]; removed: Set<string> } {
  const removed = new Set<string>(removedBefore);
  const kept: JsonObject[] = [];
  for (const object of objects) {
    if (isOwn(object)) {
      kept.push(object);
      continue;
    }
    const name = text(object.name);
    const uuid = text(object.uuid);
    const out: JsonObject = { ...object };
    const results = objectsOf(object.Attribute).map((a) => ({ uuid: text(a.uuid), type: text(a.type), ...processAttribute(ctx, a, { name }) }));
    const survivors = results.flatMap((r) => (r.attribute === undefined ? [] : [r.attribute]));
    for (const r of results) if (r.attribute === undefined) removed.add(r.uuid);
    let reason: string | undefined;
    if (survivors.length === 0 && results.length > 0) reason = 'every attribute was suppressed';
    else if (survivors.length < results.length) {
      const problems = requirementProblems(templates, object, survivors);
      if (problems.length > 0) reason = `suppression left it invalid: ${problems.join('; ')}`;
    }
    if (reason !== undefined) {
      removed.add(uuid);
      ctx.objectsRemoved.push({ uuid, name, reason });
      for (const r of results) countAttribute(ctx, r.type, 'suppressed');
      continue;
    }
    for (const r of results) countAttribute(ctx, r.type, r.fate);
    const comment = text(object.comment);
    if (comment !== '') {
      const r = treat(ctx, { field: 'comment', object: { name }, tags: [], eventTags: ctx.eventTags, value: comment }, { scope: 'object', uuid });
      out.comment = r.kind === 'keep' ? comment : r.kind === 'transform' ? r.value : '';
    }
    out.Attribute = survivors;
    kept.push(out);
  }
  for (const object of kept) {
    if (!Array.isArray(object.ObjectReference) || isOwn(object)) continue;
    const refs = objectsOf(object.ObjectReference);
    const left = refs.filter((r) => !removed.has(text(r.referenced_uuid)));
    ctx.referencesRemoved += refs.length - left.length;
    object.ObjectReference = left;
  }
  return { objects: kept, removed };
}
