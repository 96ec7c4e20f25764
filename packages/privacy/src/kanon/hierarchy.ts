import { InputError } from '@waggle/errors';

/** A generalisation tree numbered in preorder, so that every subtree is one contiguous range of numbers. */
export interface Hierarchy {
  /** Node names by preorder number; 0 is the root `*`. */
  readonly names: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  readonly parent: Int32Array;
  /** Last preorder number inside each node's subtree. */
  readonly end: Int32Array;
  /** Leaves under each node (1 for a leaf). */
  readonly leaves: Int32Array;
  /** Each node's children in preorder. */
  readonly children: readonly (readonly number[])[];
}

export const ROOT = '*';

/** Builds the tree from value → parent pairs; `field` names the spec entry in errors (cycles, self-parents). */
export function buildHierarchy(parents: Readonly<Record<string, string>>, field: string): Hierarchy {
  const kids = new Map<string, string[]>([[ROOT, []]]);
  for (const [child, parent] of Object.entries(parents)) {
    if (child === ROOT) throw new InputError(`${field}: the root "*" has no parent`, { field });
    if (typeof parent !== 'string' || parent === '') throw new InputError(`${field}: parent of "${child}" must be a value`, { field });
    if (!kids.has(parent)) kids.set(parent, []);
    if (!kids.has(child)) kids.set(child, []);
    kids.get(parent)!.push(child);
  }
  // Parents never given a parent of their own hang under the root.
  for (const node of kids.keys()) if (node !== ROOT && !Object.hasOwn(parents, node)) kids.get(ROOT)!.push(node);
  const names: string[] = [];
  const parent: number[] = [];
  const walk = (node: string, p: number, depth: number): void => {
    if (depth > kids.size) throw new InputError(`${field}: the hierarchy has a cycle through "${node}"`, { field });
    const me = names.length;
    names.push(node);
    parent.push(p);
    for (const c of [...(kids.get(node) ?? [])].sort()) walk(c, me, depth + 1);
  };
  walk(ROOT, -1, 0);
  if (names.length !== kids.size) {
    const orphan = [...kids.keys()].find((n) => !names.includes(n));
    throw new InputError(`${field}: the hierarchy has a cycle through "${String(orphan)}"`, { field });
  }
  const n = names.length;
  const end = new Int32Array(n);
  const leaves = new Int32Array(n);
  const children: number[][] = Array.from({ length: n }, () => []);
  for (let i = n - 1; i >= 0; i--) {
    end[i] = Math.max(end[i] as number, i);
    if ((leaves[i] as number) === 0) leaves[i] = 1;
    const p = parent[i] as number;
    if (p >= 0) {
      end[p] = Math.max(end[p] as number, end[i] as number);
      leaves[p] = (leaves[p] as number) + (leaves[i] as number);
      children[p]!.unshift(i);
    }
  }
  return { names, index: new Map(names.map((name, i) => [name, i])), parent: Int32Array.from(parent), end, leaves, children };
}

/** Lowest common ancestor of the nodes numbered lo ≤ hi; it is also that of every node in between. */
export function lowestCommonAncestor(h: Hierarchy, lo: number, hi: number): number {
  let u = lo;
  while ((h.end[u] as number) < hi) u = h.parent[u] as number;
  return u;
}
