import { describe, expect, it } from 'vitest';
import type { TaxiiStatus } from '@waggle/taxii';
import { createTaxiiStatusStore } from './taxii-status-store.js';

const aStatus = (id: string): TaxiiStatus => ({ id, status: 'complete', total_count: 0, success_count: 0, failure_count: 0, pending_count: 0 });

describe('TAXII status store', () => {
  it('answers only the owner and evicts the oldest beyond capacity', () => {
    const store = createTaxiiStatusStore(2);
    store.put(aStatus('a'), 1);
    store.put(aStatus('b'), 2);
    expect(store.get('a', 1)?.id).toBe('a');
    expect(store.get('a', 2)).toBeUndefined();
    store.put(aStatus('c'), 1);
    expect(store.get('a', 1)).toBeUndefined();
    expect(store.get('b', 2)?.id).toBe('b');
    expect(store.get('c', 1)?.id).toBe('c');
    expect(store.get('zzz', 1)).toBeUndefined();
  });
});
