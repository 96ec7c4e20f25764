import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { anonymizeTable, type KAnonymityResult } from './anonymize-table.js';
import type { KAnonymitySpec, QiSpec } from './kanon-spec.js';
import { aSessionTable } from './test-support/sessions.js';

/** Released rows grouped by their quasi-identifier tuple: what an attacker can tell apart. */
function classesOf(result: KAnonymityResult, qis: readonly string[]): Record<string, unknown>[][] {
  const groups = new Map<string, Record<string, unknown>[]>();
  for (const row of result.rows) {
    const key = JSON.stringify(qis.map((q) => row[q]));
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.values()];
}

const entropy = (values: readonly unknown[]): number => {
  const counts = new Map<unknown, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.values()].reduce((h, c) => h - (c / values.length) * Math.log(c / values.length), 0);
};

const SESSION_QIS: QiSpec[] = [
  { column: 'src_ip', kind: 'ip' },
  { column: 'country', kind: 'categorical' },
  { column: 'asn', kind: 'numeric' },
  { column: 'start_time', kind: 'timestamp' },
  { column: 'duration', kind: 'numeric' },
];

describe('anonymizeTable: the hand-computed age/zip example', () => {
  // LeFevre et al.'s patient table (age, zipcode, disease); worked by hand:
  // root: both ranges are full width, age wins the tie, median 26 → {1,2,3} | {4,5,6};
  // neither half has a cut leaving 2 rows on each side, so both are classes.
  const patients = [
    { age: 25, zip: 53711, disease: 'flu' },
    { age: 25, zip: 53712, disease: 'hepatitis' },
    { age: 26, zip: 53711, disease: 'bronchitis' },
    { age: 27, zip: 53710, disease: 'broken arm' },
    { age: 27, zip: 53712, disease: 'AIDS' },
    { age: 28, zip: 53711, disease: 'hang nail' },
  ];
  const spec: KAnonymitySpec = { quasiIdentifiers: [{ column: 'age', kind: 'numeric' }, { column: 'zip', kind: 'numeric' }], k: 2 };

  it('gives the expected partitions and generalisations', () => {
    const r = anonymizeTable(patients, spec);
    expect(r.classes).toBe(2);
    expect(r.suppressedRows).toBe(0);
    expect(r.rows).toEqual([
      { age: '25-26', zip: '53711-53712', disease: 'flu' },
      { age: '25-26', zip: '53711-53712', disease: 'hepatitis' },
      { age: '25-26', zip: '53711-53712', disease: 'bronchitis' },
      { age: '27-28', zip: '53710-53712', disease: 'broken arm' },
      { age: '27-28', zip: '53710-53712', disease: 'AIDS' },
      { age: '27-28', zip: '53710-53712', disease: 'hang nail' },
    ]);
    // (3·(1/3 + 1/2) + 3·(1/3 + 1)) / (6 rows · 2 QIs)
    expect(r.ncp).toBeCloseTo(6.5 / 12, 12);
  });

  it('with k = 3 and only 6 rows the same two classes remain; with k = 4 one class holds everything', () => {
    expect(anonymizeTable(patients, { ...spec, k: 3 }).classes).toBe(2);
    const all = anonymizeTable(patients, { ...spec, k: 4 });
    expect(all.classes).toBe(1);
    expect(new Set(all.rows.map((x) => `${x.age}|${x.zip}`))).toEqual(new Set(['25-28|53710-53712']));
    expect(all.ncp).toBe(1);
  });
});

