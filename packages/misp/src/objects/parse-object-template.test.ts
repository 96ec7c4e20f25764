import { describe, expect, it } from 'vitest';
import { parseObjectTemplate } from './parse-object-template.js';

function definition(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'credential',
    uuid: 'A27E98C9-9B0E-414C-8076-D201E039CA09',
    version: 2,
    description: 'Credentials.',
    'meta-category': 'misc',
    attributes: {
      password: { description: 'Password', 'misp-attribute': 'text', 'ui-priority': 1, multiple: true },
      format: {
        description: 'Format',
        'misp-attribute': 'text',
        'ui-priority': 1,
        values_list: ['clear-text', 'hashed'],
        categories: ['Other'],
        to_ids: false,
        disable_correlation: true,
        recommended: true,
        sane_default: ['x'],
      },
    },
    requiredOneOf: ['password'],
    ...overrides,
  };
}

describe('parseObjectTemplate', () => {
  it('returns a typed template keeping the definition fields', () => {
    const result = parseObjectTemplate(definition({ required: ['format'], futureKey: 1 }));
    expect(result).toEqual({
      ok: true,
      template: {
        name: 'credential',
        uuid: 'A27E98C9-9B0E-414C-8076-D201E039CA09',
        version: 2,
        description: 'Credentials.',
        'meta-category': 'misc',
        attributes: {
          password: { description: 'Password', 'misp-attribute': 'text', 'ui-priority': 1, multiple: true },
          format: {
            description: 'Format',
            'misp-attribute': 'text',
            'ui-priority': 1,
            values_list: ['clear-text', 'hashed'],
            categories: ['Other'],
            to_ids: false,
            disable_correlation: true,
            recommended: true,
            sane_default: ['x'],
          },
        },
        required: ['format'],
        requiredOneOf: ['password'],
      },
    });
  });

  it('leaves absent optional fields out rather than undefined', () => {
    const result = parseObjectTemplate(definition({ requiredOneOf: undefined }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.keys(result.template)).not.toContain('required');
    expect(Object.keys(result.template)).not.toContain('requiredOneOf');
    expect(Object.keys(result.template.attributes['password'] ?? {})).not.toContain('categories');
  });

  it('rejects a value that is not an object', () => {
    expect(parseObjectTemplate([])).toEqual({ ok: false, problems: ['template must be a JSON object'] });
    expect(parseObjectTemplate(null)).toEqual({ ok: false, problems: ['template must be a JSON object'] });
  });

  it('reports every problem at once', () => {
    const result = parseObjectTemplate({
      name: '',
      uuid: 'not-a-uuid',
      version: 1.5,
      'meta-category': 3,
      attributes: {
        a: { description: 'A', 'ui-priority': '1', multiple: 'yes', values_list: [1], categories: [] },
        b: 'text',
      },
      required: ['a', 'missing'],
      requiredOneOf: 'a',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect([...result.problems].sort()).toEqual(
      [
        'name: must not be empty',
        'uuid: must be a UUID',
        'version: must be a non-negative integer',
        'description: must be a string',
        'meta-category: must be a string',
        'attributes.a.misp-attribute: must be a string',
        'attributes.a.ui-priority: must be a number',
        'attributes.a.multiple: must be a boolean',
        'attributes.a.values_list: must be a list of strings',
        'attributes.a.categories: must not be empty',
        'attributes.b: must be an object',
        "required: names unknown relation 'missing'",
        'requiredOneOf: must be a list of strings',
      ].sort(),
    );
  });

  it('rejects missing or empty attributes and a negative or string version', () => {
    for (const [overrides, problem] of [
      [{ attributes: undefined }, 'attributes: must be an object keyed by relation'],
      [{ attributes: {}, requiredOneOf: undefined }, 'attributes: must not be empty'],
      [{ version: -1 }, 'version: must be a non-negative integer'],
      [{ version: '2' }, 'version: must be a non-negative integer'],
    ] as const) {
      expect(parseObjectTemplate(definition(overrides))).toEqual({ ok: false, problems: [problem] });
    }
  });

  it('keeps a "__proto__" relation as data', () => {
    const json = JSON.parse(
      '{"name":"x","uuid":"a27e98c9-9b0e-414c-8076-d201e039ca09","version":1,"description":"d",' +
        '"meta-category":"misc","attributes":{"__proto__":{"description":"p","misp-attribute":"text","ui-priority":0}}}',
    ) as unknown;
    const result = parseObjectTemplate(json);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.hasOwn(result.template.attributes, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(result.template.attributes)).toBe(Object.prototype);
  });
});
