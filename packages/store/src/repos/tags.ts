import type { AttachedTag, TagRecord, TagRepository } from '@waggle/core';
import type { Insertable } from 'kysely';
import type { Database } from '../db/schema.js';
import { asId, chunks, fromRow, fromRows, mustExist, type RepoContext } from '../db/rows.js';

const toTag = (row: unknown): TagRecord => fromRow<TagRecord>('tags', row);

function attached(rows: readonly Record<string, unknown>[]): AttachedTag[] {
  return rows.map((r) => {
    const { target_id, link_local, ...tag } = r;
    return { target_id: Number(target_id), local: link_local === 1 || link_local === true, tag: toTag(tag) };
  });
}

/** Tags and their links to events and attributes over SQL. */
export function tagRepository(ctx: RepoContext): TagRepository {
  const { db, engine } = ctx;

  async function getTag(ref: number | string): Promise<TagRecord | undefined> {
    const id = asId(ref);
    const q = db.selectFrom('tags').selectAll();
    const row = await (id !== undefined ? q.where('id', '=', id) : q.where('name', '=', String(ref))).executeTakeFirst();
    return row === undefined ? undefined : toTag(row);
  }


  /** Inserts tag links in bulk; a link already stored, or earlier in the list, is skipped (the table's unique index decides). */
  async function insertLinks<T extends 'event_tags' | 'attribute_tags'>(table: T, columns: readonly (keyof Insertable<Database[T]> & string)[], rows: readonly Insertable<Database[T]>[]): Promise<void> {
    if (rows.length === 0) return;
    if (ctx.native !== undefined) {
      ctx.native.insert(table, columns, rows, { ignoreDuplicates: true });
      return;
    }
    for (const part of chunks(rows, 2000)) {
      if (engine === 'postgres') await db.insertInto(table).values(part).onConflict((oc) => oc.doNothing()).execute();
      else await db.insertInto(table).orIgnore().values(part).execute();
    }
  }

  return {
    async insertTag(tag) {
      // Two requests may introduce the same new tag at once: the second one gets the first one's row.
      if (engine === 'postgres') await db.insertInto('tags').values(tag).onConflict((oc) => oc.column('name').doNothing()).execute();
      else await db.insertInto('tags').orIgnore().values(tag).execute();
      const row = await db.selectFrom('tags').selectAll().where('name', '=', tag.name).executeTakeFirstOrThrow();
      return toTag(row);
    },
    getTag,
    async listTags(filter = {}) {
      let q = db.selectFrom('tags').selectAll();
      if (filter.search !== undefined) q = q.where('name', 'like', filter.search);
      return fromRows<TagRecord>('tags', await q.orderBy('name').execute());
    },
    async updateTag(id, patch) {
      if (Object.keys(patch).length > 0) await db.updateTable('tags').set(patch).where('id', '=', id).execute();
      return mustExist(await getTag(id), 'Tag', id);
    },
    async deleteTag(id) {
      await db.deleteFrom('event_tags').where('tag_id', '=', id).execute();
      await db.deleteFrom('attribute_tags').where('tag_id', '=', id).execute();
      await db.deleteFrom('tags').where('id', '=', id).execute();
    },
    async attachEventTag(eventId, tagId, local) {
      const exists = await db.selectFrom('event_tags').select('id').where('event_id', '=', eventId).where('tag_id', '=', tagId).executeTakeFirst();
      if (exists !== undefined) return false;
      await db.insertInto('event_tags').values({ event_id: eventId, tag_id: tagId, local }).execute();
      return true;
    },
    async detachEventTag(eventId, tagId) {
      const r = await db.deleteFrom('event_tags').where('event_id', '=', eventId).where('tag_id', '=', tagId).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async attachAttributeTag(attributeId, eventId, tagId, local) {
      const exists = await db.selectFrom('attribute_tags').select('id').where('attribute_id', '=', attributeId).where('tag_id', '=', tagId).executeTakeFirst();
      if (exists !== undefined) return false;
      await db.insertInto('attribute_tags').values({ attribute_id: attributeId, event_id: eventId, tag_id: tagId, local }).execute();
      return true;
    },
    async detachAttributeTag(attributeId, tagId) {
      const r = await db.deleteFrom('attribute_tags').where('attribute_id', '=', attributeId).where('tag_id', '=', tagId).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async listEventTags(eventIds) {
      if (eventIds.length === 0) return [];
      const rows = await db
        .selectFrom('event_tags')
        .innerJoin('tags', 'tags.id', 'event_tags.tag_id')
        .selectAll('tags')
        .select(['event_tags.event_id as target_id', 'event_tags.local as link_local'])
        .where('event_tags.event_id', 'in', [...eventIds])
        .orderBy('event_tags.id')
        .execute();
      return attached(rows as Record<string, unknown>[]);
    },
    async listAttributeTags(attributeIds) {
      const out: AttachedTag[] = [];
      for (const part of chunks(attributeIds, 5000)) {
        const rows = await db
          .selectFrom('attribute_tags')
          .innerJoin('tags', 'tags.id', 'attribute_tags.tag_id')
          .selectAll('tags')
          .select(['attribute_tags.attribute_id as target_id', 'attribute_tags.local as link_local'])
          .where('attribute_tags.attribute_id', 'in', part)
          .orderBy('attribute_tags.id')
          .execute();
        out.push(...attached(rows as Record<string, unknown>[]));
      }
      return out;
    },
    async attachEventTags(rows) {
      await insertLinks('event_tags', ['event_id', 'tag_id', 'local'], rows);
    },
    async attachAttributeTags(rows) {
      await insertLinks('attribute_tags', ['attribute_id', 'event_id', 'tag_id', 'local'], rows);
    },
  };
}
