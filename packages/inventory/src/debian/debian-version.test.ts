import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { compareDebianVersions, parseDebianVersion } from './debian-version.js';
import { seededRandom } from '../test-support/prng.js';
import { trickyDebianVersion } from '../test-support/tricky-versions.js';

const DPKG = '/usr/bin/dpkg';
const HAS_DPKG = existsSync(DPKG);

/** Asks the real dpkg about many pairs at once; one line "op<TAB>a<TAB>b" per question, "1"/"0" per answer. */
function askDpkg(questions: readonly (readonly [string, 'lt' | 'eq', string])[]): boolean[] {
  const script = `while IFS="$(printf '\\t')" read -r a op b; do if ${DPKG} --compare-versions "$a" "$op" "$b" 2>/dev/null; then echo 1; else echo 0; fi; done`;
  const input = questions.map(([a, op, b]) => `${a}\t${op}\t${b}\n`).join('');
  const r = spawnSync('sh', ['-c', script], { input, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' }, maxBuffer: 1 << 24 });
  const out = r.stdout.trim().split('\n');
  expect(out).toHaveLength(questions.length);
  return out.map((l) => l === '1');
}

describe('compareDebianVersions (Policy §5.6.12 cases)', () => {
  it.each([
    ['1.0', '1.0', 0],
    ['1.0~rc1', '1.0', -1],
    ['1.0~~', '1.0~', -1],
    ['1.0~', '1.0', -1],
    ['1.0', '1.0a', -1],
    ['1.0a', '1.0+', -1],
    ['1.0+', '1.0.', -1],
    ['1.01', '1.1', 0],
    ['1.10', '1.9', 1],
    ['1:0.1', '2.0', 1],
    ['0:2.0', '2.0', 0],
    ['1.0-1', '1.0', 1],
    ['1.0-0', '1.0', 0],
    ['3.0.11-1~deb12u2', '3.0.11-1', -1],
    ['3.0.13-1~deb12u1', '3.0.11-1~deb12u2', 1],
    ['1:9.2p1-2+deb12u3', '1:9.2p1-2+deb12u2', 1],
    ['2.4.57-2', '2.4.59-1~deb12u1', -1],
    ['1.2-3-4', '1.2-3-3', 1],
    ['1:2:3', '1:2:4', -1],
    ['1A', '1a', -1],
  ] as const)('%s vs %s → %i', (a, b, expected) => {
    expect(compareDebianVersions(a, b)).toBe(expected);
    expect(compareDebianVersions(b, a)).toBe(expected === 0 ? 0 : -expected);
  });

  it('splits epoch, upstream and revision like dpkg (first colon, last hyphen)', () => {
    expect(parseDebianVersion('2:1.2-3-4')).toEqual({ epoch: 2, upstream: '1.2-3', revision: '4' });
    expect(parseDebianVersion(' 1.0 ')).toEqual({ epoch: 0, upstream: '1.0', revision: '' });
  });
});

describe('invalid versions', () => {
  const bad = ['', '   ', 'a1.0', '1:', ':1.0', 'x:1.0', '-1:1.0', '1.0-', '1_0', '1 0', '1.0-a_b', '1.0-a:b', '99999999999:1.0', '-1'];
  it.each(bad)('%j is rejected with an InputError', (v) => {
    expect(() => parseDebianVersion(v)).toThrow(InputError);
    expect(() => compareDebianVersions(v, '1.0')).toThrow(/Invalid Debian version/);
  });

  it.skipIf(!HAS_DPKG)('dpkg calls each of them bad syntax too', () => {
    for (const v of bad.filter((x) => x.trim() !== '' && !x.startsWith('-'))) {
      const r = spawnSync(DPKG, ['--compare-versions', v, 'lt', '1.0'], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
      expect(r.stderr, v).toMatch(/bad syntax/);
    }
  });
});

/** Asks dpkg's own Perl library (Dpkg::Version, from libdpkg-perl) about many pairs in one process: "-1", "0" or "1" per pair. */
function askDpkgPerl(pairs: readonly (readonly [string, string])[]): number[] | undefined {
  const script = 'use Dpkg::Version; while (<STDIN>) { chomp; my ($a, $b) = split /\\t/; my $c = version_compare($a, $b); print(($c <=> 0), "\\n"); }';
  const r = spawnSync('perl', ['-e', script], { input: pairs.map(([a, b]) => `${a}\t${b}\n`).join(''), encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) return undefined;
  return r.stdout.trim().split('\n').map(Number);
}

/** Pairs of neighbours in `sorted`, each with the relation our comparison claims. */
function chainOf(sorted: readonly string[]): (readonly [string, 'lt' | 'eq', string])[] {
  return sorted.slice(1).map((b, i) => {
    const a = sorted[i] as string;
    return [a, compareDebianVersions(a, b) === 0 ? 'eq' : 'lt', b] as const;
  });
}

// Sorting the corpus with our comparison and checking every neighbouring pair
// (lt, or eq where we claim equality) proves the whole order agrees: both
// comparisons are total preorders, so agreeing on the sorted chain means
// agreeing on all n² pairs. Random pairs in both directions are asked too.
describe.skipIf(!HAS_DPKG)('agreement with dpkg on a generated corpus', () => {
  const rand = seededRandom(20260512);
  const corpus = [...new Set(Array.from({ length: 3000 }, () => trickyDebianVersion(rand)))];
  const sorted = [...corpus].sort(compareDebianVersions);
  const randomPair = (): readonly [string, string] => [corpus[Math.floor(rand() * corpus.length)] as string, corpus[Math.floor(rand() * corpus.length)] as string];

  it('generates a few thousand valid versions with many equal-by-value pairs', () => {
    expect(corpus.length).toBeGreaterThan(2500);
    for (const v of corpus) expect(() => parseDebianVersion(v), v).not.toThrow();
    expect(chainOf(sorted).filter(([, op]) => op === 'eq').length).toBeGreaterThan(10);
  });

  it('100 % agreement with the dpkg binary (dpkg --compare-versions) on a 500-version sample', () => {
    // dpkg costs 15 ms or more per call on this machine, so the binary gets a sample: its sorted chain and 150 random pairs.
    const sample = [...corpus.filter((_, i) => i % 6 === 0)].sort(compareDebianVersions);
    const questions = [...chainOf(sample), ...Array.from({ length: 150 }, () => {
      const [a, b] = randomPair();
      return [a, 'lt', b] as const;
    })];
    const answers = askDpkg(questions);
    const disagreements = questions.filter(([a, op, b], i) => answers[i] !== (op === 'eq' ? compareDebianVersions(a, b) === 0 : compareDebianVersions(a, b) < 0));
    expect(disagreements).toEqual([]);
  }, 180_000);

  const perl = askDpkgPerl([['1.0', '1.0~']]);
  it.skipIf(perl === undefined)("100 % agreement with dpkg's Dpkg::Version on the whole corpus (chain + 20,000 random pairs)", () => {
    const pairs = [...chainOf(sorted).map(([a, , b]) => [a, b] as const), ...Array.from({ length: 20_000 }, randomPair)];
    const theirs = askDpkgPerl(pairs) as number[];
    expect(theirs).toHaveLength(pairs.length);
    const disagreements = pairs.filter(([a, b], i) => compareDebianVersions(a, b) !== theirs[i]);
    expect(disagreements).toEqual([]);
  }, 60_000);
});
