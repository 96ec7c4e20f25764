import { parseIpBlock } from './parse-ip-block.js';

type Key = number | bigint;

/** Address ranges of one family as a forest of nested blocks, searched by binary search. */
interface Forest<K extends Key> {
  readonly starts: readonly K[];
  readonly ends: readonly K[];
  readonly parents: Int32Array;
  readonly owners: Int32Array;
  readonly entries: readonly string[];
}

/** An entry the index could not use. */
export interface IpEntryProblem {
  readonly owner: number;
  readonly entry: string;
}

/** All CIDR blocks of all lists, IPv4 and IPv6, answering "which blocks contain this IP or network". */
export interface IpIntervalIndex {
  /**
   * Calls `visit` for every block containing `value` (an address or a
   * `network/prefix`, which must lie wholly inside the block), outermost
   * first. Returns false when `value` is not an IP at all.
   */
  lookup(value: string, visit: (owner: number, entry: string) => void): boolean;
  readonly problems: readonly IpEntryProblem[];
  readonly size: number;
}

/**
 * CIDR blocks never partly overlap: two are nested or disjoint. Sorted by start
 * (and by size, larger first), each block's parent is the nearest earlier block
 * that contains it. The last block starting at or before an address is then
 * either a container of it or a descendant of its innermost container, so one
 * binary search plus a walk up the parents finds every container: O(log n +
 * depth) per check, with no scan over entries.
 */
export function createIpIntervalIndex(items: readonly { readonly owner: number; readonly entry: string }[]): IpIntervalIndex {
  const v4: Block<number>[] = [];
  const v6: Block<bigint>[] = [];
  const problems: IpEntryProblem[] = [];
  for (const { owner, entry } of items) {
    const block = parseIpBlock(entry);
    if (block === undefined) problems.push({ owner, entry });
    else if (block.family === 4) v4.push({ start: block.start, end: block.end, owner, entry });
    else v6.push({ start: block.start, end: block.end, owner, entry });
  }
  const forest4 = buildForest(v4);
  const forest6 = buildForest(v6);
  return {
    problems,
    size: v4.length + v6.length,
    lookup(value, visit) {
      const block = parseIpBlock(value);
      if (block === undefined) return false;
      if (block.family === 4) search(forest4, block.start, block.end, visit);
      else search(forest6, block.start, block.end, visit);
      return true;
    },
  };
}

interface Block<K extends Key> {
  readonly start: K;
  readonly end: K;
  readonly owner: number;
  readonly entry: string;
}

function buildForest<K extends Key>(blocks: Block<K>[]): Forest<K> {
  blocks.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.end > b.end ? -1 : a.end < b.end ? 1 : 0));
  const parents = new Int32Array(blocks.length);
  const stack: number[] = [];
  blocks.forEach((block, index) => {
    while (stack.length > 0 && (blocks[stack[stack.length - 1] as number] as Block<K>).end < block.start) stack.pop();
    parents[index] = stack.length === 0 ? -1 : (stack[stack.length - 1] as number);
    stack.push(index);
  });
  return {
    starts: blocks.map((b) => b.start),
    ends: blocks.map((b) => b.end),
    parents,
    owners: Int32Array.from(blocks, (b) => b.owner),
    entries: blocks.map((b) => b.entry),
  };
}

// Containers found by the current search, innermost first (searches never nest).
const chain: number[] = [];

function search<K extends Key>(forest: Forest<K>, start: K, end: K, visit: (owner: number, entry: string) => void): void {
  const { starts, ends, parents, owners, entries } = forest;
  let low = 0;
  let high = starts.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    if ((starts[mid] as K) <= start) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  let node = found;
  while (node !== -1 && (ends[node] as K) < start) node = parents[node] as number;
  chain.length = 0;
  for (; node !== -1; node = parents[node] as number) if ((ends[node] as K) >= end) chain.push(node);
  for (let i = chain.length - 1; i >= 0; i--) visit(owners[chain[i] as number] as number, entries[chain[i] as number] as string);
}
