import { InputError } from '@waggle/errors';
import type { IpAddress } from '../values/ip-address.js';

/**
 * Sorted, non-overlapping inclusive IP ranges with two 32-bit payload columns,
 * in typed arrays: IPv4 bounds as uint32, IPv6 bounds as two uint64 halves.
 * About 16 bytes per IPv4 row and 40 per IPv6 row, instead of the hundreds a
 * JavaScript object per row would cost.
 */
export interface RangeTable {
  readonly family: 4 | 6;
  readonly size: number;
  /** The row holding the address, or -1. */
  find(ip: IpAddress): number;
  start(row: number): bigint;
  end(row: number): bigint;
  readonly a: Uint32Array;
  readonly b: Uint32Array;
}

/** Reads the payload of one row from the text after the first two columns; returns [a, b]. */
export type PayloadReader = (rest: string, line: number) => readonly [number, number];

const MASK64 = (1n << 64n) - 1n;

function bad(file: string, line: number, why: string): InputError {
  return new InputError(`${file} line ${String(line)}: ${why}`, { field: 'file', line });
}

/** Collects the flattened segments into typed arrays (at most two per input row). */
function segmentWriter(family: 4 | 6, capacity: number): { add(start: bigint, end: bigint, a: number, b: number): void; table(): RangeTable } {
  const a = new Uint32Array(capacity);
  const b = new Uint32Array(capacity);
  const v4s = family === 4 ? new Uint32Array(capacity) : undefined;
  const v4e = family === 4 ? new Uint32Array(capacity) : undefined;
  const v6 = family === 6 ? new BigUint64Array(capacity * 4) : undefined;
  let n = 0;
  return {
    add(start, end, pa, pb) {
      a[n] = pa;
      b[n] = pb;
      if (v4s !== undefined && v4e !== undefined) {
        v4s[n] = Number(start);
        v4e[n] = Number(end);
      } else if (v6 !== undefined) {
        v6[n * 4] = start >> 64n;
        v6[n * 4 + 1] = start & MASK64;
        v6[n * 4 + 2] = end >> 64n;
        v6[n * 4 + 3] = end & MASK64;
      }
      n++;
    },
    // Copies to exact-size arrays so the spare capacity is freed.
    table: () =>
      v4s !== undefined && v4e !== undefined
        ? v4Table(v4s.slice(0, n), v4e.slice(0, n), a.slice(0, n), b.slice(0, n), n)
        : v6Table((v6 as BigUint64Array).slice(0, n * 4), a.slice(0, n), b.slice(0, n), n),
  };
}

interface Open {
  readonly end: bigint;
  readonly a: number;
  readonly b: number;
  /** First address of this range not yet written out or overridden. */
  cursor: bigint;
}

/**
 * Builds a table from an ip-location-db "num" CSV (`start,end,…` with numeric
 * bounds, sorted by start). The published files contain some overlapping
 * rows (a narrower block inside a wider one, e.g. one BE address inside a DE
 * block): they are flattened into disjoint segments where the later row
 * wins, which is the more specific one for nested blocks. The whole text is
 * checked before the table is returned: a bad row rejects the file.
 * @throws InputError naming the file and line.
 */
export function buildRangeTable(text: string, family: 4 | 6, file: string, readPayload: PayloadReader): RangeTable {
  let rows = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) rows++;
  if (!text.endsWith('\n') && text.length > 0) rows++;
  const out = segmentWriter(family, rows * 2 + 1);
  const max = family === 4 ? 0xffffffffn : (1n << 128n) - 1n;
  const stack: Open[] = [];
  const close = (top: Open): void => {
    if (top.cursor <= top.end) out.add(top.cursor, top.end, top.a, top.b);
  };
  let line = 0;
  let previousStart = -1n;
  for (let pos = 0; pos < text.length; ) {
    const nl = text.indexOf('\n', pos);
    const raw = text.slice(pos, nl === -1 ? text.length : nl);
    pos = nl === -1 ? text.length : nl + 1;
    line++;
    const row = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (row === '') continue;
    const c1 = row.indexOf(',');
    const c2 = c1 < 0 ? -1 : row.indexOf(',', c1 + 1);
    if (c2 < 0) throw bad(file, line, 'expected "start,end,…"');
    const s = row.slice(0, c1);
    const e = row.slice(c1 + 1, c2);
    if (!/^\d+$/.test(s) || !/^\d+$/.test(e)) throw bad(file, line, 'range bounds must be decimal numbers (use the *-num.csv files)');
    const start = BigInt(s);
    const end = BigInt(e);
    if (end < start || end > max) throw bad(file, line, `range ${s}-${e} is empty or outside IPv${String(family)}`);
    if (start < previousStart) throw bad(file, line, 'ranges must be sorted by their start');
    previousStart = start;
    const [pa, pb] = readPayload(row.slice(c2 + 1), line);
    while (stack.length > 0 && (stack[stack.length - 1] as Open).end < start) close(stack.pop() as Open);
    const top = stack[stack.length - 1];
    if (top !== undefined) {
      if (top.cursor < start) out.add(top.cursor, start - 1n, top.a, top.b);
      top.cursor = end + 1n > top.cursor ? end + 1n : top.cursor;
    }
    stack.push({ end, a: pa, b: pb, cursor: start });
  }
  while (stack.length > 0) close(stack.pop() as Open);
  return out.table();
}

function v4Table(starts: Uint32Array, ends: Uint32Array, a: Uint32Array, b: Uint32Array, size: number): RangeTable {
  return {
    family: 4,
    size,
    a,
    b,
    start: (row) => BigInt(starts[row] as number),
    end: (row) => BigInt(ends[row] as number),
    find(ip) {
      if (ip.family !== 4) return -1;
      let lo = 0;
      let hi = size - 1;
      let found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        if ((starts[mid] as number) <= ip.value) {
          found = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      return found >= 0 && (ends[found] as number) >= ip.value ? found : -1;
    },
  };
}

function v6Table(bounds: BigUint64Array, a: Uint32Array, b: Uint32Array, size: number): RangeTable {
  const at = (i: number): bigint => ((bounds[i] as bigint) << 64n) | (bounds[i + 1] as bigint);
  return {
    family: 6,
    size,
    a,
    b,
    start: (row) => at(row * 4),
    end: (row) => at(row * 4 + 2),
    find(ip) {
      if (ip.family !== 6) return -1;
      const hiPart = ip.value >> 64n;
      const loPart = ip.value & MASK64;
      let lo = 0;
      let hi = size - 1;
      let found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const sh = bounds[mid * 4] as bigint;
        if (sh < hiPart || (sh === hiPart && (bounds[mid * 4 + 1] as bigint) <= loPart)) {
          found = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      if (found < 0) return -1;
      const eh = bounds[found * 4 + 2] as bigint;
      return eh > hiPart || (eh === hiPart && (bounds[found * 4 + 3] as bigint) >= loPart) ? found : -1;
    },
  };
}
