import { InputError } from '@waggle/errors';
import type { QiSpec } from './kanon-spec.js';
import type { GroupCheck } from './diversity.js';
import { buildHierarchy, lowestCommonAncestor, ROOT } from './hierarchy.js';
import { commonPrefix, commonPrefixLength, ipBits, parseIpAddress, type IpAddress } from './ip-address.js';

/**
 * One quasi-identifier column, encoded for Mondrian: every row gets an integer
 * code whose order is the column's order (ranks of distinct values, or
 * preorder numbers in a hierarchy), so splitting never compares raw values.
 */
export interface Dimension {
  readonly column: string;
  readonly codes: Int32Array;
  /** Normalised width of a set of rows, 0 (one value) … 1 (the whole domain). It is both the split heuristic and the NCP of the class. */
  measure(rows: Int32Array): number;
  /** The generalised value every row of the class gets. */
  generalize(rows: Int32Array): string | number;
  /**
   * Proposes a strict split: two or more non-empty groups, or none when the
   * rows cannot be told apart on this column. `check` lets a hierarchy pool
   * subtrees too small to stand alone instead of giving up the cut.
   */
  split(rows: Int32Array, check: GroupCheck): Int32Array[];
}

function minMax(codes: Int32Array, rows: Int32Array): [number, number] {
  let lo = Number.MAX_SAFE_INTEGER;
  let hi = -1;
  for (const r of rows) {
    const c = codes[r] as number;
    if (c < lo) lo = c;
    if (c > hi) hi = c;
  }
  return [lo, hi];
}

/** Median split (LeFevre et al. 2006): rows ≤ the median code left, the rest right; if the median is the maximum, < left and ≥ right. */
function medianSplit(codes: Int32Array, rows: Int32Array): Int32Array[] {
  const n = rows.length;
  const sorted = new Int32Array(n);
  for (let i = 0; i < n; i++) sorted[i] = codes[rows[i] as number] as number;
  sorted.sort();
  const hi = sorted[n - 1] as number;
  if (sorted[0] === hi) return [];
  const median = sorted[(n - 1) >> 1] as number;
  // Values ≤ cut go left: the median itself, or just below it when the median is the maximum.
  const cut = median === hi ? median - 1 : median;
  let nLeft = 0;
  for (let i = 0; i < n; i++) if ((sorted[i] as number) <= cut) nLeft++;
  const left = new Int32Array(nLeft);
  const right = new Int32Array(n - nLeft);
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    const r = rows[i] as number;
    if ((codes[r] as number) <= cut) left[a++] = r;
    else right[b++] = r;
  }
  return [left, right];
}

/** Ranks of numbers among their sorted distinct values, without string keys (the fast path for numbers, times and IPv4). */
function rankNumbers(keys: readonly number[]): { codes: Int32Array; distinct: number[] } {
  const sorted = Float64Array.from(keys).sort();
  const distinct: number[] = [];
  for (const v of sorted) if (distinct.length === 0 || distinct[distinct.length - 1] !== v) distinct.push(v);
  const codes = new Int32Array(keys.length);
  keys.forEach((v, i) => {
    let a = 0;
    let b = distinct.length - 1;
    while (a < b) {
      const m = (a + b) >> 1;
      if ((distinct[m] as number) < v) a = m + 1;
      else b = m;
    }
    codes[i] = a;
  });
  return { codes, distinct };
}

/** Ranks of `keys` among their sorted distinct values. */
function rank<T>(keys: readonly T[], compare: (a: T, b: T) => number, id: (v: T) => string): { codes: Int32Array; distinct: T[] } {
  const byId = new Map<string, T>();
  for (const k of keys) if (!byId.has(id(k))) byId.set(id(k), k);
  const distinct = [...byId.values()].sort(compare);
  const pos = new Map(distinct.map((v, i) => [id(v), i]));
  return { codes: Int32Array.from(keys, (k) => pos.get(id(k)) as number), distinct };
}

function cellError(qi: QiSpec, index: number, row: number, why: string): InputError {
  return new InputError(`row ${row}: column "${qi.column}" ${why}`, { field: `quasiIdentifiers[${index}].column`, row });
}

