import { createWarninglistMatcher, parseWarninglist, type Warninglist, type WarninglistHit, type WarninglistMatcher } from '@waggle/intel';
import type { CachedDocument, DocumentParser } from './document-cache.js';

/** What is kept of a stored warninglist: the entries only while it is enabled (the matcher needs them). */
export interface WarninglistValue {
  readonly list: Warninglist;
  readonly entryCount: number;
}

/** A stored warninglist with its database id and enabled flag. */
export type WarninglistItem = CachedDocument<WarninglistValue>;

/** The warninglists as loaded, and one matcher over the enabled ones. */
export interface WarninglistCatalogue {
  readonly items: readonly WarninglistItem[];
  /** Hits carry the list's database id as `id`. */
  readonly matcher: WarninglistMatcher;
  /** By id, folder name or list name. */
  find(ref: string | number): WarninglistItem | undefined;
  byId(id: number): WarninglistItem | undefined;
  /**
   * `warninglists/checkValue`: a bare value has no attribute type, so every
   * enabled list is tried whatever its `matching_attributes` (as MISP does);
   * the type guessed from the value's shape only picks the normalisation.
   */
  checkValue(value: string): WarninglistHit[];
}

/** The attribute type a bare value most likely has (for normalisation: lowercased hashes, hosts…). */
export function guessType(value: string): string {
  if (/^[0-9.]+(\/\d+)?$/.test(value) || (value.includes(':') && /^[0-9a-f:.]+(\/\d+)?$/i.test(value))) return 'ip-dst';
  if (value.includes('://')) return 'url';
  if (/^[^@\s]+@[^@\s]+$/.test(value)) return 'email';
  if (/^[0-9a-f]+$/i.test(value)) return ({ 32: 'md5', 40: 'sha1', 64: 'sha256', 128: 'sha512' } as Record<number, string>)[value.length] ?? 'text';
  if (/^[^\s/]+\.[^\s/]+$/.test(value)) return 'domain';
  return 'text';
}

/** Parses a stored list.json; a disabled list keeps its description but not its entries. */
export const parseWarninglistDocument: DocumentParser<WarninglistValue> = (json, row) => {
  const parsed = parseWarninglist(json, row.name);
  if (!parsed.ok) return { problem: parsed.problems.join('; ') };
  const list = parsed.warninglist;
  return { value: { list: row.enabled ? list : { ...list, list: [], comments: new Map() }, entryCount: list.list.length } };
};

/** Builds the catalogue and its matcher (the only costly step, done once per change). */
export function buildWarninglistCatalogue(items: readonly WarninglistItem[], warningForAll = false): WarninglistCatalogue {
  const enabled = items.filter((i) => i.enabled).map((i) => ({ ...i.value.list, id: String(i.id) }));
  const matcher = createWarninglistMatcher(enabled, { warningForAll });
  const byId = new Map(items.map((i) => [i.id, i]));
  let anyType: WarninglistMatcher | undefined;
  const byName = new Map<string, WarninglistItem>();
  for (const i of items) {
    if (!byName.has(i.name)) byName.set(i.name, i);
    if (!byName.has(i.value.list.name)) byName.set(i.value.list.name, i);
  }
  return {
    items,
    matcher,
    find: (ref) => {
      const s = String(ref);
      return /^[0-9]+$/.test(s) ? byId.get(Number(s)) : byName.get(s);
    },
    byId: (id) => byId.get(id),
    checkValue: (value) => {
      // Built on first use only: most servers never call checkValue.
      anyType ??= createWarninglistMatcher(enabled.map((l) => ({ ...l, matching_attributes: ['ALL'] })));
      return anyType.match(guessType(value), value);
    },
  };
}
