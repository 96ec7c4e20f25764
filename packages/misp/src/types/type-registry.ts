import { describeTypes } from './describe-types.js';

interface Registry {
  readonly types: ReadonlySet<string>;
  readonly categories: ReadonlySet<string>;
  readonly typesByCategory: ReadonlyMap<string, ReadonlySet<string>>;
  readonly defaults: ReadonlyMap<string, { readonly category: string; readonly toIds: boolean }>;
}

let cached: Registry | undefined;

// Sets and maps rather than property lookups on the JSON objects, so names such
// as "__proto__" or "constructor" can never be mistaken for known entries.
function registry(): Registry {
  if (cached) return cached;
  const described = describeTypes();
  const typesByCategory = new Map<string, ReadonlySet<string>>();
  for (const category of described.categories) {
    typesByCategory.set(category, new Set(described.category_type_mappings[category] ?? []));
  }
  const defaults = new Map<string, { category: string; toIds: boolean }>();
  for (const type of described.types) {
    const entry = described.sane_defaults[type];
    if (entry) defaults.set(type, { category: entry.default_category, toIds: entry.to_ids === 1 });
  }
  cached = { types: new Set(described.types), categories: new Set(described.categories), typesByCategory, defaults };
  return cached;
}

/** Whether `type` is one of MISP's attribute types (case-sensitive, as in MISP). */
export function isKnownType(type: string): boolean {
  return registry().types.has(type);
}

/** Whether `category` is one of MISP's attribute categories (case-sensitive). */
export function isKnownCategory(category: string): boolean {
  return registry().categories.has(category);
}

/** The category MISP assigns when an attribute of `type` comes without one; undefined for unknown types. */
export function defaultCategory(type: string): string | undefined {
  return registry().defaults.get(type)?.category;
}

/** MISP's default `to_ids` flag for `type`; undefined for unknown types. */
export function defaultToIds(type: string): boolean | undefined {
  return registry().defaults.get(type)?.toIds;
}

/** Whether MISP allows an attribute of `type` in `category` (false when either is unknown). */
export function isCategoryAllowed(category: string, type: string): boolean {
  return registry().typesByCategory.get(category)?.has(type) ?? false;
}

/** The categories in which `type` may appear, in registry order (empty for unknown types). */
export function categoriesForType(type: string): string[] {
  const categories: string[] = [];
  for (const [category, types] of registry().typesByCategory) {
    if (types.has(type)) categories.push(category);
  }
  return categories;
}

/**
 * Whether `type` is a composite type whose value is `value1|value2`: every known
 * type whose name contains `|`, plus `malware-sample` (`filename|md5`), which MISP
 * hard-codes as composite.
 */
export function isCompositeType(type: string): boolean {
  return isKnownType(type) && (type === 'malware-sample' || type.includes('|'));
}
