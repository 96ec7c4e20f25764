import type { ObjectTemplate, ObjectTemplateAttribute } from '../object-template.js';

/** A small valid template for tests; override any field. */
export function aTemplate(overrides: Partial<ObjectTemplate> = {}): ObjectTemplate {
  return {
    name: 'test-flow',
    uuid: '0b5e4a4e-7c55-4d1f-9a55-3f1f1a2b3c4d',
    version: 1,
    description: 'A test template.',
    'meta-category': 'network',
    attributes: {
      'src-ip': anElement({ 'misp-attribute': 'ip-src', categories: ['Network activity', 'External analysis'], to_ids: true }),
      'dst-ip': anElement({ 'misp-attribute': 'ip-dst' }),
      port: anElement({ 'misp-attribute': 'port', multiple: true, disable_correlation: true }),
      protocol: anElement({ values_list: ['tcp', 'udp'], disable_correlation: true }),
      note: anElement({ sane_default: ['scan', 'brute-force'] }),
    },
    requiredOneOf: ['src-ip', 'dst-ip'],
    ...overrides,
  };
}

/** A template element of type `text`; override any field. */
export function anElement(overrides: Partial<ObjectTemplateAttribute> = {}): ObjectTemplateAttribute {
  return { 'misp-attribute': 'text', description: 'An element.', 'ui-priority': 1, ...overrides };
}
