import { InputError } from '@waggle/errors';
import { keyedWordStream, uniformBelow } from './keyed-stream.js';

/** Replaces values by sequence labels in order of first appearance. */
export interface Enumerator {
  /** `${prefix}-1` for the first distinct value, `${prefix}-2` for the next, …; the same value always gets the same label. */
  label(value: string): string;
  /** How many distinct values have been labelled. */
  readonly size: number;
}

/**
 * Creates an enumerator: values become `host-1`, `host-2`, … in the order they
 * are first seen. The mapping lives only in this instance (it holds every
 * distinct value seen), so labels are stable within one release and unlinkable
 * across releases.
 *
 * @throws InputError on an empty prefix.
 */
export function createEnumerator(prefix: string): Enumerator {
  if (typeof prefix !== 'string' || prefix === '') throw new InputError('the enumeration prefix must be a non-empty string', { field: 'prefix' });
  const labels = new Map<string, string>();
  return {
    label(value) {
      let l = labels.get(value);
      if (l === undefined) {
        l = `${prefix}-${labels.size + 1}`;
        labels.set(value, l);
      }
      return l;
    },
    get size() {
      return labels.size;
    },
  };
}

/**
 * A permutation of `items` determined by `key`: Fisher–Yates driven by an
 * HMAC-SHA-256 counter-mode stream, each index drawn by rejection sampling so
 * every permutation is equally likely. The input is not changed.
 *
 * @throws InputError on an empty key or more than 2^32 items.
 */
export function keyedPermutation<T>(items: readonly T[], key: Uint8Array): T[] {
  if (!(key instanceof Uint8Array) || key.length === 0) throw new InputError('the permutation key must be non-empty bytes', { field: 'key' });
  if (items.length > 2 ** 32) throw new InputError('at most 2^32 items can be permuted', { field: 'items' });
  const out = [...items];
  const next = keyedWordStream(key, 'waggle/permutation/v1');
  for (let i = out.length - 1; i > 0; i--) {
    const j = uniformBelow(next, i + 1);
    const tmp = out[i] as T;
    out[i] = out[j] as T;
    out[j] = tmp;
  }
  return out;
}
