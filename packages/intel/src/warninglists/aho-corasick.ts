/** Finds which of many fixed strings occur in a text, in one pass over the text. */
export interface MultiPatternSearch {
  /** Calls `visit` with the index of every pattern found in `text` (a pattern found twice may be reported twice). */
  search(text: string, visit: (pattern: number) => void): void;
  readonly size: number;
}

/**
 * Aho–Corasick automaton over UTF-16 code units. The trie is built with one
 * Map keyed by `node * 65536 + code`, then frozen into flat typed arrays: each
 * node's edges are a sorted slice of `edgeCodes`/`edgeTargets` (most nodes of
 * a domain-name trie have one child), and the root, which every character
 * visits, gets a direct table for ASCII. A search allocates nothing.
 */
export function createMultiPatternSearch(patterns: readonly string[]): MultiPatternSearch {
  const building = new Map<number, number>();
  const parent: number[] = [0];
  const label: number[] = [0];
  const depth: number[] = [0];
  const firstEnd: number[] = [-1];
  const nextEnd = new Int32Array(patterns.length).fill(-1);
  patterns.forEach((pattern, index) => {
    if (pattern === '') return;
    let node = 0;
    for (let i = 0; i < pattern.length; i++) {
      const code = pattern.charCodeAt(i);
      const key = node * 65536 + code;
      let next = building.get(key);
      if (next === undefined) {
        next = parent.length;
        building.set(key, next);
        parent.push(node);
        label.push(code);
        depth.push(i + 1);
        firstEnd.push(-1);
      }
      node = next;
    }
    nextEnd[index] = firstEnd[node] as number;
    firstEnd[node] = index;
  });
  const nodes = parent.length;
  const ends = Int32Array.from(firstEnd);

  // Flat edge lists: children of node n are edgeTargets[edgeStart[n] .. edgeStart[n + 1]), sorted by code.
  const edgeStart = new Int32Array(nodes + 1);
  for (let n = 1; n < nodes; n++) (edgeStart[(parent[n] as number) + 1] as number)++;
  for (let n = 0; n < nodes; n++) edgeStart[n + 1] = (edgeStart[n + 1] as number) + (edgeStart[n] as number);
  const fill = edgeStart.slice(0, nodes);
  const edgeCodes = new Uint16Array(Math.max(0, nodes - 1));
  const edgeTargets = new Int32Array(Math.max(0, nodes - 1));
  for (let n = 1; n < nodes; n++) {
    const owner = parent[n] as number;
    const slot = fill[owner] as number;
    fill[owner] = slot + 1;
    edgeCodes[slot] = label[n] as number;
    edgeTargets[slot] = n;
  }
  for (let n = 0; n < nodes; n++) sortSlice(edgeCodes, edgeTargets, edgeStart[n] as number, edgeStart[n + 1] as number);
  const rootAscii = new Int32Array(128).fill(-1);
  for (let e = edgeStart[0] as number; e < (edgeStart[1] as number); e++) if ((edgeCodes[e] as number) < 128) rootAscii[edgeCodes[e] as number] = edgeTargets[e] as number;

  const step = (node: number, code: number): number => {
    if (node === 0 && code < 128) return rootAscii[code] as number;
    let low = edgeStart[node] as number;
    let high = (edgeStart[node + 1] as number) - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const c = edgeCodes[mid] as number;
      if (c === code) return edgeTargets[mid] as number;
      if (c < code) low = mid + 1;
      else high = mid - 1;
    }
    return -1;
  };

  // Nodes by depth (counting sort), so each failure link is computed after
  // those of all shallower nodes. A node's failure target is the longest
  // proper suffix of its path that is also a path; `output` skips to the
  // nearest such suffix that ends a pattern.
  const maxDepth = depth.reduce((a, b) => Math.max(a, b), 0);
  const startOf = new Int32Array(maxDepth + 2);
  for (const d of depth) (startOf[d + 1] as number)++;
  for (let d = 1; d < startOf.length; d++) startOf[d] = (startOf[d] as number) + (startOf[d - 1] as number);
  const order = new Int32Array(nodes);
  for (let node = 0; node < nodes; node++) {
    const d = depth[node] as number;
    const slot = startOf[d] as number;
    startOf[d] = slot + 1;
    order[slot] = node;
  }
  const fail = new Int32Array(nodes);
  const output = new Int32Array(nodes).fill(-1);
  for (let k = 0; k < nodes; k++) {
    const node = order[k] as number;
    if ((depth[node] as number) <= 1) continue;
    const code = label[node] as number;
    let f = fail[parent[node] as number] as number;
    let target = 0;
    for (;;) {
      const next = step(f, code);
      if (next !== -1) {
        target = next;
        break;
      }
      if (f === 0) break;
      f = fail[f] as number;
    }
    fail[node] = target;
    output[node] = (ends[target] as number) !== -1 ? target : (output[target] as number);
  }

  return {
    size: patterns.length,
    search(text, visit) {
      let state = 0;
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        for (;;) {
          const next = step(state, code);
          if (next !== -1) {
            state = next;
            break;
          }
          if (state === 0) break;
          state = fail[state] as number;
        }
        for (let node = (ends[state] as number) !== -1 ? state : (output[state] as number); node > 0; node = output[node] as number) {
          for (let pattern = ends[node] as number; pattern !== -1; pattern = nextEnd[pattern] as number) visit(pattern);
        }
      }
    },
  };
}

/** Insertion sort of one node's edges by code (slices are tiny, except the root's). */
function sortSlice(codes: Uint16Array, targets: Int32Array, from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const code = codes[i] as number;
    const target = targets[i] as number;
    let j = i - 1;
    while (j >= from && (codes[j] as number) > code) {
      codes[j + 1] = codes[j] as number;
      targets[j + 1] = targets[j] as number;
      j--;
    }
    codes[j + 1] = code;
    targets[j + 1] = target;
  }
}
