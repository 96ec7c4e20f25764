import { describe, expect, it } from 'vitest';
import { InputError, NotFoundError, UnavailableError } from '@waggle/errors';
import type { EnrichmentModule } from './module.js';
import { createModuleRegistry, mergeEnrichments } from './registry.js';

const fixed = (name: string, inputTypes: string[], tags: string[]): EnrichmentModule => ({
  name,
  version: '1',
  description: name,
  inputTypes,
  outputTypes: [],
  enrich: (a) => (a.value === 'bad' ? Promise.reject(new InputError(`bad value for ${name}`)) : Promise.resolve({ attributes: [{ type: 'text', value: `seen ${a.value}` }], objects: [], tags })),
});
const down: EnrichmentModule = { ...fixed('down', ['ip-src'], []), enrich: () => Promise.reject(new UnavailableError('resolver down')) };

describe('the module registry', () => {
  const registry = createModuleRegistry([fixed('a', ['ip-src', 'domain'], ['t:1']), fixed('b', ['ip-src'], ['t:1', 't:2']), down]);

  it('runs every module accepting the type and merges their answers without duplicates', async () => {
    const r = await registry.enrich({ type: 'ip-src', value: '1.2.3.4' });
    expect(r.outcomes.map((o) => [o.module, o.ok])).toEqual([['a', true], ['b', true], ['down', false]]);
    expect(r.merged).toEqual({ attributes: [{ type: 'text', value: 'seen 1.2.3.4' }], objects: [], tags: ['t:1', 't:2'] });
    expect(r.outcomes[2]).toMatchObject({ ok: false, error: 'resolver down', retryable: true });
  });

  it('runs only the named modules', async () => {
    expect((await registry.enrich({ type: 'ip-src', value: '1.2.3.4' }, {}, ['b'])).outcomes.map((o) => o.module)).toEqual(['b']);
    expect(registry.forType('domain').map((m) => m.name)).toEqual(['a']);
  });

  it('rejects unknown modules, unsupported types, empty and malformed values', async () => {
    expect(() => registry.get('nope')).toThrow(NotFoundError);
    await expect(registry.enrich({ type: 'ip-src', value: '1.2.3.4' }, {}, ['nope'])).rejects.toThrow(/unknown enrichment module "nope"; available: a, b, down/);
    await expect(registry.enrich({ type: 'md5', value: 'x' })).rejects.toThrow(/no enrichment module accepts attribute type "md5"/);
    await expect(registry.enrich({ type: 'domain', value: 'x' }, {}, ['b'])).rejects.toThrow(/none of the modules b accepts/);
    await expect(registry.enrich({ type: 'ip-src', value: '' })).rejects.toThrow(InputError);
    // Every module rejects it: bad input. Only some: reported per module.
    await expect(registry.enrich({ type: 'domain', value: 'bad' })).rejects.toThrow(/bad value for a/);
    const partly = await registry.enrich({ type: 'ip-src', value: 'bad' });
    expect(partly.outcomes.map((o) => (o.ok ? o.module : `${o.module}: ${o.error}`))).toEqual(['a: bad value for a', 'b: bad value for b', 'down: resolver down']);
  });

  it('refuses two modules with one name', () => {
    expect(() => createModuleRegistry([fixed('a', [], []), fixed('a', [], [])])).toThrow(InputError);
  });

  it('merges objects by name and attributes', () => {
    const o = { name: 'asn', Attribute: [{ type: 'AS', value: 'AS1', object_relation: 'asn' }] };
    expect(mergeEnrichments([{ attributes: [], objects: [o], tags: [] }, { attributes: [], objects: [{ ...o }], tags: [] }]).objects).toHaveLength(1);
  });
});
