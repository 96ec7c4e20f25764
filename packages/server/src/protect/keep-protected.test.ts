import { describe, expect, it } from 'vitest';
import { keepProtectedValues } from './keep-protected.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ENV = 'waggle-abe:v1:{"v":1,"policy":"role:CERT","abe":"AA","iv":"AA","ct":"AA"}';
const anEvent = (): J => ({
  info: ENV,
  Attribute: [{ uuid: 'a1', type: 'ip-dst', value: '10.0.0.1' }, { uuid: 'a2', type: 'ip-dst', value: ENV }],
  Object: [
    { uuid: 'o1', name: 'mixed', Attribute: [{ uuid: 'o1a', type: 'domain', value: 'x.example' }, { uuid: 'o1b', type: 'domain', value: ENV }] },
    { uuid: 'o2', name: 'sealed', Attribute: [{ uuid: 'o2a', type: 'domain', value: ENV }] },
  ],
});
/** A stand-in anonymiser that rewrites every value and the info it sees. */
const rewriteAll = (e: J): J => ({
  ...e,
  info: 'rewritten',
  Attribute: (e.Attribute as J[]).map((a) => ({ ...a, value: 'x' })),
  Object: (e.Object as J[]).map((o) => ({ ...o, Attribute: (o.Attribute as J[]).map((a) => ({ ...a, value: 'x' })) })),
});

describe('keepProtectedValues', () => {
  it('hides protected values from the transformation and puts them back unchanged', () => {
    const seen: J[] = [];
    const out = keepProtectedValues(anEvent(), (e) => {
      seen.push(structuredClone(e));
      return rewriteAll(e);
    }) as J;
    expect(JSON.stringify(seen)).not.toContain('waggle-abe');
    expect(out.info).toBe(ENV);
    expect(out.Attribute).toEqual([{ uuid: 'a1', type: 'ip-dst', value: 'x' }, { uuid: 'a2', type: 'ip-dst', value: ENV }]);
    expect(out.Object.map((o: J) => o.Attribute.map((a: J) => a.value))).toEqual([['x', ENV], [ENV]]);
  });

  it('drops protected attributes of an object the transformation removed, and withholds when it withholds', () => {
    const out = keepProtectedValues(anEvent(), (e) => ({ ...e, Object: [] })) as J;
    expect(out.Object.map((o: J) => o.uuid)).toEqual(['o2']);
    expect(keepProtectedValues(anEvent(), () => undefined)).toBeUndefined();
  });

  it('leaves events without protected values to the transformation alone', () => {
    const plain = { info: 'plain', Attribute: [{ uuid: 'a1', type: 'ip-dst', value: '10.0.0.1' }] };
    expect(keepProtectedValues(plain, (e) => ({ ...e, info: 'changed' }))).toEqual({ ...plain, info: 'changed' });
  });
});
