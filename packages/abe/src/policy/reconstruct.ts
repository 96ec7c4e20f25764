import type { PolicyNode } from './policy.js';
import { Fr } from './field.js';

/** A row index of the compiled LSSS and its reconstruction coefficient γ_i in Zr. */
export interface ReconstructionTerm {
  readonly row: number;
  readonly coefficient: bigint;
}

interface Choice {
  readonly size: number;
  readonly node: PolicyNode;
  readonly firstRow: number;
  /** For inner nodes: the chosen children (index and choice). */
  readonly chosen: readonly { readonly index: number; readonly choice: Choice }[];
}

function leafCount(node: PolicyNode): number {
  return node.type === 'attribute' ? 1 : node.children.reduce((n, c) => n + leafCount(c), 0);
}

/**
 * Reconstruction coefficients for a key holding `attributes`: a minimal set of rows
 * (fewest leaves, chosen bottom-up: the cheapest child of an OR, the k cheapest of a
 * threshold) and γ_i with Σ γ_i·M_i = (1, 0, …, 0) for the matrix of `compileLsss`.
 * Returns `undefined` when the attributes do not satisfy the policy. Coefficients
 * follow from the construction (1 for OR/AND chains, Lagrange at 0 for thresholds),
 * so no linear system is solved.
 */
export function reconstructionCoefficients(policy: PolicyNode, attributes: Iterable<string>): ReconstructionTerm[] | undefined {
  const held = new Set(attributes);
  const choose = (node: PolicyNode, firstRow: number): Choice | undefined => {
    if (node.type === 'attribute') return held.has(node.name) ? { size: 1, node, firstRow, chosen: [] } : undefined;
    const options: { index: number; choice: Choice }[] = [];
    let row = firstRow;
    node.children.forEach((child, index) => {
      const choice = choose(child, row);
      if (choice !== undefined) options.push({ index, choice });
      row += leafCount(child);
    });
    const k = node.type === 'and' ? node.children.length : node.type === 'or' ? 1 : node.k;
    if (options.length < k) return undefined;
    const chosen = k === options.length ? options : [...options].sort((a, b) => a.choice.size - b.choice.size || a.index - b.index).slice(0, k).sort((a, b) => a.index - b.index);
    return { size: chosen.reduce((n, c) => n + c.choice.size, 0), node, firstRow, chosen };
  };
  const root = choose(policy, 0);
  if (root === undefined) return undefined;
  const terms: ReconstructionTerm[] = [];
  const assign = (choice: Choice, coefficient: bigint): void => {
    const node = choice.node;
    if (node.type === 'attribute') {
      terms.push({ row: choice.firstRow, coefficient });
      return;
    }
    const n = node.children.length;
    const k = node.type === 'and' ? n : node.type === 'or' ? 1 : node.k;
    if (k === 1 || k === n) {
      for (const c of choice.chosen) assign(c.choice, coefficient);
      return;
    }
    const xs = choice.chosen.map((c) => BigInt(c.index + 1));
    choice.chosen.forEach((c, i) => {
      const xi = xs[i] as bigint;
      let num = 1n;
      let den = 1n;
      for (const xj of xs) {
        if (xj === xi) continue;
        num = Fr.mul(num, xj);
        den = Fr.mul(den, Fr.sub(xj, xi));
      }
      assign(c.choice, Fr.mul(coefficient, Fr.div(num, den)));
    });
  };
  assign(root, 1n);
  return terms;
}