describe('anonymizeTable on honeypot sessions', () => {
  const table = aSessionTable(600, 7);

  it.each([2, 5, 10, 40])('every class has at least k = %i rows', (k) => {
    const r = anonymizeTable(table, { quasiIdentifiers: SESSION_QIS, k, suppress: ['session_id', 'password'] });
    expect(r.suppressedRows).toBe(0);
    expect(r.rows).toHaveLength(600);
    for (const cls of classesOf(r, SESSION_QIS.map((q) => q.column))) expect(cls.length).toBeGreaterThanOrEqual(k);
  });

  it('distinct l-diversity: every class has at least l attack types', () => {
    const r = anonymizeTable(table, { quasiIdentifiers: SESSION_QIS, k: 4, sensitive: 'attack_type', l: 3 });
    expect(r.classes).toBeGreaterThan(10);
    for (const cls of classesOf(r, SESSION_QIS.map((q) => q.column))) {
      expect(cls.length).toBeGreaterThanOrEqual(4);
      expect(new Set(cls.map((x) => x.attack_type)).size).toBeGreaterThanOrEqual(3);
    }
  });

  it('entropy l-diversity: every class has entropy ≥ log l', () => {
    const r = anonymizeTable(table, { quasiIdentifiers: SESSION_QIS, k: 4, sensitive: 'attack_type', l: 3, diversity: 'entropy' });
    for (const cls of classesOf(r, SESSION_QIS.map((q) => q.column))) expect(entropy(cls.map((x) => x.attack_type))).toBeGreaterThanOrEqual(Math.log(3) - 1e-12);
  });

  it('information loss grows with k', () => {
    const ncp = [2, 10, 50, 300].map((k) => anonymizeTable(table, { quasiIdentifiers: SESSION_QIS, k }).ncp);
    for (let i = 1; i < ncp.length; i++) expect(ncp[i]).toBeGreaterThan(ncp[i - 1] as number);
    expect(ncp[0]).toBeGreaterThan(0);
    expect(ncp[3]).toBeLessThanOrEqual(1);
  });

  it('is deterministic', () => {
    const spec: KAnonymitySpec = { quasiIdentifiers: SESSION_QIS, k: 5, sensitive: 'attack_type', l: 2 };
    expect(anonymizeTable(aSessionTable(300, 3), spec)).toEqual(anonymizeTable(aSessionTable(300, 3), spec));
  });

  it('drops suppressed columns and passes the others through (arrays as JSON)', () => {
    const r = anonymizeTable(table.slice(0, 20), { quasiIdentifiers: SESSION_QIS, k: 5, suppress: ['session_id', 'password'] });
    expect(r.columns).toEqual(['src_ip', 'country', 'asn', 'start_time', 'duration', 'username', 'commands', 'attack_type']);
    for (const row of r.rows) {
      expect(row).not.toHaveProperty('password');
      expect(typeof row.commands).toBe('string');
      expect(JSON.parse(row.commands as string)).toBeInstanceOf(Array);
    }
  });
});

