import type { Random } from '../util/prng.js';
import { permutation } from '../util/prng.js';

/** Scaled feature rows with labels and the chunk each row came from. */
export interface LabelledSet {
  readonly x: Float32Array;
  readonly y: Uint8Array;
  readonly chunk: Uint16Array;
  readonly rows: number;
  readonly width: number;
}

/** An empty set of the given width. */
export function emptySet(width: number): LabelledSet {
  return { x: new Float32Array(0), y: new Uint8Array(0), chunk: new Uint16Array(0), rows: 0, width };
}

/** Rows `idx` of a set, in that order. */
export function pick(s: LabelledSet, idx: ArrayLike<number>): LabelledSet {
  const n = idx.length;
  const x = new Float32Array(n * s.width);
  const y = new Uint8Array(n);
  const chunk = new Uint16Array(n);
  for (let i = 0; i < n; i += 1) {
    const r = idx[i] as number;
    x.set(s.x.subarray(r * s.width, (r + 1) * s.width), i * s.width);
    y[i] = s.y[r] as number;
    chunk[i] = s.chunk[r] as number;
  }
  return { x, y, chunk, rows: n, width: s.width };
}

/** Concatenation of sets of the same width. */
export function concatSets(sets: readonly LabelledSet[], width: number): LabelledSet {
  const rows = sets.reduce((n, s) => n + s.rows, 0);
  const x = new Float32Array(rows * width);
  const y = new Uint8Array(rows);
  const chunk = new Uint16Array(rows);
  let at = 0;
  for (const s of sets) {
    x.set(s.x, at * width);
    y.set(s.y, at);
    chunk.set(s.chunk, at);
    at += s.rows;
  }
  return { x, y, chunk, rows, width };
}

/** A seeded random sample of at most `max` rows. */
export function sample(s: LabelledSet, max: number, random: Random): LabelledSet {
  if (s.rows <= max) return s;
  return pick(s, permutation(s.rows, random).subarray(0, max));
}

/** A seeded shuffle of all rows. */
export function shuffleSet(s: LabelledSet, random: Random): LabelledSet {
  return pick(s, permutation(s.rows, random));
}
