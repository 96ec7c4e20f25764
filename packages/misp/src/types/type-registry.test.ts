import { describe, expect, it } from 'vitest';
import { describeTypes } from './describe-types.js';
import {
  categoriesForType,
  defaultCategory,
  defaultToIds,
  isCategoryAllowed,
  isCompositeType,
  isKnownCategory,
  isKnownType,
} from './type-registry.js';

describe('type registry', () => {
  it('knows MISP types, case-sensitively, and nothing from Object.prototype', () => {
    expect(isKnownType('md5')).toBe(true);
    expect(isKnownType('AS')).toBe(true);
    expect(isKnownType('named pipe')).toBe(true);
    expect(isKnownType('MD5')).toBe(false);
    expect(isKnownType('as')).toBe(false);
    expect(isKnownType('')).toBe(false);
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(isKnownType(name)).toBe(false);
      expect(isKnownCategory(name)).toBe(false);
      expect(defaultCategory(name)).toBeUndefined();
      expect(defaultToIds(name)).toBeUndefined();
      expect(isCategoryAllowed(name, 'md5')).toBe(false);
    }
  });

  it('knows MISP categories', () => {
    expect(isKnownCategory('Network activity')).toBe(true);
    expect(isKnownCategory('Payload delivery')).toBe(true);
    expect(isKnownCategory('network activity')).toBe(false);
    expect(isKnownCategory('Nope')).toBe(false);
  });

  it('gives default category and to_ids from sane_defaults', () => {
    expect(defaultCategory('ip-dst')).toBe('Network activity');
    expect(defaultToIds('ip-dst')).toBe(true);
    expect(defaultCategory('comment')).toBe('Other');
    expect(defaultToIds('comment')).toBe(false);
    expect(defaultCategory('no-such-type')).toBeUndefined();
    expect(defaultToIds('no-such-type')).toBeUndefined();
  });

  it('checks category/type combinations', () => {
    expect(isCategoryAllowed('Network activity', 'ip-dst')).toBe(true);
    expect(isCategoryAllowed('Payload delivery', 'md5')).toBe(true);
    expect(isCategoryAllowed('Financial fraud', 'md5')).toBe(false);
    expect(isCategoryAllowed('Nope', 'md5')).toBe(false);
    expect(isCategoryAllowed('Network activity', 'nope')).toBe(false);
  });

  it('lists the categories of a type consistently with isCategoryAllowed', () => {
    for (const type of describeTypes().types) {
      const categories = categoriesForType(type);
      expect(categories.length, type).toBeGreaterThan(0);
      for (const category of describeTypes().categories) {
        expect(categories.includes(category)).toBe(isCategoryAllowed(category, type));
      }
    }
    expect(categoriesForType('nope')).toEqual([]);
  });

  it('treats every |-type and malware-sample as composite', () => {
    for (const type of describeTypes().types) {
      expect(isCompositeType(type), type).toBe(type.includes('|') || type === 'malware-sample');
    }
    expect(isCompositeType('filename|md5')).toBe(true);
    expect(isCompositeType('ip-dst|port')).toBe(true);
    expect(isCompositeType('malware-sample')).toBe(true);
    expect(isCompositeType('md5')).toBe(false);
    expect(isCompositeType('attachment')).toBe(false);
    expect(isCompositeType('made|up')).toBe(false);
  });
});
