import { expect, it } from 'vitest';
import type { Repositories } from '@waggle/core';
import type { RepoContext } from '../db/rows.js';
import type { SqlConnection } from '../db/connect.js';
import { createRepositories } from '../sql-store.js';
import { forEachEngine } from '../test-support/engines.js';
import { insertTestEvent } from '../test-support/events.js';

async function anEvent(repos: Repositories): Promise<number> {
  return (await insertTestEvent(repos, 'tags')).id;
}

const aTag = (name: string) => ({
  name, colour: '#000000', exportable: true, org_id: 0, user_id: 0, hide_tag: false, numerical_value: null, is_galaxy: false, is_custom_galaxy: false, local_only: false,
});

forEachEngine('tagRepository', (getCtx, getConnection) => {
  // On SQLite the write path inserts through the native handle; both paths must answer alike.
  const contexts = (): [string, RepoContext][] => {
    const connection: SqlConnection = getConnection();
    const plain = getCtx();
    return connection.native === undefined ? [['query builder', plain]] : [['query builder', plain], ['native', { ...plain, native: connection.native }]];
  };

  it('attaches many tags to events at once, skipping a tag already there or given twice (first one wins)', async () => {
    for (const [path, ctx] of contexts()) {
      const repos = createRepositories(ctx);
      const [red, blue, green] = [await repos.insertTag(aTag(`red-${path}`)), await repos.insertTag(aTag(`blue-${path}`)), await repos.insertTag(aTag(`green-${path}`))];
      const e1 = await anEvent(repos);
      const e2 = await anEvent(repos);
      expect(await repos.attachEventTag(e1, red.id, false)).toBe(true);
      await repos.attachEventTags([]);
      await repos.attachEventTags([
        { event_id: e1, tag_id: red.id, local: true },
        { event_id: e1, tag_id: blue.id, local: true },
        { event_id: e1, tag_id: blue.id, local: false },
        { event_id: e2, tag_id: green.id, local: false },
      ]);
      const listed = await repos.listEventTags([e1, e2]);
      expect(listed.map((t) => [t.target_id, t.tag.name, t.local]), path).toEqual([
        [e1, red.name, false],
        [e1, blue.name, true],
        [e2, green.name, false],
      ]);
    }
  });
});
