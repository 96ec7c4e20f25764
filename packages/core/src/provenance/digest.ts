import { createHash } from 'node:crypto';
import { unwrap } from '../input/parse-misp.js';

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
  return `sha256:${createHash('sha256').update(canonicalJson(unwrap(event, 'Event'))).digest('hex')}`;
}
