import type { Comparison } from '../mapping/comparison.js';
import { inferenceOrder, typeSpec } from '../mapping/type-specs.js';

/** A MISP type and value read from comparisons. */
export interface DecodedValue {
  readonly type: string;
  readonly value: string;
}

/** Reads `type` out of `pool` (removing what it used); undefined when the comparisons are not there. */
export function decodeAs(type: string, pool: Comparison[]): string | undefined {
  return typeSpec(type)?.decode(pool);
}

/**
 * Reads as many attributes as possible out of `pool`, composites first;
 * what no type explains is left in the pool.
 */
export function decodeAll(pool: Comparison[]): DecodedValue[] {
  const out: DecodedValue[] = [];
  let progress = true;
  while (pool.length > 0 && progress) {
    progress = false;
    for (const spec of inferenceOrder()) {
      const value = spec.decode(pool);
      if (value !== undefined) {
        out.push({ type: spec.type, value });
        progress = true;
        break;
      }
    }
  }
  return out;
}

/**
 * Drops `<x>_ref.type` comparisons whose `<x>_ref` nothing else mentions any
 * more: they only said what kind of object a decoded value was.
 */
export function dropSpentRefTypes(pool: Comparison[]): void {
  for (let i = pool.length - 1; i >= 0; i--) {
    const c = pool[i] as Comparison;
    const [ref, leaf] = c.path;
    if (c.path.length !== 2 || leaf !== 'type' || ref?.endsWith('_ref') !== true) continue;
    if (!pool.some((o) => o !== c && o.object === c.object && o.path[0] === ref)) pool.splice(i, 1);
  }
}
