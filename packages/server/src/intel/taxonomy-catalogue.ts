import { createTaxonomyIndex, parseTaxonomy, type Taxonomy, type TaxonomyIndex } from '@waggle/intel';
import type { CachedDocument, DocumentParser } from './document-cache.js';

/** A stored taxonomy with its database id and enabled flag. */
export type TaxonomyItem = CachedDocument<Taxonomy>;

/** The taxonomies as loaded: all of them (for listing) and a rule index over the enabled ones. */
export interface TaxonomyCatalogue {
  readonly items: readonly TaxonomyItem[];
  /** Descriptions and exclusivity rules of the enabled taxonomies only: a disabled taxonomy imposes nothing. */
  readonly index: TaxonomyIndex;
  /** By id, or by namespace (case-insensitive, as MISP looks taxonomies up). */
  find(ref: string | number): TaxonomyItem | undefined;
}

/** Parses a stored machinetag.json. */
export const parseTaxonomyDocument: DocumentParser<Taxonomy> = (json) => {
  const parsed = parseTaxonomy(json);
  return parsed.ok ? { value: parsed.taxonomy } : { problem: parsed.problems.join('; ') };
};

/** Builds the catalogue from loaded documents. */
export function buildTaxonomyCatalogue(items: readonly TaxonomyItem[]): TaxonomyCatalogue {
  const index = createTaxonomyIndex(items.filter((i) => i.enabled).map((i) => i.value));
  const byId = new Map(items.map((i) => [i.id, i]));
  const byName = new Map(items.map((i) => [i.value.namespace.toLowerCase(), i]));
  return {
    items,
    index,
    find: (ref) => {
      const s = String(ref);
      return /^[0-9]+$/.test(s) ? byId.get(Number(s)) : byName.get(s.toLowerCase());
    },
  };
}
