import { deleteAnalystDataOn } from './analyst-data-access.js';
import { InputError, NotFoundError } from '@waggle/errors';
import type { Principal } from '../access/principal.js';
import { requireModifyEvent } from '../access/permissions.js';
import { canSeeElement } from '../access/visibility.js';
import type { ObjectInput, ReferenceInput } from '../input/inputs.js';
import type { AttributeRecord, ObjectRecord } from '../model/records.js';
import type { SearchFilters } from '../ports/queries.js';
import type { Ref, Repositories } from '../ports/store.js';
import { attachmentDataOf } from '../views/attribute-data.js';
import { attributeJson, attributeValue, groupTags, objectJson, referenceJson, type MispJson } from '../views/misp-json.js';
import { touchEvent } from './attributes.js';
import { audit } from './audit.js';
import { publishAll, type CoreDeps, type Outgoing } from './deps.js';
import { writeObject, writeReferences, type WriteContext } from './event-writer.js';
import { createTagResolver } from './tag-resolver.js';
import { visibleEvent, visibleObject } from './visible.js';

/** The attributes of an object as one comparable string: relation, type and value of each, sorted. */
function signature(attributes: readonly AttributeRecord[]): string {
  return attributes.map((a) => `${a.object_relation ?? ''}\u0000${a.type}\u0000${attributeValue(a)}`).sort().join('\u0001');
}

/** MISP's `breakOnDuplicate` for objects: refuses a live object of the same name with the same attributes in the event. */
async function refuseDuplicateObject(repos: Repositories, object: ObjectRecord, attributes: readonly AttributeRecord[]): Promise<void> {
  const others = (await repos.listObjectsOfEvents([object.event_id], { includeDeleted: false })).filter((o) => o.id !== object.id && o.name === object.name && !o.deleted);
  if (others.length === 0) return;
  const mine = signature(attributes.filter((a) => !a.deleted));
  const all = await repos.listAttributesOfEvents([object.event_id], { includeDeleted: false });
  for (const o of others) {
    if (signature(all.filter((a) => a.object_id === o.id)) === mine) {
      throw new InputError('Duplicate object found. Since breakOnDuplicate is set the object will not be added.', { field: 'Object' });
    }
  }
}

