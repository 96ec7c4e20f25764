import { createTaxonomyIndex, type Taxonomy, type TaxonomyTag } from '@waggle/intel';
import type { Repositories, Store, TagRecord } from '@waggle/core';

/** The tags a taxonomy defines, whether or not it is enabled. */
export function taxonomyTags(taxonomy: Taxonomy): readonly TaxonomyTag[] {
  return createTaxonomyIndex([taxonomy]).allTags(taxonomy.namespace) ?? [];
}

/** Inserts a taxonomy tag as MISP's Taxonomy::addTags does: the taxonomy's colour and numerical value. */
export async function insertTaxonomyTag(repos: Repositories, tag: TaxonomyTag): Promise<TagRecord> {
  return repos.insertTag({
    name: tag.name, colour: tag.colour, exportable: true, org_id: 0, user_id: 0, hide_tag: false,
    numerical_value: tag.numerical_value ?? null, is_galaxy: false, is_custom_galaxy: false, local_only: false,
  });
}

/**
 * Creates the taxonomy's missing tags and shows its hidden ones again, with
 * the taxonomy's numerical values (MISP's `taxonomies/addTag`). One
 * transaction: either every tag is there afterwards or nothing changed.
 */
export async function enableTaxonomyTags(store: Store, taxonomy: Taxonomy): Promise<{ created: number; updated: number }> {
  const wanted = taxonomyTags(taxonomy);
  return store.write(async (repos) => {
    const existing = new Map((await repos.listTags({ search: `${taxonomy.namespace}:%` })).map((t) => [t.name, t]));
    let created = 0;
    let updated = 0;
    for (const tag of wanted) {
      const current = existing.get(tag.name) ?? (await repos.getTag(tag.name));
      if (current === undefined) {
        await insertTaxonomyTag(repos, tag);
        created++;
        continue;
      }
      const numerical = tag.numerical_value ?? null;
      if (current.hide_tag || current.numerical_value !== numerical) {
        await repos.updateTag(current.id, { hide_tag: false, numerical_value: numerical });
        updated++;
      }
    }
    return { created, updated };
  });
}

/** Hides the taxonomy's existing tags (MISP's `taxonomies/disableTag`); attachments stay. */
export async function hideTaxonomyTags(store: Store, taxonomy: Taxonomy): Promise<number> {
  const names = new Set(taxonomyTags(taxonomy).map((t) => t.name));
  return store.write(async (repos) => {
    let hidden = 0;
    for (const tag of await repos.listTags({ search: `${taxonomy.namespace}:%` })) {
      if (!names.has(tag.name) || tag.hide_tag) continue;
      await repos.updateTag(tag.id, { hide_tag: true });
      hidden++;
    }
    return hidden;
  });
}

/** The existing tags by name (for `existing_tag` and counts in taxonomy views). */
export async function tagsByName(store: Store, namespace?: string): Promise<Map<string, TagRecord>> {
  const tags = await store.read((repos) => repos.listTags(namespace === undefined ? {} : { search: `${namespace}:%` }));
  return new Map(tags.map((t) => [t.name, t]));
}