describe('anonymizeTable generalisations', () => {
  it('generalises IPs to their common prefix, IPv4 and IPv6', () => {
    const v4 = anonymizeTable(['10.1.2.3', '10.1.200.4', '10.1.7.7', '10.1.9.9'].map((ip) => ({ ip })), { quasiIdentifiers: [{ column: 'ip', kind: 'ip' }], k: 4 });
    expect(v4.rows.map((r) => r.ip)).toEqual(['10.1.0.0/16', '10.1.0.0/16', '10.1.0.0/16', '10.1.0.0/16']);
    const v6 = anonymizeTable(['2001:db8::1', '2001:db8::ff', '2001:db8:1::1', '2001:db8:1::2'].map((ip) => ({ ip })), { quasiIdentifiers: [{ column: 'ip', kind: 'ip' }], k: 2 });
    expect(v6.rows.map((r) => r.ip)).toEqual(['2001:db8::/120', '2001:db8::/120', '2001:db8:1::/126', '2001:db8:1::/126']);
    const mixed = anonymizeTable([{ ip: '192.0.2.1' }, { ip: '2001:db8::1' }], { quasiIdentifiers: [{ column: 'ip', kind: 'ip' }], k: 2 });
    expect(mixed.rows.map((r) => r.ip)).toEqual(['*', '*']);
  });

  it('generalises categories to sets, or along a hierarchy', () => {
    const rows = ['DE', 'FR', 'DE', 'FR', 'US', 'CA', 'US', 'CA'].map((country, i) => ({ country, n: i }));
    const flat = anonymizeTable(rows, { quasiIdentifiers: [{ column: 'country', kind: 'categorical' }], k: 4 });
    expect(new Set(flat.rows.map((r) => r.country))).toEqual(new Set(['{CA,DE}', '{FR,US}']));
    const everything = anonymizeTable(rows, { quasiIdentifiers: [{ column: 'country', kind: 'categorical' }], k: 8 });
    expect(everything.rows[0]?.country).toBe('*');
    const hierarchy = { DE: 'EU', FR: 'EU', US: 'NA', CA: 'NA' };
    const tree = anonymizeTable(rows, { quasiIdentifiers: [{ column: 'country', kind: 'categorical', hierarchy }], k: 4 });
    expect(tree.rows.map((r) => `${r.n}:${r.country}`)).toEqual(['0:EU', '1:EU', '2:EU', '3:EU', '4:NA', '5:NA', '6:NA', '7:NA']);
    expect(tree.ncp).toBeCloseTo(0.5, 12);
    expect(anonymizeTable(rows, { quasiIdentifiers: [{ column: 'country', kind: 'categorical', hierarchy }], k: 2 }).ncp).toBe(0);
  });

  it('pools hierarchy subtrees too small to stand alone instead of giving up the cut', () => {
    const rows = ['DE', 'FR', 'US', 'CN', 'DE', 'FR'].map((country, i) => ({ country, n: i }));
    const hierarchy = { DE: 'EU', FR: 'EU', US: 'NA', CN: 'AS' };
    const r = anonymizeTable(rows, { quasiIdentifiers: [{ column: 'country', kind: 'categorical', hierarchy }], k: 2 });
    // EU (4 rows) splits further into DE and FR; AS and NA (1 row each) are pooled under '*'.
    expect(r.rows.map((x) => `${x.n}:${x.country}`)).toEqual(['0:DE', '4:DE', '1:FR', '5:FR', '2:*', '3:*']);
    // And when the pool is still too small it joins the smallest valid subtree.
    const three = anonymizeTable(rows.slice(0, 5), { quasiIdentifiers: [{ column: 'country', kind: 'categorical', hierarchy }], k: 2 });
    for (const cls of classesOf(three, ['country'])) expect(cls.length).toBeGreaterThanOrEqual(2);
  });

  it('generalises timestamps to ISO 8601 intervals', () => {
    const rows = ['2026-11-01T10:00:00Z', '2026-11-01T12:00:00Z', '2026-11-05T00:00:00Z', '2026-11-06T00:00:00Z'].map((t) => ({ t }));
    const r = anonymizeTable(rows, { quasiIdentifiers: [{ column: 't', kind: 'timestamp' }], k: 2 });
    expect(r.rows.map((x) => x.t)).toEqual([
      '2026-11-01T10:00:00.000Z/2026-11-01T12:00:00.000Z',
      '2026-11-01T10:00:00.000Z/2026-11-01T12:00:00.000Z',
      '2026-11-05T00:00:00.000Z/2026-11-06T00:00:00.000Z',
      '2026-11-05T00:00:00.000Z/2026-11-06T00:00:00.000Z',
    ]);
  });

  it('has NCP 0 when every quasi-identifier combination already occurs k times', () => {
    const rows = [1, 1, 2, 2, 3, 3].map((age, i) => ({ age, zip: age * 10, i }));
    const r = anonymizeTable(rows, { quasiIdentifiers: [{ column: 'age', kind: 'numeric' }, { column: 'zip', kind: 'numeric' }], k: 2 });
    expect(r.ncp).toBe(0);
    expect(r.classes).toBe(3);
    expect(r.rows.map((x) => x.age)).toEqual([1, 1, 2, 2, 3, 3]);
  });
});

describe('anonymizeTable suppression', () => {
  it('suppresses a table with fewer than k rows entirely', () => {
    const r = anonymizeTable([{ a: 1 }, { a: 2 }], { quasiIdentifiers: [{ column: 'a', kind: 'numeric' }], k: 3 });
    expect(r).toEqual({ rows: [], columns: ['a'], classes: 0, suppressedRows: 2, ncp: 1 });
  });

  it('an empty table gives an empty release', () => {
    expect(anonymizeTable([], { quasiIdentifiers: [{ column: 'a', kind: 'numeric' }], k: 3 })).toEqual({ rows: [], columns: [], classes: 0, suppressedRows: 0, ncp: 0 });
  });

  it('leaves out rows of a dominant sensitive value until entropy l-diversity holds, and says how many', () => {
    // entropy(8,1,1) = 0.639 and entropy(7,1,1) = 0.684 are below log 2 = 0.693; entropy(6,1,1) = 0.736 is not.
    const rows = ['a', 'a', 'a', 'a', 'b', 'a', 'a', 'c', 'a', 'a'].map((s, i) => ({ x: i, s }));
    const r = anonymizeTable(rows, { quasiIdentifiers: [{ column: 'x', kind: 'numeric' }], k: 2, sensitive: 's', l: 2, diversity: 'entropy' });
    expect(r.suppressedRows).toBe(2);
    expect(r.rows).toHaveLength(8);
    expect(r.rows.map((x) => x.s).filter((s) => s === 'a')).toHaveLength(6);
    for (const cls of classesOf(r, ['x'])) expect(entropy(cls.map((x) => x.s))).toBeGreaterThanOrEqual(Math.log(2) - 1e-12);
  });

  it('suppresses everything when too few rows would be left', () => {
    const rows = ['a', 'a', 'a', 'a', 'a', 'a', 'b'].map((s, i) => ({ x: i, s }));
    const r = anonymizeTable(rows, { quasiIdentifiers: [{ column: 'x', kind: 'numeric' }], k: 3, sensitive: 's', l: 2, diversity: 'entropy' });
    expect(r.rows).toEqual([]);
    expect(r.suppressedRows).toBe(7);
  });
});

