import { createHash } from 'node:crypto';

/**
 * A name-based UUID (RFC 9562 version 5: SHA-1 over a namespace UUID and a
 * name). Producers use it so the same thing (a honeypot batch, an IDS finding)
 * always gets the same MISP UUID: sending it again updates instead of duplicating.
 * `namespace` is a UUID (with or without dashes); `parts` are joined with NUL.
 */
export function stableUuid(namespace: string, ...parts: readonly (string | number)[]): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16) throw new RangeError(`stableUuid: namespace must be a UUID, got "${namespace}"`);
  const h = createHash('sha1').update(ns).update(parts.map(String).join('\u0000')).digest();
  h[6] = ((h[6] as number) & 0x0f) | 0x50;
  h[8] = ((h[8] as number) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
