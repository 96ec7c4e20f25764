import { describe, expect, it } from 'vitest';
import { parsePolicy } from './parse-policy.js';
import { printPolicy } from './print-policy.js';
import { compileLsss } from './compile-lsss.js';
import { reconstructionCoefficients } from './reconstruct.js';
import { satisfies } from './satisfies.js';
import { Fr, modR } from './field.js';
import { seededRandom } from '../random/random.js';
import { intGenerator, randomPolicy } from '../test-support/random-policy.js';

/** Σ γ_i·M_i for the chosen rows. */
function combine(policyText: string, attributes: string[]): bigint[] | undefined {
  const policy = parsePolicy(policyText);
  const lsss = compileLsss(policy);
  const terms = reconstructionCoefficients(policy, attributes);
  if (terms === undefined) return undefined;
  const sum = Array.from({ length: lsss.columns }, () => 0n);
  for (const { row, coefficient } of terms) {
    const r = lsss.rows[row];
    if (r === undefined) throw new Error('row out of range');
    expect(attributes).toContain(r.attribute);
    r.vector.forEach((v, j) => (sum[j] = Fr.add(sum[j] ?? 0n, Fr.mul(v, coefficient))));
  }
  return sum;
}

describe('compileLsss', () => {
  it('builds the Lewko–Waters matrix for AND and shares vectors for OR', () => {
    const lsss = compileLsss(parsePolicy('(a AND b) OR c'));
    expect(lsss.columns).toBe(2);
    expect(lsss.rows.map((r) => [r.attribute, r.vector])).toEqual([
      ['a', [1n, 1n]],
      ['b', [0n, modR(-1n)]],
      ['c', [1n, 0n]],
    ]);
  });

  it('builds Vandermonde rows for a 2-of-3 threshold', () => {
    const lsss = compileLsss(parsePolicy('2 of (a, b, c)'));
    expect(lsss.rows.map((r) => r.vector)).toEqual([[1n, 1n], [1n, 2n], [1n, 3n]]);
    expect(compileLsss(parsePolicy('3 of (a, b, c, d)')).rows.map((r) => r.vector[2])).toEqual([1n, 4n, 9n, 16n]);
  });

  it('picks a minimal satisfying subset', () => {
    const policy = parsePolicy('(a AND b AND c) OR d');
    expect(reconstructionCoefficients(policy, ['a', 'b', 'c', 'd'])).toEqual([{ row: 3, coefficient: 1n }]);
    const t = reconstructionCoefficients(parsePolicy('2 of (a AND b, c, d)'), ['a', 'b', 'c', 'd']);
    expect(t?.map((x) => x.row)).toEqual([2, 3]);
    expect(reconstructionCoefficients(policy, ['a', 'b'])).toBeUndefined();
  });

  it('reconstructs (1, 0, …, 0) exactly when the attributes satisfy the policy (random policies)', () => {
    const int = intGenerator(seededRandom('lsss'));
    const universe = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    let satisfied = 0;
    for (let i = 0; i < 400; i += 1) {
      const policy = randomPolicy(int, universe, 2 + int(14));
      const attributes = universe.filter(() => int(2) === 0);
      const text = printPolicy(policy);
      const sum = combine(text, attributes);
      if (satisfies(policy, attributes)) {
        satisfied += 1;
        expect(sum, `${text} with ${attributes.join(',')}`).toEqual([1n, ...Array.from({ length: (sum?.length ?? 1) - 1 }, () => 0n)]);
      } else {
        expect(sum).toBeUndefined();
      }
    }
    expect(satisfied).toBeGreaterThan(50);
    expect(satisfied).toBeLessThan(350);
  });
});

