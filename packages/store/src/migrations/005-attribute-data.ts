import type { Migration } from 'kysely';
import type { SqlEngine } from '../db/engine.js';
import type { AnyDb, Builder } from './columns.js';

/**
 * The base64 content of `attachment` and `malware-sample` attributes (MISP's
 * `data` field), in a table of its own: the hot `attributes` table and its bulk
 * insert stay as they are, and only attachments pay for the content.
 */
export function attributeDataMigration(engine: SqlEngine): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      const builder = db.schema.createTable('attribute_data') as unknown as Builder;
      await builder
        .addColumn('attribute_id', engine === 'postgres' ? 'bigint' : 'integer', (c) => c.primaryKey().references('attributes.id').onDelete('cascade'))
        .addColumn('data', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: AnyDb): Promise<void> {
      await db.schema.dropTable('attribute_data').ifExists().execute();
    },
  };
}
