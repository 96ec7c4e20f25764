import type { PolicyNode } from '../policy/policy.js';
import type { RandomSource } from '../random/random.js';

/** A small seeded integer generator over a random source (tests only). */
export function intGenerator(random: RandomSource): (max: number) => number {
  return (max) => {
    const b = random(4);
    return ((((b[0] ?? 0) << 24) | ((b[1] ?? 0) << 16) | ((b[2] ?? 0) << 8) | (b[3] ?? 0)) >>> 0) % max;
  };
}

/** A random policy over `universe` with at most `leaves` leaves (tests only). */
export function randomPolicy(int: (max: number) => number, universe: readonly string[], leaves: number, depth = 0): PolicyNode {
  if (leaves <= 1 || depth > 3 || int(5) === 0) return { type: 'attribute', name: universe[int(universe.length)] as string };
  const n = 2 + int(Math.min(3, leaves - 1));
  const per = Math.max(1, Math.floor(leaves / n));
  const children = Array.from({ length: n }, () => randomPolicy(int, universe, per, depth + 1));
  const kind = int(3);
  if (kind === 0) return { type: 'and', children: children.flatMap((c) => (c.type === 'and' ? [...c.children] : [c])) };
  if (kind === 1) return { type: 'or', children: children.flatMap((c) => (c.type === 'or' ? [...c.children] : [c])) };
  return { type: 'threshold', k: 1 + int(n), children };
}
