import { canonicalPath, equals, type Comparison } from '../mapping/comparison.js';
import type { StixObject } from '../common/stix-types.js';

// Properties that describe the observable object rather than the observed fact.
const SKIP = new Set(['type', 'id', 'spec_version', 'defanged', 'object_marking_refs', 'granular_markings', 'extensions', 'protocols', 'is_multipart']);

function scalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function flatten(object: StixObject, byId: ReadonlyMap<string, StixObject>, out: Comparison[]): void {
  for (const [key, value] of Object.entries(object)) {
    if (SKIP.has(key)) continue;
    if (scalar(value) && !key.endsWith('_ref')) out.push(equals(object.type, [key], value));
    else if (key.endsWith('_ref') && typeof value === 'string') {
      const target = byId.get(value);
      if (target === undefined) continue;
      out.push(equals(object.type, [key, 'type'], target.type));
      for (const [k, v] of Object.entries(target)) if (!SKIP.has(k) && scalar(v) && !k.endsWith('_ref')) out.push(equals(object.type, [key, k], v));
    } else if (key.endsWith('_refs') && Array.isArray(value)) {
      for (const ref of value) {
        const target = typeof ref === 'string' ? byId.get(ref) : undefined;
        if (target === undefined) continue;
        for (const [k, v] of Object.entries(target)) if (!SKIP.has(k) && scalar(v) && !k.endsWith('_ref')) out.push(equals(object.type, [key, '[*]', k], v));
      }
    } else if ((key === 'hashes' || key === 'additional_header_fields') && typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) if (scalar(v)) out.push(equals(object.type, canonicalPath([key, k]), v));
    } else if (key === 'values' && Array.isArray(value)) {
      for (const entry of value) {
        if (typeof entry === 'object' && entry !== null && 'data' in entry && scalar(entry.data)) out.push(equals(object.type, ['values', '[*]', 'data'], entry.data));
      }
    }
  }
}

/**
 * The observables of an observed-data as comparisons, the form patterns
 * have: each root observable (one no other observable here refers to) with
 * the objects it refers to folded in (`domain-name:resolves_to_refs[*].value`).
 */
export function observablesToComparisons(observables: readonly StixObject[]): Comparison[] {
  const byId = new Map(observables.map((o) => [o.id, o]));
  const referenced = new Set<string>();
  for (const o of observables) {
    for (const [key, value] of Object.entries(o)) {
      if (key.endsWith('_ref') && typeof value === 'string') referenced.add(value);
      if (key.endsWith('_refs') && Array.isArray(value)) for (const v of value) if (typeof v === 'string') referenced.add(v);
    }
  }
  const out: Comparison[] = [];
  for (const o of observables) if (!referenced.has(o.id)) flatten(o, byId, out);
  return out;
}
