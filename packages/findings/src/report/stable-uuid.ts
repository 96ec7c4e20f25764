import { createHash } from 'node:crypto';

// waggle's namespace for finding UUIDs (a fixed random UUID).
const NAMESPACE = Buffer.from('c3b1f0e29a4d4c5e8f7a6b1d2e3f4a5b', 'hex');

/**
 * A name-based UUID (RFC 9562 version 5: SHA-1 over namespace and name), so
 * the same finding always gets the same object UUID and a re-ingested log
 * updates nothing instead of duplicating.
 */
export function stableUuid(...parts: readonly (string | number)[]): string {
  const h = createHash('sha1').update(NAMESPACE).update(parts.map(String).join('\u0000')).digest();
  h[6] = ((h[6] as number) & 0x0f) | 0x50;
  h[8] = ((h[8] as number) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
