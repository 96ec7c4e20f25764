import type { Principal } from '@waggle/core';
import type { StixLike } from '@waggle/taxii';
import { createMemoryTaxiiSource } from './memory-taxii-source.js';
import { aPrincipal } from './taxii-test-app.js';

/** Keys of the test principals: alice (org 1), bob (org 2), reader (org 1, read-only key). */
export const KEYS = { alice: 'alice-key-0000000000000000000000000000000', bob: 'bob-key-00000000000000000000000000000000', reader: 'reader-key-000000000000000000000000000000' } as const;

export const PRINCIPALS: ReadonlyMap<string, Principal> = new Map([
  [KEYS.alice, aPrincipal(1, 1)],
  [KEYS.bob, aPrincipal(2, 2)],
  [KEYS.reader, aPrincipal(3, 1, true)],
]);

/** A STIX id with a numeric suffix, so tests can build many distinct ones. */
export function stixId(type: string, n: number): string {
  return `${type}--${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`;
}

/** An indicator builder. */
export function anIndicator(n: number, extra: Partial<StixLike> = {}): StixLike {
  return { type: 'indicator', spec_version: '2.1', id: stixId('indicator', n), created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z', pattern: `[ipv4-addr:value = '198.51.100.${n % 256}']`, pattern_type: 'stix', valid_from: '2024-01-01T00:00:00Z', ...extra };
}

/** The date added of the i-th object of the big collection: ten objects share each second (ties are part of the test). */
export function bigDateAdded(i: number): string {
  return new Date(Date.UTC(2024, 0, 1) + Math.floor(i / 10) * 1000).toISOString();
}

export const VERSIONED_ID = stixId('indicator', 900001);
export const MALWARE_ID = stixId('malware', 900002);

/**
 * Collections: `big` (2,500 indicators), `versioned` (one indicator in three
 * versions, one malware in STIX 2.0 and 2.1), `private` (alice's org only),
 * `writable`, and `locked` (visible, but neither readable nor writable).
 */
export function buildSource(now: () => Date = () => new Date(Date.UTC(2025, 0, 1))) {
  const big = Array.from({ length: 2500 }, (_, i) => ({ object: anIndicator(i), dateAdded: bigDateAdded(i) }));
  const versioned = [
    { object: anIndicator(900001, { modified: '2024-03-01T00:00:00.000Z' }), dateAdded: '2024-03-01T00:00:01.000Z' },
    { object: { type: 'malware', spec_version: '2.0', id: MALWARE_ID, created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z', name: 'old' }, dateAdded: '2024-03-02T00:00:00.000Z' },
    { object: anIndicator(900001, { modified: '2024-03-03T00:00:00.000Z' }), dateAdded: '2024-03-03T00:00:01.000Z' },
    { object: { type: 'malware', spec_version: '2.1', id: MALWARE_ID, created: '2024-01-01T00:00:00.000Z', modified: '2024-03-04T00:00:00.000Z', name: 'new', is_family: true }, dateAdded: '2024-03-04T00:00:00.000Z' },
    { object: anIndicator(900001, { modified: '2024-03-02T00:00:00.000Z' }), dateAdded: '2024-03-05T00:00:01.000Z' },
  ];
  return createMemoryTaxiiSource({
    now,
    collections: [
      { collection: { id: 'big', title: 'Big', can_read: true, can_write: false, media_types: ['application/stix+json;version=2.1'] }, objects: big },
      { collection: { id: 'versioned', title: 'Versioned', can_read: true, can_write: false }, objects: versioned },
      { collection: { id: 'private', title: 'Org 1 only', can_read: true, can_write: false }, visibleTo: (p) => p.org.id === 1, objects: [{ object: anIndicator(7), dateAdded: '2024-01-01T00:00:00.000Z' }] },
      { collection: { id: 'writable', title: 'Inbox', can_read: true, can_write: true } },
      { collection: { id: 'locked', title: 'Locked', can_read: false, can_write: false } },
    ],
  });
}