describe('anonymizeTable rejects bad specs and cells, naming the field', () => {
  const rows = [{ a: 1, b: 'x', ip: '10.0.0.1' }, { a: 2, b: 'y', ip: '10.0.0.2' }, { a: 3, b: 'x', ip: '10.0.0.3' }];
  const qa: QiSpec[] = [{ column: 'a', kind: 'numeric' }];
  it.each<[string, KAnonymitySpec, string]>([
    ['k < 2', { quasiIdentifiers: qa, k: 1 }, 'k'],
    ['k not an integer', { quasiIdentifiers: qa, k: 2.5 }, 'k'],
    ['no quasi-identifiers', { quasiIdentifiers: [], k: 2 }, 'quasiIdentifiers'],
    ['unknown QI column', { quasiIdentifiers: [{ column: 'nope', kind: 'numeric' }], k: 2 }, 'quasiIdentifiers[0].column'],
    ['duplicate QI', { quasiIdentifiers: [...qa, ...qa], k: 2 }, 'quasiIdentifiers[1].column'],
    ['bad kind', { quasiIdentifiers: [{ column: 'a', kind: 'date' as 'numeric' }], k: 2 }, 'quasiIdentifiers[0].kind'],
    ['hierarchy on a numeric column', { quasiIdentifiers: [{ column: 'a', kind: 'numeric', hierarchy: {} }], k: 2 }, 'quasiIdentifiers[0].hierarchy'],
    ['unknown sensitive column', { quasiIdentifiers: qa, k: 2, sensitive: 'nope', l: 1 }, 'sensitive'],
    ['sensitive is a QI', { quasiIdentifiers: qa, k: 2, sensitive: 'a' }, 'sensitive'],
    ['unknown suppressed column', { quasiIdentifiers: qa, k: 2, suppress: ['nope'] }, 'suppress'],
    ['suppressing a QI', { quasiIdentifiers: qa, k: 2, suppress: ['a'] }, 'suppress'],
    ['l above the distinct sensitive values', { quasiIdentifiers: qa, k: 2, sensitive: 'b', l: 3 }, 'l'],
    ['l without a sensitive column', { quasiIdentifiers: qa, k: 2, l: 2 }, 'sensitive'],
    ['l = 0', { quasiIdentifiers: qa, k: 2, sensitive: 'b', l: 0 }, 'l'],
    ['bad diversity', { quasiIdentifiers: qa, k: 2, sensitive: 'b', l: 2, diversity: 'recursive' as 'entropy' }, 'diversity'],
    ['diversity without l', { quasiIdentifiers: qa, k: 2, sensitive: 'b', diversity: 'entropy' }, 'l'],
    ['a non-numeric cell', { quasiIdentifiers: [{ column: 'b', kind: 'numeric' }], k: 2 }, 'quasiIdentifiers[0].column'],
    ['a non-IP cell', { quasiIdentifiers: [{ column: 'b', kind: 'ip' }], k: 2 }, 'quasiIdentifiers[0].column'],
    ['a non-timestamp cell', { quasiIdentifiers: [{ column: 'b', kind: 'timestamp' }], k: 2 }, 'quasiIdentifiers[0].column'],
    ['a value missing from the hierarchy', { quasiIdentifiers: [{ column: 'b', kind: 'categorical', hierarchy: { x: 'X' } }], k: 2 }, 'quasiIdentifiers[0].hierarchy'],
  ])('%s', (_what, spec, field) => {
    let caught: unknown;
    try {
      anonymizeTable(rows, spec);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).details.field).toBe(field);
  });

  it('an empty QI cell names its row', () => {
    expect(() => anonymizeTable([{ a: 1 }, { a: null }], { quasiIdentifiers: [{ column: 'a', kind: 'numeric' }], k: 2 })).toThrow(/row 1: column "a" is empty/);
  });
});
