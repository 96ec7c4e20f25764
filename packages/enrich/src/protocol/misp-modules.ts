import { isWaggleError } from '@waggle/errors';
import type { Enrichment, EnrichmentModule, NewAttribute } from '../module.js';
import type { ModuleRegistry } from '../registry.js';

/** One entry of misp-modules' `GET /modules` list. */
export interface MispModuleInfo {
  readonly name: string;
  readonly type: 'expansion';
  readonly mispattributes: { readonly input: readonly string[]; readonly output: readonly string[]; readonly format: 'misp_standard' };
  readonly meta: { readonly version: string; readonly author: string; readonly description: string; readonly 'module-type': readonly string[]; readonly config: readonly string[] };
  readonly moduleconfig: readonly string[];
}

/** The `GET /modules` answer: every module as an expansion and hover module. */
export function moduleList(registry: ModuleRegistry): MispModuleInfo[] {
  return registry.list().map((m) => ({
    name: m.name,
    type: 'expansion',
    mispattributes: { input: m.inputTypes, output: m.outputTypes, format: 'misp_standard' },
    meta: { version: m.version, author: 'waggle', description: m.description, 'module-type': ['expansion', 'hover'], config: m.config ?? [] },
    moduleconfig: m.config ?? [],
  }));
}

/** A `POST /query` answer: results in one of the two formats, or `{ error }`. */
export type QueryAnswer =
  | { readonly results: { readonly Attribute: unknown[]; readonly Object: unknown[]; readonly Tag: { readonly name: string }[] } }
  | { readonly results: { readonly types: string[]; readonly values: string[] }[] }
  | { readonly error: string };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function configOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(v)) return out;
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
  return out;
}

const withoutRelation = (a: NewAttribute): Json => ({ ...a });

function standard(e: Enrichment): QueryAnswer {
  return { results: { Attribute: e.attributes.map(withoutRelation), Object: e.objects.map((o) => ({ ...o, Attribute: o.Attribute.map(withoutRelation) })), Tag: e.tags.map((name) => ({ name })) } };
}

/** Legacy answer: values grouped by type, object attributes included, tags as `text`. */
function simple(e: Enrichment): QueryAnswer {
  const byType = new Map<string, string[]>();
  const add = (type: string, value: string): void => {
    const list = byType.get(type) ?? [];
    if (!list.includes(value)) list.push(value);
    byType.set(type, list);
  };
  for (const a of e.attributes) add(a.type, a.value);
  for (const o of e.objects) for (const a of o.Attribute) add(a.type, a.value);
  for (const t of e.tags) add('text', t);
  return { results: [...byType].map(([type, values]) => ({ types: [type], values })) };
}

/** The attribute of a simple request: the one body key that is an input type of the module. */
function simpleAttribute(body: Json, module: EnrichmentModule): { type: string; value: string } | undefined {
  for (const type of module.inputTypes) {
    const value = body[type];
    if (typeof value === 'string') return { type, value };
  }
  return undefined;
}

/**
 * Answers a misp-modules `POST /query` body: `{module, attribute: {type, value, uuid}, config}`
 * (misp_standard: `{results: {Attribute, Object, Tag}}`) or `{module, <type>: value, config}`
 * (simple: `{results: [{types, values}]}`). Problems are answered as `{error}`, never thrown.
 */
export async function answerQuery(registry: ModuleRegistry, body: unknown): Promise<QueryAnswer> {
  try {
    if (!isObject(body)) return { error: 'the query must be a JSON object' };
    if (typeof body.module !== 'string' || body.module === '') return { error: 'the query names no "module"' };
    const module = registry.get(body.module);
    const config = configOf(body.config);
    if (body.attribute !== undefined) {
      const a = body.attribute;
      if (!isObject(a) || typeof a.type !== 'string' || typeof a.value !== 'string') return { error: '"attribute" must be an object with string "type" and "value"' };
      if (!module.inputTypes.includes(a.type)) return { error: `Unsupported attribute type "${a.type}" for module ${module.name}` };
      const result = await registry.enrich({ type: a.type, value: a.value, ...(typeof a.uuid === 'string' ? { uuid: a.uuid } : {}) }, { config }, [module.name]);
      const failed = result.outcomes.find((o) => !o.ok);
      return failed !== undefined && !failed.ok ? { error: failed.error } : standard(result.merged);
    }
    const attribute = simpleAttribute(body, module);
    if (attribute === undefined) return { error: `Unsupported attribute type: the query holds none of ${module.inputTypes.join(', ')}` };
    const result = await registry.enrich(attribute, { config }, [module.name]);
    const failed = result.outcomes.find((o) => !o.ok);
    return failed !== undefined && !failed.ok ? { error: failed.error } : simple(result.merged);
  } catch (e) {
    if (isWaggleError(e)) return { error: e.message };
    throw e;
  }
}
