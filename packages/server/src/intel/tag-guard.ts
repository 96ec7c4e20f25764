import { InputError, NotFoundError } from '@waggle/errors';
import { requirePermission, visibleAttribute, visibleEvent, type Principal, type Ref, type Repositories, type Store, type TagService } from '@waggle/core';
import type { TaxonomyIndex } from '@waggle/intel';
import type { IntelService } from './intel-service.js';
import { insertTaxonomyTag } from './taxonomy-tags.js';

/**
 * The names of the tags already on the event or attribute with this UUID, with the same locality as the new one.
 * None when the UUID names nothing the principal sees: core's attach then answers MISP's "Invalid Target.".
 */
async function tagsOnTarget(repos: Repositories, p: Principal, uuid: string, local: boolean): Promise<string[]> {
  try {
    const event = await repos.getEvent(uuid);
    let links;
    if (event !== undefined) {
      await visibleEvent(repos, p, event.id);
      links = await repos.listEventTags([event.id]);
    } else {
      const { attribute } = await visibleAttribute(repos, p, uuid);
      links = await repos.listAttributeTags([attribute.id]);
    }
    return links.filter((l) => l.local === local).map((l) => l.tag.name);
  } catch (error) {
    if (error instanceof NotFoundError) return [];
    throw error;
  }
}

/**
 * MISP's `Taxonomy::checkIfNewTagIsAllowedByTaxonomy`: the new tag is refused
 * when it and a tag already there fall in the same exclusive group (the whole
 * namespace of an exclusive taxonomy, or one exclusive predicate). Returns the
 * reason, or `undefined` when the tag may be added.
 */
export function exclusivityConflict(index: TaxonomyIndex, newTag: string, existing: readonly string[]): string | undefined {
  if (existing.includes(newTag)) return undefined;
  const conflict = index.check([...existing, newTag]).find((v) => v.tags.includes(newTag));
  return conflict === undefined ? undefined : `Tag ${newTag} is not allowed: ${conflict.message} and ${conflict.tags.filter((t) => t !== newTag).join(', ')} is already attached.`;
}

/**
 * Wraps core's tag service so every attach (tags/attachTagToObject, galaxy
 * attach, …) follows the enabled taxonomies: exclusive tags are refused with
 * an `InputError` (HTTP 400) before anything is written, and a new tag of an
 * enabled taxonomy is created with the taxonomy's colour and numerical value
 * instead of core's generic defaults.
 *
 * The check reads the target's tags in its own read; two concurrent attaches
 * of conflicting tags can both pass (MISP has the same window).
 */
export function withTaxonomyRules(tags: TagService, deps: { readonly intel: IntelService; readonly store: Store }): TagService {
  return {
    ...tags,
    async attach(p: Principal, uuid: string, tagRef: Ref, local: boolean) {
      requirePermission(p, 'perm_tagger', 'tag');
      const { index } = await deps.intel.taxonomies();
      await deps.store.read(async (repos) => {
        const known = await repos.getTag(tagRef);
        const name = known?.name ?? (typeof tagRef === 'string' && !/^[0-9]+$/.test(tagRef) ? tagRef : undefined);
        // Unknown ids fall through to core, which answers "Invalid tag.".
        if (name === undefined) return;
        const conflict = exclusivityConflict(index, name, await tagsOnTarget(repos, p, uuid, local));
        if (conflict !== undefined) throw new InputError(conflict, { field: 'tag' });
      });
      if (typeof tagRef === 'string' && (p.role.perm_tag_editor || p.role.perm_site_admin)) {
        const described = index.describe(tagRef);
        if (described !== undefined && described.name === tagRef) {
          await deps.store.write(async (repos) => {
            if ((await repos.getTag(tagRef)) === undefined) await insertTaxonomyTag(repos, described);
          });
        }
      }
      return tags.attach(p, uuid, tagRef, local);
    },
  };
}
