import { describe, expect, it } from 'vitest';
import { describeTypes } from './describe-types.js';

describe('describeTypes', () => {
  const described = describeTypes();

  it('has the four keys of MISP describeTypes.json result, in MISP order', () => {
    expect(Object.keys(described)).toEqual(['sane_defaults', 'types', 'categories', 'category_type_mappings']);
  });

  it('lists MISP types and categories', () => {
    expect(described.types).toContain('md5');
    expect(described.types).toContain('ip-dst|port');
    expect(described.types).toContain('malware-sample');
    expect(described.categories).toEqual(expect.arrayContaining(['Payload delivery', 'Network activity', 'Other']));
    expect(new Set(described.types).size).toBe(described.types.length);
  });

  it('has a sane default for every type, with a category that allows the type', () => {
    for (const type of described.types) {
      const defaults = described.sane_defaults[type];
      expect(defaults, type).toBeDefined();
      expect([0, 1]).toContain(defaults?.to_ids);
      const category = defaults?.default_category ?? '';
      expect(described.categories).toContain(category);
      expect(described.category_type_mappings[category], `${type} in ${category}`).toContain(type);
    }
  });

  it('maps every category to known types only', () => {
    const types = new Set(described.types);
    for (const category of described.categories) {
      for (const type of described.category_type_mappings[category] ?? []) expect(types.has(type), `${category}: ${type}`).toBe(true);
    }
  });

  it('keeps MISP defaults such as md5 → Payload delivery, IDS on', () => {
    expect(described.sane_defaults['md5']).toEqual({ default_category: 'Payload delivery', to_ids: 1 });
    expect(described.sane_defaults['comment']?.to_ids).toBe(0);
  });

  it('returns one shared, frozen object', () => {
    expect(describeTypes()).toBe(described);
    expect(Object.isFrozen(described)).toBe(true);
    expect(Object.isFrozen(described.types)).toBe(true);
    expect(Object.isFrozen(described.sane_defaults['md5'])).toBe(true);
    expect(() => (described.types as string[]).push('x')).toThrow();
  });

  it('serialises to plain JSON as MISP returns it', () => {
    const json = JSON.parse(JSON.stringify(described)) as unknown;
    expect(json).toEqual(described);
  });
});
