import { ForbiddenError, InputError, NotFoundError } from '@waggle/errors';
import type { Principal } from '../access/principal.js';
import { canModifyEvent, requirePermission } from '../access/permissions.js';
import { canSeeEvent } from '../access/visibility.js';
import type { TagInput } from '../input/inputs.js';
import type { TagRecord } from '../model/records.js';
import type { Patch, Ref, Repositories } from '../ports/store.js';
import { tagJson, type MispJson } from '../views/misp-json.js';
import { touchEvent } from './attributes.js';
import { audit } from './audit.js';
import { publishAll, type CoreDeps } from './deps.js';
import { tagColour } from './tag-resolver.js';
import { visibleAttribute, visibleEvent } from './visible.js';

async function tagByRef(repos: Repositories, ref: Ref): Promise<TagRecord> {
  const tag = await repos.getTag(ref);
  if (tag === undefined) throw new NotFoundError('Invalid tag.');
  return tag;
}

/** What a tag was attached to or removed from: MISP's object type and id. */
export interface TagTarget {
  readonly model: 'Event' | 'Attribute';
  readonly id: number;
}

function targetOf(t: { kind: 'event' | 'attribute'; event: { id: number }; attributeId: number }): TagTarget {
  return t.kind === 'event' ? { model: 'Event', id: t.event.id } : { model: 'Attribute', id: t.attributeId };
}

/**
 * MISP's `TagsController::attachTagToObject` check of a restricted tag: outside site admins, a tag
 * with an `org_id` may only be attached by that organisation's users, one with a `user_id` by that user.
 */
function restrictionRefusal(p: Principal, tag: TagRecord): string | undefined {
  if (p.role.perm_site_admin) return undefined;
  if (tag.org_id !== 0 && tag.org_id !== p.user.org_id) return 'Invalid Tag. This tag can only be set by a fixed organisation.';
  if (tag.user_id !== 0 && tag.user_id !== p.user.id) return 'Invalid Tag. This tag can only be set by a fixed user.';
  return undefined;
}

/** A restriction names an existing organisation or user (0: none). */
async function checkRestriction(repos: Repositories, r: { org_id?: number; user_id?: number }): Promise<void> {
  if (r.org_id !== undefined && r.org_id !== 0 && (await repos.getOrganisation(r.org_id)) === undefined) {
    throw new InputError(`Tag.org_id: there is no organisation ${r.org_id}`, { field: 'Tag.org_id' });
  }
  if (r.user_id !== undefined && r.user_id !== 0 && (await repos.getUser(r.user_id)) === undefined) {
    throw new InputError(`Tag.user_id: there is no user ${r.user_id}`, { field: 'Tag.user_id' });
  }
}

