import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { emptySyncRules, parseSyncRules, serializeSyncRules } from './sync-rules.js';

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).details.field;
  }
  throw new Error('expected an InputError');
}

describe('parseSyncRules', () => {
  it('reads the JSON text MISP stores, url_params being a JSON string inside it', () => {
    const text = JSON.stringify({
      tags: { OR: ['tlp:green', 12], NOT: ['tlp:red'] },
      orgs: { OR: [], NOT: ['22222222-2222-4222-8222-222222222222'] },
      type_attributes: { NOT: ['email-src'] },
      type_objects: { NOT: ['43b3b146-77eb-4931-b4cc-b66c60f28734'] },
      url_params: JSON.stringify({ timestamp: '30d' }),
    });
    const rules = parseSyncRules(text);
    expect(rules.tags).toEqual({ OR: ['tlp:green', '12'], NOT: ['tlp:red'] });
    expect(rules.orgs.NOT).toEqual(['22222222-2222-4222-8222-222222222222']);
    expect(rules.typeAttributes.NOT).toEqual(['email-src']);
    expect(rules.typeObjects.NOT).toEqual(['43b3b146-77eb-4931-b4cc-b66c60f28734']);
    expect(rules.urlParams).toEqual({ timestamp: '30d' });
    expect(parseSyncRules(serializeSyncRules(rules))).toEqual(rules);
  });

  it('treats empty input as no rules, including PHP empty arrays', () => {
    for (const input of ['', '  ', null, undefined, [], '[]', { tags: [], url_params: [] }, { url_params: '' }]) {
      expect(parseSyncRules(input)).toEqual(emptySyncRules());
    }
  });

  it('refuses bad rules and names the field', () => {
    expect(fieldOf(() => parseSyncRules('{not json'))).toBe('rules');
    expect(fieldOf(() => parseSyncRules('"a string"'))).toBe('rules');
    expect(fieldOf(() => parseSyncRules({ tag: { OR: [] } }))).toBe('rules.tag');
    expect(fieldOf(() => parseSyncRules({ tags: { AND: ['x'] } }))).toBe('rules.tags.AND');
    expect(fieldOf(() => parseSyncRules({ tags: { OR: 'tlp:red' } }))).toBe('rules.tags.OR');
    expect(fieldOf(() => parseSyncRules({ orgs: { NOT: [''] } }))).toBe('rules.orgs.NOT[0]');
    expect(fieldOf(() => parseSyncRules({ orgs: { NOT: [{ id: 1 }] } }))).toBe('rules.orgs.NOT[0]');
    expect(fieldOf(() => parseSyncRules({ type_attributes: { OR: ['ip-dst'] } }))).toBe('rules.type_attributes.OR');
    expect(fieldOf(() => parseSyncRules({ type_attributes: { NOT: ['ip-dts'] } }))).toBe('rules.type_attributes.NOT[0]');
    expect(fieldOf(() => parseSyncRules({ type_objects: 'x' }))).toBe('rules.type_objects');
    expect(fieldOf(() => parseSyncRules({ url_params: '{bad' }))).toBe('rules.url_params');
    expect(fieldOf(() => parseSyncRules({ url_params: '[1]' }))).toBe('rules.url_params');
    expect(fieldOf(() => parseSyncRules({ url_params: 5 }))).toBe('rules.url_params');
    expect(fieldOf(() => parseSyncRules({ x: 1 }, 'pullRules'))).toBe('pullRules.x');
  });
});
