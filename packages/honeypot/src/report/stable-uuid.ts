import { createHash } from 'node:crypto';

// waggle's own namespace for honeypot UUIDs (a fixed random UUID).
const NAMESPACE = Buffer.from('5b2e6a4c0f3d4e7a9c1b8d2f6e0a3c57', 'hex');

/**
 * A name-based UUID (RFC 9562 version 5: SHA-1 over namespace and name), so the
 * same (sensor, attacker, window) always gives the same event UUID and a batch
 * sent twice after a failure updates the event instead of duplicating it.
 */
export function stableUuid(...parts: readonly (string | number)[]): string {
  const h = createHash('sha1').update(NAMESPACE).update(parts.map(String).join('\u0000')).digest();
  h[6] = ((h[6] as number) & 0x0f) | 0x50;
  h[8] = ((h[8] as number) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
