import { describe, expect, it } from 'vitest';
import { templateDefaults } from './template-defaults.js';
import { aTemplate } from './test-support/a-template.js';

describe('templateDefaults', () => {
  const template = aTemplate();

  it('takes the first category, to_ids and disable_correlation from the element', () => {
    expect(templateDefaults(template, 'src-ip')).toEqual({
      category: 'Network activity',
      to_ids: true,
      disable_correlation: false,
    });
    expect(templateDefaults(template, 'port')).toEqual({ disable_correlation: true });
  });

  it('leaves category and to_ids out when the template does not set them', () => {
    const defaults = templateDefaults(template, 'dst-ip');
    expect(defaults).toEqual({ disable_correlation: false });
    expect(Object.keys(defaults ?? {})).toEqual(['disable_correlation']);
  });

  it('returns undefined for a relation the template lacks, including prototype names', () => {
    expect(templateDefaults(template, 'nope')).toBeUndefined();
    expect(templateDefaults(template, 'constructor')).toBeUndefined();
    expect(templateDefaults(template, 'toString')).toBeUndefined();
  });
});
