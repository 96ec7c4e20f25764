import type { Principal } from '@waggle/core';
import { InputError, NotFoundError } from '@waggle/errors';
import { compareTaxiiTimestamps, formatTaxiiTimestamp, selectTaxiiRecords, versionOf, type StixLike, type TaxiiCollection, type TaxiiRecordMeta } from '@waggle/taxii';
import type { TaxiiSource, TaxiiSourceRecord } from '../taxii-source.js';

/** A collection held in memory, with who may see it. */
export interface MemoryTaxiiCollection {
  readonly collection: TaxiiCollection;
  /** Who may see the collection (default: everyone). */
  readonly visibleTo?: (p: Principal) => boolean;
  readonly objects?: readonly { readonly object: StixLike; readonly dateAdded: string }[];
}

interface Stored extends TaxiiRecordMeta {
  readonly seq: number;
  readonly record: TaxiiSourceRecord;
}

/** An in-memory TaxiiSource for tests: TAXII selection via selectTaxiiRecords, positions `dateAdded|seq`. */
export function createMemoryTaxiiSource(deps: { readonly collections: readonly MemoryTaxiiCollection[]; readonly now?: () => Date }): TaxiiSource & { size(collectionId: string): number } {
  let seq = 0;
  const now = deps.now ?? (() => new Date());
  const store = new Map<string, { def: MemoryTaxiiCollection; records: Stored[] }>();
  const toStored = (object: StixLike, dateAdded: string): Stored => {
    const version = versionOf(object, dateAdded);
    return { seq: seq++, id: object.id, type: object.type, version, dateAdded, specVersion: object.spec_version ?? '2.1', record: { object, dateAdded, version } };
  };
  for (const def of deps.collections) {
    store.set(def.collection.id, { def, records: (def.objects ?? []).map((o) => toStored(o.object, o.dateAdded)) });
  }
  const visible = (p: Principal, id: string): { def: MemoryTaxiiCollection; records: Stored[] } => {
    const c = store.get(id);
    if (c === undefined || !(c.def.visibleTo?.(p) ?? true)) throw new NotFoundError(`No collection ${id}`);
    return c;
  };
  const after = (r: Stored, pos: { dateAdded: string; seq: number }): boolean => {
    const c = compareTaxiiTimestamps(r.dateAdded, pos.dateAdded);
    return c > 0 || (c === 0 && r.seq > pos.seq);
  };

  return {
    async collections(p) {
      return [...store.values()].filter((c) => c.def.visibleTo?.(p) ?? true).map((c) => c.def.collection);
    },
    async objects(p, collectionId, filter, page) {
      const selected = selectTaxiiRecords(visible(p, collectionId).records, filter);
      let start = 0;
      if (page.next !== undefined) {
        const m = /^(.+)\|(\d+)$/.exec(page.next);
        if (m === null) throw new InputError('Bad position', { field: 'next' });
        const pos = { dateAdded: m[1] as string, seq: Number(m[2]) };
        start = selected.findIndex((r) => after(r, pos));
        if (start === -1) start = selected.length;
      }
      const slice = selected.slice(start, start + page.limit);
      const more = start + slice.length < selected.length;
      const last = slice[slice.length - 1];
      return { objects: slice.map((s) => s.record), more, ...(more && last !== undefined ? { next: `${last.dateAdded}|${last.seq}` } : {}) };
    },
    async add(p, collectionId, objects) {
      const c = visible(p, collectionId);
      const dateAdded = formatTaxiiTimestamp(now());
      const failed: { id: string; message: string }[] = [];
      let succeeded = 0;
      for (const object of objects) {
        const version = versionOf(object, dateAdded);
        if (c.records.some((r) => r.id === object.id && compareTaxiiTimestamps(r.version, version) === 0)) {
          failed.push({ id: object.id, message: 'This version of the object is already in the collection' });
          continue;
        }
        c.records.push(toStored(object, dateAdded));
        succeeded++;
      }
      return { succeeded, failed };
    },
    size(collectionId) {
      return store.get(collectionId)?.records.length ?? 0;
    },
  };
}
