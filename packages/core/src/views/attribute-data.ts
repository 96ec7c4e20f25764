import { carriesData } from '../input/attachment-data.js';
import type { AttributeRecord } from '../model/records.js';
import type { Repositories } from '../ports/store.js';

/**
 * The stored `data` of those of these attributes whose type keeps it
 * (`attachment`, `malware-sample`), by attribute id. Attributes of other types
 * cost nothing: when there is no attachment, no query is made.
 */
export async function attachmentDataOf(repos: Repositories, attributes: readonly Pick<AttributeRecord, 'id' | 'type'>[]): Promise<Map<number, string>> {
  const ids = attributes.filter((a) => carriesData(a.type)).map((a) => a.id);
  return ids.length === 0 ? new Map() : repos.listAttributeData(ids);
}
