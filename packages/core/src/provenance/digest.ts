import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level and no whitespace, so the same data gives the same
 * text whoever serialises it (values JSON cannot hold are dropped as JSON.stringify drops them).
 * Sender and receiver of a shared event digest it this way and can compare their records.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(JSON.parse(JSON.stringify(value ?? null)) as unknown));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) out[k] = sortKeys(o[k]);
  return out;
}

/** `sha256:<hex>` of the canonical JSON of a MISP event (a `{"Event": …}` wrapper is taken off first). */
export function contentDigest(event: unknown): string {
  const inner = event !== null && typeof event === 'object' && !Array.isArray(event) && typeof (event as { Event?: unknown }).Event === 'object' && (event as { Event?: unknown }).Event !== null
    ? (event as { Event: unknown }).Event
    : event;
  return `sha256:${createHash('sha256').update(canonicalJson(inner)).digest('hex')}`;
}
