import type { PolicyNode } from './policy.js';
import { modR } from './field.js';

/** One row of the share-generating matrix, labelled with its attribute. */
export interface LsssRow {
  readonly attribute: string;
  /** Entries in Zr (already reduced mod r), `columns` long. */
  readonly vector: readonly bigint[];
}

/** A monotone span program: rows M_i labelled ρ(i); target vector (1, 0, …, 0). */
export interface Lsss {
  readonly rows: readonly LsssRow[];
  readonly columns: number;
}

/**
 * Compiles a policy to a linear secret-sharing scheme (monotone span program).
 *
 * Construction (each node gets a vector; the root gets (1)); `c` counts columns:
 * - OR / `1 of (…)`: every child gets the parent's vector (any one child recovers it).
 * - AND / `n of (n operands)`: Lewko–Waters, generalised to n children as a chain:
 *   new columns c+1 … c+n−1; child 1 gets v + e(c+1), child j gets −e(c+j−1) + e(c+j),
 *   child n gets −e(c+n−1). The children's vectors sum to v, and no proper subset
 *   spans it. Entries stay in {0, ±1}.
 * - `k of (n operands)`, 1 < k < n: Shamir/Vandermonde: new columns c+1 … c+k−1;
 *   child i (x = i) gets v + Σ_{e=1}^{k−1} x^e · e(c+e). Any k children combine with
 *   Lagrange coefficients at 0 to v; fewer than k cannot (a Vandermonde system).
 * Rows are the leaves in left-to-right order, so the matrix is a pure function of
 * the canonical policy and need not travel with a ciphertext.
 */
export function compileLsss(policy: PolicyNode): Lsss {
  const rows: { attribute: string; vector: Map<number, bigint> }[] = [];
  let columns = 1;
  const add = (v: ReadonlyMap<number, bigint>, extra: ReadonlyArray<readonly [number, bigint]>): Map<number, bigint> => {
    const out = new Map(v);
    for (const [col, val] of extra) out.set(col, (out.get(col) ?? 0n) + val);
    return out;
  };
  const walk = (node: PolicyNode, v: ReadonlyMap<number, bigint>): void => {
    if (node.type === 'attribute') {
      rows.push({ attribute: node.name, vector: new Map(v) });
      return;
    }
    const n = node.children.length;
    const k = node.type === 'and' ? n : node.type === 'or' ? 1 : node.k;
    if (k === 1) {
      for (const child of node.children) walk(child, v);
    } else if (k === n) {
      const base = columns;
      columns += n - 1;
      node.children.forEach((child, idx) => {
        const extra: [number, bigint][] = [];
        if (idx > 0) extra.push([base + idx - 1, -1n]);
        if (idx < n - 1) extra.push([base + idx, 1n]);
        walk(child, idx === 0 ? add(v, extra) : new Map(extra));
      });
    } else {
      const base = columns;
      columns += k - 1;
      node.children.forEach((child, idx) => {
        const x = BigInt(idx + 1);
        const extra: [number, bigint][] = [];
        let power = 1n;
        for (let e = 1; e < k; e += 1) {
          power *= x;
          extra.push([base + e - 1, power]);
        }
        walk(child, add(v, extra));
      });
    }
  };
  walk(policy, new Map([[0, 1n]]));
  return {
    columns,
    rows: rows.map((r) => ({ attribute: r.attribute, vector: Array.from({ length: columns }, (_, j) => modR(r.vector.get(j) ?? 0n)) })),
  };
}
