import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { epochAt, epochBefore, parseEpoch, withEpoch } from './epoch.js';

describe('epochs', () => {
  it('labels months and days in UTC with their windows', () => {
    const m = epochAt('month', new Date('2026-12-31T23:59:59Z'));
    expect(m).toEqual({ label: '2026-12', attribute: 'epoch:2026-12', startsAt: new Date('2026-12-01T00:00:00Z'), endsAt: new Date('2027-01-01T00:00:00Z') });
    const d = epochAt('day', new Date('2026-02-28T10:00:00Z'));
    expect([d.label, d.endsAt.toISOString()]).toEqual(['2026-02-28', '2026-03-01T00:00:00.000Z']);
  });

  it('parses labels and rejects malformed or impossible ones', () => {
    expect(parseEpoch('month', '2027-01').startsAt.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    for (const bad of ['2026-13', '2026-1', '2026-12-01', 'x', '2026-00']) expect(() => parseEpoch('month', bad)).toThrow(InputError);
    expect(() => parseEpoch('day', '2026-02-30')).toThrow(/YYYY-MM-DD/);
  });

  it('steps back across year boundaries', () => {
    expect(epochBefore('month', parseEpoch('month', '2027-01'), 2).label).toBe('2026-11');
    expect(epochBefore('day', parseEpoch('day', '2027-03-01'), 1).label).toBe('2027-02-28');
  });

  it('ANDs a policy with the epoch attribute in canonical form', () => {
    expect(withEpoch('a OR b', 'epoch:2026-12')).toBe('(a OR b) AND epoch:2026-12');
    expect(withEpoch('a and b', 'epoch:2026-12')).toBe('a AND b AND epoch:2026-12');
    expect(() => withEpoch('a OR', 'epoch:2026-12')).toThrow(InputError);
    expect(() => withEpoch('a', 'role:x')).toThrow(/epoch attribute/);
  });
});
