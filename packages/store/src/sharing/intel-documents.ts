import type { Kysely } from 'kysely';
import { NotFoundError } from '@waggle/errors';
import type { Database } from '../db/schema.js';
import type { IntelDocumentRecord } from './records.js';

/** The kinds of MISP data set documents kept. */
export type IntelKind = 'taxonomy' | 'galaxy' | 'galaxy-clusters' | 'warninglist';

/** The data sets `waggle data import` reads: upstream MISP checkouts (misp-taxonomies, misp-galaxy, misp-warninglists). */
export type IntelDataSet = 'taxonomies' | 'galaxies' | 'warninglists';

/** Taxonomies, galaxies and warninglists as imported, in MISP's own JSON. */
export interface IntelDocuments {
  /** Inserts or replaces a document (keeps its enabled flag when replacing). */
  upsert(kind: IntelKind, name: string, version: string, document: string, enabledIfNew: boolean): Promise<'added' | 'updated' | 'unchanged'>;
  list(kind: IntelKind, options?: { enabledOnly?: boolean; withDocument?: boolean }): Promise<IntelDocumentRecord[]>;
  get(kind: IntelKind, ref: number | string): Promise<IntelDocumentRecord | undefined>;
  setEnabled(kind: IntelKind, ref: number | string, enabled: boolean): Promise<IntelDocumentRecord>;
  /** Sets a taxonomy's `required` flag; `updated` does not move (the document did not change). */
  setRequired(kind: IntelKind, ref: number | string, required: boolean): Promise<IntelDocumentRecord>;
  /** Remembers a folder an import read (absolute path), once per data set. */
  recordSource(set: IntelDataSet, path: string): Promise<void>;
  /** The folders imports of a data set read, oldest first. */
  sources(set: IntelDataSet): Promise<string[]>;
}

/** Creates the document store over an open database. */
export function createIntelDocuments(db: Kysely<Database>, clock: () => number = () => Math.floor(Date.now() / 1000)): IntelDocuments {
  const flag = (v: unknown): boolean => v === 1 || v === true || v === '1';
  const toRecord = (r: Record<string, unknown>): IntelDocumentRecord => ({
    id: Number(r.id), kind: String(r.kind), name: String(r.name), version: String(r.version),
    enabled: flag(r.enabled), required: flag(r.required), document: String(r.document ?? ''), updated: Number(r.updated),
  });
  async function get(kind: IntelKind, ref: number | string): Promise<IntelDocumentRecord | undefined> {
    const q = db.selectFrom('intel_documents').selectAll().where('kind', '=', kind);
    const n = typeof ref === 'number' ? ref : /^\d+$/.test(ref) ? Number(ref) : undefined;
    const row = await (n !== undefined ? q.where('id', '=', n) : q.where('name', '=', String(ref))).executeTakeFirst();
    return row === undefined ? undefined : toRecord(row as unknown as Record<string, unknown>);
  }
  return {
    async upsert(kind, name, version, document, enabledIfNew) {
      const existing = await db.selectFrom('intel_documents').select(['id', 'version', 'document']).where('kind', '=', kind).where('name', '=', name).executeTakeFirst();
      if (existing === undefined) {
        await db.insertInto('intel_documents').values({ kind, name, version, document, enabled: enabledIfNew, required: false, updated: clock() }).execute();
        return 'added';
      }
      if (existing.version === version && existing.document === document) return 'unchanged';
      await db.updateTable('intel_documents').set({ version, document, updated: clock() }).where('id', '=', Number(existing.id)).execute();
      return 'updated';
    },
    async list(kind, options = {}) {
      const cols = ['id', 'kind', 'name', 'version', 'enabled', 'required', 'updated', ...(options.withDocument === true ? ['document'] : [])] as const;
      let q = db.selectFrom('intel_documents').select(cols as unknown as ['id']).where('kind', '=', kind).orderBy('name');
      if (options.enabledOnly === true) q = q.where('enabled', '=', true);
      return (await q.execute()).map((r) => toRecord(r as unknown as Record<string, unknown>));
    },
    get,
    async setEnabled(kind, ref, enabled) {
      const doc = await get(kind, ref);
      if (doc === undefined) throw new NotFoundError(`No ${kind} "${String(ref)}"`);
      await db.updateTable('intel_documents').set({ enabled, updated: clock() }).where('id', '=', doc.id).execute();
      return { ...doc, enabled };
    },
    async setRequired(kind, ref, required) {
      const doc = await get(kind, ref);
      if (doc === undefined) throw new NotFoundError(`No ${kind} "${String(ref)}"`);
      await db.updateTable('intel_documents').set({ required }).where('id', '=', doc.id).execute();
      return { ...doc, required };
    },
    async recordSource(set, path) {
      const known = await db.selectFrom('intel_sources').select('id').where('data_set', '=', set).where('path', '=', path).executeTakeFirst();
      if (known === undefined) await db.insertInto('intel_sources').values({ data_set: set, path, created: clock() }).execute();
    },
    async sources(set) {
      return (await db.selectFrom('intel_sources').select('path').where('data_set', '=', set).orderBy('id').execute()).map((r) => r.path);
    },
  };
}