function ordered(qi: QiSpec, codes: Int32Array, values: readonly number[], show: (v: number) => string | number, range: (a: number, b: number) => string): Dimension {
  const span = (values[values.length - 1] as number) - (values[0] as number);
  return {
    column: qi.column,
    codes,
    measure(rows) {
      const [lo, hi] = minMax(codes, rows);
      return span === 0 ? 0 : ((values[hi] as number) - (values[lo] as number)) / span;
    },
    generalize(rows) {
      const [lo, hi] = minMax(codes, rows);
      return lo === hi ? show(values[lo] as number) : range(values[lo] as number, values[hi] as number);
    },
    split: (rows) => medianSplit(codes, rows),
  };
}

function numericDimension(qi: QiSpec, index: number, cells: readonly unknown[]): Dimension {
  const nums = cells.map((v, row) => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
    if (!Number.isFinite(n)) throw cellError(qi, index, row, `is not a number (${JSON.stringify(v) ?? String(v)})`);
    return n;
  });
  const { codes, distinct } = rankNumbers(nums);
  return ordered(qi, codes, distinct, (v) => v, (a, b) => `${a}-${b}`);
}

function timestampDimension(qi: QiSpec, index: number, cells: readonly unknown[]): Dimension {
  const times = cells.map((v, row) => {
    const t = v instanceof Date ? v.getTime() : typeof v === 'string' ? Date.parse(v) : typeof v === 'number' ? v : Number.NaN;
    if (!Number.isFinite(t)) throw cellError(qi, index, row, `is not a timestamp (${JSON.stringify(v) ?? String(v)})`);
    return t;
  });
  const iso = (t: number): string => new Date(t).toISOString();
  const { codes, distinct } = rankNumbers(times);
  // An ISO 8601 interval uses "/", since "-" already separates the date's parts.
  return ordered(qi, codes, distinct, iso, (a, b) => `${iso(a)}/${iso(b)}`);
}

function ipDimension(qi: QiSpec, index: number, cells: readonly unknown[]): Dimension {
  const ips = cells.map((v, row) => {
    const ip = typeof v === 'string' ? parseIpAddress(v) : undefined;
    if (ip === undefined) throw cellError(qi, index, row, `is not an IPv4 or IPv6 address (${JSON.stringify(v) ?? String(v)})`);
    return ip;
  });
  const cmp = (a: IpAddress, b: IpAddress): number => a.family - b.family || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
  const allV4 = ips.every((ip) => ip.family === 4);
  const ranked = allV4 ? rankNumbers(ips.map((ip) => Number(ip.value))) : undefined;
  const { codes, distinct } = ranked === undefined ? rank(ips, cmp, (ip) => `${ip.family}/${ip.value}`) : { codes: ranked.codes, distinct: ranked.distinct.map((v): IpAddress => ({ family: 4, value: BigInt(v) })) };
  // The widest block per family: a class's CIDR block is measured against it.
  const blockBits = new Map<number, number>();
  for (const fam of [4, 6] as const) {
    const of = distinct.filter((ip) => ip.family === fam);
    if (of.length > 0) blockBits.set(fam, ipBits(fam) - commonPrefixLength((of[0] as IpAddress).value, (of[of.length - 1] as IpAddress).value, fam));
  }
  return {
    column: qi.column,
    codes,
    measure(rows) {
      const [lo, hi] = minMax(codes, rows);
      const a = distinct[lo] as IpAddress;
      const b = distinct[hi] as IpAddress;
      if (a.family !== b.family) return 1;
      const global = blockBits.get(a.family) as number;
      if (global === 0) return 0;
      const bits = ipBits(a.family) - commonPrefixLength(a.value, b.value, a.family);
      // Addresses in the released block beyond one, relative to the widest block;.
      return bits === 0 ? 0 : (2 ** bits - 1) / (2 ** global - 1);
    },
    generalize(rows) {
      const [lo, hi] = minMax(codes, rows);
      const a = distinct[lo] as IpAddress;
      const b = distinct[hi] as IpAddress;
      return a.family !== b.family ? ROOT : commonPrefix(a.value, b.value, a.family);
    },
    split: (rows) => medianSplit(codes, rows),
  };
}

