import { ForbiddenError } from '@waggle/errors';
import type { Principal } from '../access/principal.js';
import type { TagInput } from '../input/inputs.js';
import type { TagRecord } from '../model/records.js';
import type { Repositories } from '../ports/store.js';

/** A default colour derived from the name, so the same tag looks the same everywhere. */
export function tagColour(name: string): string {
  let h = 0;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `#${(h & 0xffffff).toString(16).padStart(6, '0')}`;
}

/** Finds tags by name, creating missing ones (needs perm_tag_editor, as in MISP). Cached per unit of work. */
export function createTagResolver(repos: Repositories, p: Principal) {
  const cache = new Map<string, TagRecord>();
  return async function resolve(input: TagInput): Promise<TagRecord> {
    const name = input.name.trim();
    const hit = cache.get(name);
    if (hit !== undefined) return hit;
    let tag = await repos.getTag(name);
    if (tag === undefined) {
      if (!p.role.perm_site_admin && !p.role.perm_tag_editor && !p.role.perm_tagger) {
        throw new ForbiddenError(`Tag "${name}" does not exist and you may not create tags.`);
      }
      tag = await repos.insertTag({
        name,
        colour: input.colour ?? tagColour(name),
        exportable: input.exportable ?? true,
        org_id: 0,
        user_id: 0,
        hide_tag: false,
        numerical_value: null,
        is_galaxy: name.startsWith('misp-galaxy:'),
        is_custom_galaxy: false,
        local_only: false,
      });
    }
    cache.set(name, tag);
    return tag;
  };
}

/** The resolver's type. */
export type TagResolver = ReturnType<typeof createTagResolver>;
