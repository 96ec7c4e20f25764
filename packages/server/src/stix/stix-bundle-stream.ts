import { eventToStixObjects, type StixObject } from '@waggle/stix';

/**
 * Object types that several events can carry with the same id (creator
 * identities, TLP markings, galaxy clusters). A bundle lists each of them once
 * (the first seen); event-specific objects are never repeated, so only these are
 * remembered and memory stays bounded by the number of orgs and clusters.
 */
const SHARED_TYPES: ReadonlySet<string> = new Set([
  'identity', 'marking-definition', 'attack-pattern', 'intrusion-set', 'threat-actor', 'malware', 'tool', 'course-of-action', 'x-misp-galaxy-cluster',
]);

const typeOfId = (ref: unknown): string => (typeof ref === 'string' ? ref.slice(0, Math.max(0, ref.indexOf('--'))) : '');

/** Whether an object may appear in more than one event (and so must be deduplicated in a bundle). */
export function isSharedStixObject(o: StixObject): boolean {
  if (SHARED_TYPES.has(o.type)) return true;
  // Relationships between two clusters get ids derived from their ends: the same in every event.
  return o.type === 'relationship' && SHARED_TYPES.has(typeOfId(o.source_ref)) && SHARED_TYPES.has(typeOfId(o.target_ref));
}

/** Writes `objects` as JSON text, skipping shared objects already written; returns the text ('' when nothing new). */
export function stixObjectsText(objects: readonly StixObject[], written: Set<string>, first: boolean): string {
  let text = '';
  let isFirst = first;
  for (const o of objects) {
    if (isSharedStixObject(o)) {
      // By id alone: each event stamps its creator identity with its own time, yet it is one organisation.
      if (written.has(o.id)) continue;
      written.add(o.id);
    }
    text += `${isFirst ? '' : ','}${JSON.stringify(o)}`;
    isFirst = false;
  }
  return text;
}

/**
 * A STIX 2.1 bundle, produced as text chunks: `{"type":"bundle","id":…,"objects":[` then
 * the objects of each batch as it arrives, then `]}`. Only one batch is held at a time.
 */
export async function* stixBundleChunks(bundleId: string, batches: AsyncIterable<readonly StixObject[]>): AsyncIterable<string> {
  yield `{"type":"bundle","id":${JSON.stringify(bundleId)},"objects":[`;
  const written = new Set<string>();
  let first = true;
  for await (const objects of batches) {
    const text = stixObjectsText(objects, written, first);
    if (text === '') continue;
    first = false;
    yield text;
  }
  yield ']}';
}

/** The STIX objects of each MISP event (as `events/view` returns it) of a stream. */
export async function* eventsToStixBatches(events: AsyncIterable<unknown>): AsyncIterable<StixObject[]> {
  for await (const event of events) yield eventToStixObjects(event);
}