/** Tag use cases: the tag list, and tagging/untagging events and attributes. */
export function createTagService(deps: CoreDeps) {
  const { store, clock } = deps;

  /**
   * Finds what a UUID names (event or attribute) and checks the principal may tag it. As MISP's
   * `TagsController::__findObjectByUuid`, a UUID naming neither a visible event nor a visible attribute
   * is 404 "Invalid Target.".
   */
  async function target(repos: Repositories, p: Principal, uuid: string, local: boolean) {
    requirePermission(p, 'perm_tagger', 'tag');
    const event = await repos.getEvent(uuid);
    if (event !== undefined && canSeeEvent(p.viewer, event)) {
      const e = await visibleEvent(repos, p, event.id);
      // Local tags may be set by any organisation that sees the event (MISP's rule); global ones need edit rights.
      if (!local && !canModifyEvent(p, e)) throw new ForbiddenError('You do not have permission to do that.');
      return { kind: 'event' as const, event: e, attributeId: 0 };
    }
    const { attribute, event: e } = await visibleAttribute(repos, p, uuid).catch((error: unknown) => {
      throw error instanceof NotFoundError ? new NotFoundError('Invalid Target.') : error;
    });
    if (!local && !canModifyEvent(p, e)) throw new ForbiddenError('You do not have permission to do that.');
    return { kind: 'attribute' as const, event: e, attributeId: attribute.id };
  }

  return {
    /** Event-level tags of the events the principal may see, with how many events carry each (MISP's tagStatistics). */
    async statistics(p: Principal): Promise<{ name: string; count: number }[]> {
      return store.read((repos) => repos.countEventTags(p.viewer));
    },

    async list(search?: string): Promise<MispJson[]> {
      return store.read(async (repos) => (await repos.listTags(search === undefined ? {} : { search })).map((t) => tagJson(t)));
    },

    async view(ref: Ref): Promise<MispJson> {
      return store.read(async (repos) => tagJson(await tagByRef(repos, ref)));
    },

    /** Adds a tag; `org_id`/`user_id` (0: anyone) restrict who may attach it, as MISP's tag restrictions. */
    async add(p: Principal, input: TagInput & { hide_tag?: boolean; numerical_value?: number | null; org_id?: number; user_id?: number }): Promise<MispJson> {
      requirePermission(p, 'perm_tag_editor', 'create tags');
      return store.write(async (repos) => {
        if ((await repos.getTag(input.name)) !== undefined) throw new InputError(`A tag named "${input.name}" already exists`, { field: 'Tag.name' });
        await checkRestriction(repos, input);
        const tag = await repos.insertTag({
          name: input.name, colour: input.colour ?? tagColour(input.name), exportable: input.exportable ?? true, org_id: input.org_id ?? 0, user_id: input.user_id ?? 0,
          hide_tag: input.hide_tag ?? false, numerical_value: input.numerical_value ?? null, is_galaxy: input.name.startsWith('misp-galaxy:'),
          is_custom_galaxy: false, local_only: input.local ?? false,
        });
        await audit(repos, p, clock.now(), { action: 'add', model: 'Tag', modelId: tag.id, title: tag.name });
        return tagJson(tag);
      });
    },

    async edit(p: Principal, ref: Ref, patch: Patch<TagRecord>): Promise<MispJson> {
      requirePermission(p, 'perm_tag_editor', 'edit tags');
      return store.write(async (repos) => {
        const tag = await tagByRef(repos, ref);
        await checkRestriction(repos, patch);
        const updated = await repos.updateTag(tag.id, patch);
        await audit(repos, p, clock.now(), { action: 'edit', model: 'Tag', modelId: tag.id, title: tag.name, change: patch });
        return tagJson(updated);
      });
    },

    async delete(p: Principal, ref: Ref): Promise<TagRecord> {
      requirePermission(p, 'perm_tag_editor', 'delete tags');
      return store.write(async (repos) => {
        const tag = await tagByRef(repos, ref);
        await repos.deleteTag(tag.id);
        await audit(repos, p, clock.now(), { action: 'delete', model: 'Tag', modelId: tag.id, title: tag.name });
        return tag;
      });
    },

    /**
     * Attaches a tag (by id or name; unknown names are created) to the event or attribute with this UUID.
     * `target` names what was tagged, as MISP's messages do (`Event(12)`, `Attribute(40)`).
     */
    async attach(p: Principal, uuid: string, tagRef: Ref, local: boolean): Promise<{ added: boolean; tag: TagRecord; target: TagTarget }> {
      const result = await store.write(async (repos) => {
        const t = await target(repos, p, uuid, local);
        let tag = await repos.getTag(tagRef);
        if (tag === undefined) {
          if (typeof tagRef !== 'string' || /^[0-9]+$/.test(tagRef)) throw new NotFoundError('Invalid tag.');
          requirePermission(p, 'perm_tag_editor', 'create tags');
          tag = await repos.insertTag({ name: tagRef, colour: tagColour(tagRef), exportable: true, org_id: 0, user_id: 0, hide_tag: false, numerical_value: null, is_galaxy: tagRef.startsWith('misp-galaxy:'), is_custom_galaxy: false, local_only: false });
        }
        const refused = restrictionRefusal(p, tag);
        if (refused !== undefined) throw new ForbiddenError(`Failed to attach 1 tags. Reasons: ${JSON.stringify({ 0: refused })}`);
        const added = t.kind === 'event'
          ? await repos.attachEventTag(t.event.id, tag.id, local)
          : await repos.attachAttributeTag(t.attributeId, t.event.id, tag.id, local);
        const now = clock.now();
        if (added && !local) await touchEvent(repos, t.event, now);
        await audit(repos, p, now, { action: 'tag', model: t.kind === 'event' ? 'Event' : 'Attribute', modelId: t.kind === 'event' ? t.event.id : t.attributeId, title: tag.name });
        return { added, tag, eventId: t.event.id, target: targetOf(t) };
      });
      await publishAll(deps.bus, [{ topic: 'misp_json_tag', payload: { Tag: tagJson(result.tag), uuid, event_id: String(result.eventId), action: 'attach' } }]);
      return { added: result.added, tag: result.tag, target: result.target };
    },

    /** Removes a tag from the event or attribute with this UUID; `local` is whether the removed link was a local tag. */
    async detach(p: Principal, uuid: string, tagRef: Ref): Promise<{ removed: boolean; tag: TagRecord; local: boolean; target: TagTarget }> {
      const result = await store.write(async (repos) => {
        const tag = await tagByRef(repos, tagRef);
        const t = await target(repos, p, uuid, true);
        const links = t.kind === 'event' ? await repos.listEventTags([t.event.id]) : await repos.listAttributeTags([t.attributeId]);
        const link = links.find((l) => l.tag.id === tag.id);
        if (link !== undefined && !link.local && !canModifyEvent(p, t.event)) throw new ForbiddenError('You do not have permission to do that.');
        const removed = t.kind === 'event' ? await repos.detachEventTag(t.event.id, tag.id) : await repos.detachAttributeTag(t.attributeId, tag.id);
        if (removed && link !== undefined && !link.local) await touchEvent(repos, t.event, clock.now());
        return { removed, tag, local: link?.local ?? false, target: targetOf(t) };
      });
      if (result.removed) await publishAll(deps.bus, [{ topic: 'misp_json_tag', payload: { Tag: tagJson(result.tag), uuid, action: 'detach' } }]);
      return result;
    },
  };
}

/** The tag service's type. */
export type TagService = ReturnType<typeof createTagService>;