function flatCategoricalDimension(qi: QiSpec, cells: readonly unknown[]): Dimension {
  const strs = cells.map((v) => String(v));
  const { codes, distinct } = rank(strs, (a, b) => (a < b ? -1 : a > b ? 1 : 0), (s) => s);
  // Marks reused across calls: counting distinct values without building a Set per partition.
  const mark = new Int32Array(distinct.length);
  let stamp = 0;
  const present = (rows: Int32Array): number[] => {
    stamp++;
    const out: number[] = [];
    for (const r of rows) {
      const c = codes[r] as number;
      if (mark[c] !== stamp) {
        mark[c] = stamp;
        out.push(c);
      }
    }
    return out.sort((a, b) => a - b);
  };
  return {
    column: qi.column,
    codes,
    measure(rows) {
      const d = present(rows).length;
      return d <= 1 ? 0 : d / distinct.length;
    },
    generalize(rows) {
      const p = present(rows);
      if (p.length === 1) return distinct[p[0] as number] as string;
      return p.length === distinct.length ? ROOT : `{${p.map((c) => distinct[c] as string).join(',')}}`;
    },
    split: (rows) => medianSplit(codes, rows),
  };
}

function hierarchyDimension(qi: QiSpec, index: number, cells: readonly unknown[], parents: Readonly<Record<string, string>>): Dimension {
  const h = buildHierarchy(parents, `quasiIdentifiers[${index}].hierarchy`);
  const codes = Int32Array.from(cells, (v, row) => {
    const c = h.index.get(String(v));
    if (c === undefined) throw new InputError(`row ${row}: value "${String(v)}" of column "${qi.column}" is not in its hierarchy`, { field: `quasiIdentifiers[${index}].hierarchy`, row });
    return c;
  });
  const total = h.leaves[0] as number;
  return {
    column: qi.column,
    codes,
    measure(rows) {
      const [lo, hi] = minMax(codes, rows);
      return lo === hi ? 0 : (h.leaves[lowestCommonAncestor(h, lo, hi)] as number) / total;
    },
    generalize(rows) {
      const [lo, hi] = minMax(codes, rows);
      return h.names[lowestCommonAncestor(h, lo, hi)] as string;
    },
    // A hierarchy is cut along its tree: one group per child subtree of the rows' common ancestor (and one for rows holding the ancestor itself).
    split(rows, check) {
      const [lo, hi] = minMax(codes, rows);
      if (lo === hi) return [];
      const u = lowestCommonAncestor(h, lo, hi);
      const kids = h.children[u] as readonly number[];
      const groups = new Map<number, number[]>();
      for (const r of rows) {
        const c = codes[r] as number;
        let g = u;
        if (c !== u) {
          // The last child starting at or before c holds it (children are contiguous preorder ranges).
          let a = 0;
          let b = kids.length - 1;
          while (a < b) {
            const m = (a + b + 1) >> 1;
            if ((kids[m] as number) <= c) a = m;
            else b = m - 1;
          }
          g = kids[a] as number;
        }
        const list = groups.get(g);
        if (list === undefined) groups.set(g, [r]);
        else list.push(r);
      }
      return poolSmallGroups([...groups.entries()].sort((x, y) => x[0] - y[0]).map(([, list]) => Int32Array.from(list)), check);
    },
  };
}

/**
 * Subtrees that fail `check` alone (too few rows, too little diversity) are
 * pooled into one group, generalised to the common ancestor; if the pool
 * still fails it joins the smallest valid group. So one rare country does not
 * stop the others from being told apart by region.
 */
function poolSmallGroups(groups: Int32Array[], check: GroupCheck): Int32Array[] {
  const good = groups.filter((g) => check(g));
  if (good.length === groups.length) return groups;
  const concat = (parts: readonly Int32Array[]): Int32Array => Int32Array.from(parts.flatMap((p) => Array.from(p))).sort();
  const pool = concat(groups.filter((g) => !good.includes(g)));
  if (check(pool)) return good.length === 0 ? [] : [...good, pool];
  if (good.length < 2) return [];
  const smallest = good.reduce((a, b) => (b.length < a.length ? b : a));
  return [...good.filter((g) => g !== smallest), concat([smallest, pool])];
}

/** Encodes one quasi-identifier column of the table; bad cells are `InputError`s naming the column and row. */
export function encodeDimension(qi: QiSpec, index: number, cells: readonly unknown[]): Dimension {
  cells.forEach((v, row) => {
    if (v === undefined || v === null || v === '') throw cellError(qi, index, row, 'is empty');
  });
  switch (qi.kind) {
    case 'numeric':
      return numericDimension(qi, index, cells);
    case 'timestamp':
      return timestampDimension(qi, index, cells);
    case 'ip':
      return ipDimension(qi, index, cells);
    case 'categorical':
      return qi.hierarchy === undefined ? flatCategoricalDimension(qi, cells) : hierarchyDimension(qi, index, cells, qi.hierarchy);
  }
}
