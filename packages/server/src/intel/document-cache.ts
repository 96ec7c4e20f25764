import type { IntelDocumentRecord, IntelDocuments, IntelKind } from '@waggle/store';

/** A stored document turned into what the service keeps of it. */
export interface CachedDocument<T> {
  readonly id: number;
  readonly name: string;
  readonly enabled: boolean;
  /** A taxonomy's `required` flag (false for the other kinds). */
  readonly required: boolean;
  readonly value: T;
}

/** What identifies the loaded state of one document: its row's stamp, version and flags. */
export interface DocumentStamp {
  readonly updated: number;
  readonly enabled: boolean;
  readonly required: boolean;
  readonly version: string;
}

/**
 * How many documents changed between two loads: new ones, new versions, and new content
 * (`updated` moved while the enabled flag stayed: a toggle is not a library update).
 */
export function changedDocuments<K>(before: ReadonlyMap<K, DocumentStamp>, after: ReadonlyMap<K, DocumentStamp>): number {
  let changed = 0;
  for (const [id, now] of after) {
    const was = before.get(id);
    if (was === undefined || was.version !== now.version || (was.updated !== now.updated && was.enabled === now.enabled)) changed++;
  }
  return changed;
}

/** Parses one stored document; `undefined` plus a message when it is unusable. */
export type DocumentParser<T> = (json: unknown, row: IntelDocumentRecord) => { value: T } | { problem: string };

/**
 * Keeps the parsed form of every document of one kind and re-parses only the
 * documents whose row changed (`updated` moves on every upsert and toggle), so
 * a reload after enabling one list costs one document, not all of them.
 */
export function createDocumentCache<T>(documents: IntelDocuments, kind: IntelKind, parse: DocumentParser<T>) {
  let cache = new Map<number, DocumentStamp & { value: T }>();
  const problems = new Map<string, string>();

  function parseRow(row: IntelDocumentRecord): { value: T } | undefined {
    let json: unknown;
    try {
      json = JSON.parse(row.document);
    } catch (error) {
      problems.set(row.name, `stored ${kind} "${row.name}" is not JSON: ${(error as Error).message}`);
      return undefined;
    }
    const parsed = parse(json, row);
    if ('problem' in parsed) {
      problems.set(row.name, `stored ${kind} "${row.name}": ${parsed.problem}`);
      return undefined;
    }
    problems.delete(row.name);
    return parsed;
  }

  return {
    /** Every document of the kind, in name order; unusable ones are left out and listed in `problems()`. */
    async load(): Promise<CachedDocument<T>[]> {
      const first = cache.size === 0;
      const rows = await documents.list(kind, { withDocument: first });
      const next = new Map<number, DocumentStamp & { value: T }>();
      const out: CachedDocument<T>[] = [];
      for (const row of rows) {
        const hit = cache.get(row.id);
        let value: T | undefined;
        if (hit !== undefined && hit.updated === row.updated && hit.enabled === row.enabled && hit.version === row.version) value = hit.value;
        else {
          const full = first ? row : await documents.get(kind, row.id);
          value = full === undefined ? undefined : parseRow(full)?.value;
        }
        if (value === undefined) continue;
        next.set(row.id, { updated: row.updated, enabled: row.enabled, required: row.required, version: row.version, value });
        out.push({ id: row.id, name: row.name, enabled: row.enabled, required: row.required, value });
      }
      cache = next;
      return out;
    },
    problems: (): string[] => [...problems.values()],
    /** The stamps of the documents of the last load (parsed ones only). */
    stamps: (): ReadonlyMap<number, DocumentStamp> => new Map(cache),
  };
}