/** Object and object-reference use cases. */
export function createObjectService(deps: CoreDeps) {
  const { store, clock } = deps;

  async function objectView(repos: Repositories, p: Principal, objectId: number, includeDeleted = false): Promise<MispJson> {
    const { object, event } = await visibleObject(repos, p, objectId);
    const attrs = (await repos.listAttributesOfEvents([event.id], { includeDeleted })).filter((a) => a.object_id === object.id && canSeeElement(p.viewer, a, event));
    const tags = groupTags(await repos.listAttributeTags(attrs.map((a) => a.id)));
    const refs = (await repos.listReferencesOfObjects([object.id])).filter((r) => includeDeleted || !r.deleted);
    const contents = await attachmentDataOf(repos, attrs);
    return objectJson(
      object,
      attrs.map((a) => {
        const data = contents.get(a.id);
        return attributeJson(a, data === undefined ? { Tag: tags.get(a.id) ?? [] } : { Tag: tags.get(a.id) ?? [], data });
      }),
      refs.map(referenceJson),
    );
  }

  return {
    /** Adds an object; with `breakOnDuplicate` (PyMISP's `add_object(…, break_on_duplicate=True)`) a duplicate is refused. */
    async add(p: Principal, eventRef: Ref, input: ObjectInput, opts: { readonly breakOnDuplicate?: boolean } = {}): Promise<MispJson> {
      const outgoing: Outgoing[] = [];
      const json = await store.write(async (repos) => {
        const event = await visibleEvent(repos, p, eventRef);
        requireModifyEvent(p, event);
        if (input.uuid !== undefined && (await repos.getObject(input.uuid)) !== undefined) {
          throw new InputError('Object.uuid: an object with this UUID already exists', { field: 'Object.uuid' });
        }
        const now = clock.now();
        const ctx: WriteContext = { deps, repos, principal: p, event, now, resolveTag: createTagResolver(repos, p) };
        const { object, attributes } = await writeObject(ctx, input, 'Object');
        if (opts.breakOnDuplicate === true) await refuseDuplicateObject(repos, object, attributes);
        await writeReferences(ctx, object, input);
        await repos.recountAttributes(event.id);
        await touchEvent(repos, event, now);
        await audit(repos, p, now, { action: 'add', model: 'MispObject', modelId: object.id, title: object.name });
        const out = await objectView(repos, p, object.id);
        outgoing.push({ topic: 'misp_json_object', payload: { Object: out, action: 'add' } });
        return out;
      });
      await publishAll(deps.bus, outgoing);
      return json;
    },

    async view(p: Principal, ref: Ref): Promise<MispJson> {
      return store.read(async (repos) => {
        const { object } = await visibleObject(repos, p, ref);
        return objectView(repos, p, object.id);
      });
    },

    async delete(p: Principal, ref: Ref, hard: boolean): Promise<void> {
      await store.write(async (repos) => {
        const { object, event } = await visibleObject(repos, p, ref);
        requireModifyEvent(p, event);
        const now = Math.max(clock.now(), object.timestamp + 1);
        const attrs = (await repos.listAttributesOfEvents([event.id], { includeDeleted: true })).filter((a) => a.object_id === object.id);
        if (hard) {
          await deleteAnalystDataOn(repos, [object.uuid, ...attrs.map((a) => a.uuid)]);
          for (const a of attrs) await repos.deleteAttribute(a.id);
          await repos.deleteObject(object.id);
        } else {
          for (const a of attrs) await repos.updateAttribute(a.id, { deleted: true, timestamp: now });
          await repos.updateObject(object.id, { deleted: true, timestamp: now });
        }
        await repos.recountAttributes(event.id);
        await touchEvent(repos, event, now);
        await audit(repos, p, now, { action: hard ? 'delete' : 'soft-delete', model: 'MispObject', modelId: object.id, title: object.name });
      });
      await publishAll(deps.bus, [{ topic: 'misp_json_object', payload: { Object: { id: String(ref) }, action: 'delete' } }]);
    },

    async search(p: Principal, filters: SearchFilters): Promise<MispJson[]> {
      return store.read(async (repos) => {
        const objects = await repos.searchObjects(filters, p.viewer);
        const out: MispJson[] = [];
        for (const o of objects) out.push(await objectView(repos, p, o.id, filters.deleted === true));
        return out;
      });
    },

    async addReference(p: Principal, objectRef: Ref, input: ReferenceInput): Promise<MispJson> {
      return store.write(async (repos) => {
        const { object, event } = await visibleObject(repos, p, objectRef);
        requireModifyEvent(p, event);
        const now = clock.now();
        const ctx: WriteContext = { deps, repos, principal: p, event, now, resolveTag: createTagResolver(repos, p) };
        const before = new Set((await repos.listReferencesOfObjects([object.id])).map((r) => r.id));
        await writeReferences(ctx, object, { name: object.name, attributes: [], references: [input] });
        const created = (await repos.listReferencesOfObjects([object.id])).find((r) => !before.has(r.id));
        if (created === undefined) throw new NotFoundError('Reference could not be created');
        await touchEvent(repos, event, now);
        return referenceJson(created);
      });
    },

    async deleteReference(p: Principal, ref: Ref, hard: boolean): Promise<void> {
      await store.write(async (repos) => {
        const reference = await repos.getReference(ref);
        if (reference === undefined) throw new NotFoundError('Invalid object reference.');
        const { event } = await visibleObject(repos, p, reference.object_id);
        requireModifyEvent(p, event);
        if (hard) await repos.deleteReference(reference.id);
        else await repos.updateReference(reference.id, { deleted: true, timestamp: clock.now() });
      });
    },
  };
}

/** The object service's type. */
export type ObjectService = ReturnType<typeof createObjectService>;
