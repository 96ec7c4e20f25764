import type { ObjectTemplate } from './object-template.js';

/** A set of object templates, one revision per template UUID. */
export interface TemplateRegistry {
  /**
   * The template with this UUID (any case) or, failing that, this exact name.
   * When several templates share a name, the one with the highest version.
   */
  get(nameOrUuid: string): ObjectTemplate | undefined;
  /** Every template, sorted by name then UUID. */
  list(): readonly ObjectTemplate[];
  /**
   * Stores `template` unless a template with the same UUID and an equal or
   * higher version is already there. Returns whether it was stored.
   */
  add(template: ObjectTemplate): boolean;
  /** The number of templates held. */
  readonly size: number;
}

/** True when `candidate` should replace `current` for the same key. */
function isNewer(candidate: ObjectTemplate, current: ObjectTemplate | undefined): boolean {
  return current === undefined || candidate.version > current.version;
}

/**
 * Creates an in-memory {@link TemplateRegistry}, seeded with `templates` in
 * order (so for equal versions the first one seen stays).
 */
export function createTemplateRegistry(templates: Iterable<ObjectTemplate> = []): TemplateRegistry {
  const byUuid = new Map<string, ObjectTemplate>();
  const byName = new Map<string, ObjectTemplate>();

  const add = (template: ObjectTemplate): boolean => {
    const key = template.uuid.toLowerCase();
    const current = byUuid.get(key);
    if (!isNewer(template, current)) return false;
    byUuid.set(key, template);
    const named = byName.get(template.name);
    if (named === current || isNewer(template, named)) byName.set(template.name, template);
    if (current !== undefined && current.name !== template.name && byName.get(current.name) === current) {
      // A renamed revision must not leave its old name pointing at a stale one.
      const rest = [...byUuid.values()].filter((t) => t.name === current.name);
      const best = rest.reduce<ObjectTemplate | undefined>((a, t) => (isNewer(t, a) ? t : a), undefined);
      if (best === undefined) byName.delete(current.name);
      else byName.set(current.name, best);
    }
    return true;
  };

  for (const template of templates) add(template);

  return {
    get: (nameOrUuid) => byUuid.get(nameOrUuid.toLowerCase()) ?? byName.get(nameOrUuid),
    list: () =>
      [...byUuid.values()].sort(
        (a, b) => a.name.localeCompare(b.name, 'en') || a.uuid.localeCompare(b.uuid, 'en'),
      ),
    add,
    get size() {
      return byUuid.size;
    },
  };
}
