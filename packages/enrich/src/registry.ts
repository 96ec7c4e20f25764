import { InputError, NotFoundError, isWaggleError } from '@waggle/errors';
import type { EnrichAttribute, EnrichContext, Enrichment, EnrichmentModule, NewAttribute, NewObject } from './module.js';

/** One module's answer for one attribute. */
export type ModuleOutcome =
  | { readonly module: string; readonly ok: true; readonly enrichment: Enrichment }
  | { readonly module: string; readonly ok: false; readonly error: string; readonly retryable: boolean };

/** Every applicable module's answer, and their union (duplicates dropped). */
export interface EnrichResult {
  readonly outcomes: readonly ModuleOutcome[];
  readonly merged: Enrichment;
}

/** The set of modules a process offers, looked up by name and by input type. */
export interface ModuleRegistry {
  list(): readonly EnrichmentModule[];
  /** @throws NotFoundError naming the known modules. */
  get(name: string): EnrichmentModule;
  /** The modules that accept this attribute type. */
  forType(type: string): EnrichmentModule[];
  /**
   * Runs the named modules (default: all that accept the type) on one
   * attribute. A module that fails (a malformed value for it, a resolver
   * down) is reported in `outcomes` and does not stop the others; when every
   * module rejected the value as bad input, that `InputError` is thrown.
   * @throws InputError for an empty value, a type no chosen module accepts, or a value its type does not allow.
   */
  enrich(attribute: EnrichAttribute, ctx?: EnrichContext, modules?: readonly string[]): Promise<EnrichResult>;
}

const keyOfAttribute = (a: NewAttribute): string => `${a.type}\u0000${a.value}\u0000${a.object_relation ?? ''}`;
const keyOfObject = (o: NewObject): string => `${o.name}\u0000${o.Attribute.map(keyOfAttribute).sort().join('\u0001')}`;

/** The union of several enrichments, each attribute, object and tag once. */
export function mergeEnrichments(list: readonly Enrichment[]): Enrichment {
  const attributes = new Map<string, NewAttribute>();
  const objects = new Map<string, NewObject>();
  const tags = new Set<string>();
  for (const e of list) {
    for (const a of e.attributes) if (!attributes.has(keyOfAttribute(a))) attributes.set(keyOfAttribute(a), a);
    for (const o of e.objects) if (!objects.has(keyOfObject(o))) objects.set(keyOfObject(o), o);
    for (const t of e.tags) tags.add(t);
  }
  return { attributes: [...attributes.values()], objects: [...objects.values()], tags: [...tags] };
}

/** Builds the registry; module names must be unique. */
export function createModuleRegistry(modules: readonly EnrichmentModule[]): ModuleRegistry {
  const byName = new Map<string, EnrichmentModule>();
  for (const m of modules) {
    if (byName.has(m.name)) throw new InputError(`two enrichment modules are named "${m.name}"`, { field: 'module' });
    byName.set(m.name, m);
  }
  const get = (name: string): EnrichmentModule => {
    const m = byName.get(name);
    if (m === undefined) throw new NotFoundError(`unknown enrichment module "${name}"; available: ${[...byName.keys()].join(', ') || 'none'}`, { field: 'module' });
    return m;
  };
  const forType = (type: string): EnrichmentModule[] => modules.filter((m) => m.inputTypes.includes(type));
  return {
    list: () => modules,
    get,
    forType,
    async enrich(attribute, ctx = {}, names) {
      if (attribute.value.trim() === '') throw new InputError('the value is empty', { field: 'value' });
      const chosen = names === undefined ? forType(attribute.type) : names.map(get).filter((m) => m.inputTypes.includes(attribute.type));
      if (chosen.length === 0) {
        const which = names === undefined ? 'no enrichment module' : `none of the modules ${names.join(', ')}`;
        throw new InputError(`${which} accepts attribute type "${attribute.type}"`, { field: 'type' });
      }
      const settled = await Promise.allSettled(chosen.map((m) => m.enrich(attribute, ctx)));
      const outcomes: ModuleOutcome[] = settled.map((s, i) => {
        const module = (chosen[i] as EnrichmentModule).name;
        if (s.status === 'fulfilled') return { module, ok: true, enrichment: s.value };
        const error = s.reason instanceof Error ? s.reason.message : String(s.reason);
        return { module, ok: false, error, retryable: isWaggleError(s.reason) ? s.reason.retryable : false };
      });
      const firstInputError = settled.find((s) => s.status === 'rejected' && s.reason instanceof InputError);
      if (firstInputError !== undefined && settled.every((s) => s.status === 'rejected' && s.reason instanceof InputError)) throw (firstInputError as PromiseRejectedResult).reason;
      return { outcomes, merged: mergeEnrichments(outcomes.flatMap((o) => (o.ok ? [o.enrichment] : []))) };
    },
  };
}
