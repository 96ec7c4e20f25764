import type { Dimension } from './dimension.js';
import type { GroupCheck } from './diversity.js';

/**
 * Strict multidimensional Mondrian (LeFevre, DeWitt, Ramakrishnan, ICDE
 * 2006): recursively cut a partition on the quasi-identifier with the widest
 * normalised range, at its median; a cut is allowed only if every side passes
 * `check` (k rows, l-diversity); if the widest dimension has no allowed cut
 * the next widest is tried; a partition with no allowed cut is an equivalence
 * class. `root` must itself pass `check`. Returns the classes, left to right.
 */
export function mondrianPartition(root: Int32Array, dims: readonly Dimension[], check: GroupCheck): Int32Array[] {
  const classes: Int32Array[] = [];
  // An explicit stack: a skewed column could make the recursion as deep as the table is long.
  const stack: Int32Array[] = [root];
  while (stack.length > 0) {
    const part = stack.pop() as Int32Array;
    const order = dims
      .map((d, i) => ({ d, i, w: d.measure(part) }))
      .filter((x) => x.w > 0)
      .sort((a, b) => b.w - a.w || a.i - b.i);
    let groups: Int32Array[] | undefined;
    for (const { d } of order) {
      const proposal = d.split(part, check);
      if (proposal.length >= 2 && proposal.every(check)) {
        groups = proposal;
        break;
      }
    }
    if (groups === undefined) classes.push(part);
    else for (let i = groups.length - 1; i >= 0; i--) stack.push(groups[i] as Int32Array);
  }
  return classes;
}
