import type { IntelDocumentRecord, IntelDocuments, IntelKind } from '@waggle/store';

/** A stored document turned into what the service keeps of it. */
export interface CachedDocument<T> {
  readonly id: number;
  readonly name: string;
  readonly enabled: boolean;
  readonly value: T;
}

interface Stamp {
  readonly updated: number;
  readonly enabled: boolean;
  readonly version: string;
}

/** Parses one stored document; `undefined` plus a message when it is unusable. */
export type DocumentParser<T> = (json: unknown, row: IntelDocumentRecord) => { value: T } | { problem: string };

/**
 * Keeps the parsed form of every document of one kind and re-parses only the
 * documents whose row changed (`updated` moves on every upsert and toggle), so
 * a reload after enabling one list costs one document, not all of them.
 */
export function createDocumentCache<T>(documents: IntelDocuments, kind: IntelKind, parse: DocumentParser<T>) {
  let cache = new Map<number, Stamp & { value: T }>();
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
      const next = new Map<number, Stamp & { value: T }>();
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
        next.set(row.id, { updated: row.updated, enabled: row.enabled, version: row.version, value });
        out.push({ id: row.id, name: row.name, enabled: row.enabled, value });
      }
      cache = next;
      return out;
    },
    problems: (): string[] => [...problems.values()],
  };
}
