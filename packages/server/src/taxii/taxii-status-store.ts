import type { TaxiiStatus } from '@waggle/taxii';

/** Recent status resources, so that `GET <api-root>/status/<id>/` answers what POST reported. */
export interface TaxiiStatusStore {
  put(status: TaxiiStatus, ownerId: number): void;
  /** The status, or undefined when unknown, evicted, or owned by someone else. */
  get(id: string, ownerId: number): TaxiiStatus | undefined;
}

/**
 * A bounded in-memory store (oldest evicted first). Adding objects completes
 * within the POST, so a status is final when stored; keeping only the latest
 * `capacity` ones bounds memory while covering clients that poll right after.
 */
export function createTaxiiStatusStore(capacity = 1000): TaxiiStatusStore {
  const entries = new Map<string, { status: TaxiiStatus; ownerId: number }>();
  return {
    put(status, ownerId) {
      entries.set(status.id, { status, ownerId });
      while (entries.size > capacity) {
        const oldest = entries.keys().next();
        if (oldest.done === true) break;
        entries.delete(oldest.value);
      }
    },
    get(id, ownerId) {
      const e = entries.get(id);
      return e !== undefined && e.ownerId === ownerId ? e.status : undefined;
    },
  };
}
