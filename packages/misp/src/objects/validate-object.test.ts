import { describe, expect, it } from 'vitest';
import { validateObject, type ObjectAttributeInput, type ObjectInput } from './validate-object.js';
import { aTemplate } from './test-support/a-template.js';

function attr(object_relation: string, type: string, value: string): ObjectAttributeInput {
  return { object_relation, type, value };
}

function anObject(attributes: ObjectAttributeInput[], name = 'test-flow'): ObjectInput {
  return { name, attributes };
}

const template = aTemplate();
const src = attr('src-ip', 'ip-src', '198.51.100.7');

describe('validateObject', () => {
  it('accepts a conforming object', () => {
    const object = anObject([
      src,
      attr('dst-ip', 'ip-dst', '192.0.2.1'),
      attr('port', 'port', '22'),
      attr('port', 'port', '2222'),
      attr('protocol', 'text', 'tcp'),
      attr('note', 'text', 'not a sane default'),
    ]);
    expect(validateObject(template, object)).toEqual({ ok: true });
  });

  it('rejects an object whose name is not the template name', () => {
    expect(validateObject(template, anObject([src], 'other'))).toEqual({
      ok: false,
      problems: [{ field: 'name', message: "object name 'other' does not match template 'test-flow'" }],
    });
  });

  it('rejects a relation the template does not define, including prototype names', () => {
    const verdict = validateObject(template, anObject([src, attr('colour', 'text', 'red'), attr('constructor', 'text', 'x')]));
    expect(verdict).toEqual({
      ok: false,
      problems: [
        { field: 'attributes[1].object_relation', message: "relation 'colour' is not defined by template 'test-flow'" },
        { field: 'attributes[2].object_relation', message: "relation 'constructor' is not defined by template 'test-flow'" },
      ],
    });
  });

  it("rejects a type other than the relation's misp-attribute", () => {
    expect(validateObject(template, anObject([attr('src-ip', 'ip-dst', '198.51.100.7')]))).toEqual({
      ok: false,
      problems: [{ field: 'attributes[0].type', message: "relation 'src-ip' must have type 'ip-src', not 'ip-dst'" }],
    });
  });

  it('rejects a missing required relation and accepts it when present', () => {
    const strict = aTemplate({ required: ['protocol', 'dst-ip'] });
    expect(validateObject(strict, anObject([src, attr('protocol', 'text', 'udp')]))).toEqual({
      ok: false,
      problems: [{ field: 'attributes', message: "required relation 'dst-ip' is missing" }],
    });
    expect(
      validateObject(strict, anObject([src, attr('protocol', 'text', 'udp'), attr('dst-ip', 'ip-dst', '192.0.2.1')])),
    ).toEqual({ ok: true });
  });

  it('requires at least one requiredOneOf relation', () => {
    expect(validateObject(template, anObject([attr('protocol', 'text', 'tcp')]))).toEqual({
      ok: false,
      problems: [{ field: 'attributes', message: "at least one of 'src-ip', 'dst-ip' is required" }],
    });
    expect(validateObject(template, anObject([attr('dst-ip', 'ip-dst', '192.0.2.1')]))).toEqual({ ok: true });
  });

  it('needs no attribute at all when the template has neither required nor requiredOneOf', () => {
    const { requiredOneOf: _unused, ...rest } = aTemplate();
    expect(validateObject(rest, anObject([]))).toEqual({ ok: true });
  });

  it('rejects a second occurrence of a relation without multiple', () => {
    const verdict = validateObject(template, anObject([src, attr('src-ip', 'ip-src', '198.51.100.8'), src]));
    expect(verdict).toEqual({
      ok: false,
      problems: [
        { field: 'attributes[1].object_relation', message: "relation 'src-ip' may occur only once" },
        { field: 'attributes[2].object_relation', message: "relation 'src-ip' may occur only once" },
      ],
    });
  });

  it('enforces values_list exactly', () => {
    for (const value of ['TCP', 'tcp ', 'icmp', '']) {
      expect(validateObject(template, anObject([src, attr('protocol', 'text', value)]))).toEqual({
        ok: false,
        problems: [
          { field: 'attributes[1].value', message: `value '${value}' of relation 'protocol' is not one of 'tcp', 'udp'` },
        ],
      });
    }
  });

  it('does not enforce sane_default', () => {
    expect(validateObject(template, anObject([src, attr('note', 'text', 'anything')]))).toEqual({ ok: true });
  });

  it('reports every problem at once', () => {
    const verdict = validateObject(
      aTemplate({ required: ['protocol'] }),
      anObject([attr('port', 'text', 'x'), attr('bogus', 'text', 'y')], 'wrong'),
    );
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.problems.map((problem) => problem.field)).toEqual([
      'name',
      'attributes[0].type',
      'attributes[1].object_relation',
      'attributes',
      'attributes',
    ]);
  });

  it('does not change its inputs', () => {
    const object = anObject([attr('src-ip', 'ip-dst', 'x'), attr('src-ip', 'ip-src', 'y')]);
    const before = structuredClone(object);
    const templateBefore = structuredClone(template);
    validateObject(template, object);
    expect(object).toEqual(before);
    expect(template).toEqual(templateBefore);
  });
});
