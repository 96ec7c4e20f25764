import { InputError } from '@waggle/errors';
import { isObj, text, UUID, type Json } from '../services/json-fields.js';

/** A custom galaxy cluster as a client or another instance sends it (MISP's `GalaxyCluster` JSON). */
export interface GalaxyClusterInput {
  readonly uuid?: string;
  readonly value?: string;
  readonly description?: string;
  readonly source?: string;
  readonly authors?: readonly string[];
  readonly distribution?: number;
  readonly sharing_group_id?: number;
  readonly published?: boolean;
  readonly deleted?: boolean;
  readonly version?: number;
  readonly type?: string;
  readonly galaxy_uuid?: string;
  readonly collection_uuid?: string;
  readonly extends_uuid?: string;
  readonly extends_version?: number;
  readonly orgc?: { readonly uuid?: string; readonly name?: string };
  /** Absent: left as is on edit. */
  readonly elements?: readonly { key: string; value: string }[];
  readonly relations?: readonly { referenced_galaxy_cluster_uuid: string; referenced_galaxy_cluster_type: string; distribution: number; sharing_group_id: number }[];
}

const MAX_TEXT = 65_535;

function int(v: unknown, field: string, min: number, max: number): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v.trim()) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new InputError(`${field} must be an integer from ${String(min)} to ${String(max)}`, { field });
  return n;
}
function str(v: unknown, field: string, max = MAX_TEXT): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' && typeof v !== 'number') throw new InputError(`${field} must be a string`, { field });
  const s = String(v);
  if (s.length > max) throw new InputError(`${field} is longer than ${String(max)} characters`, { field });
  return s;
}
function bool(v: unknown, field: string): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (v === true || v === 1 || v === '1' || v === 'true') return true;
  if (v === false || v === 0 || v === '0' || v === 'false') return false;
  throw new InputError(`${field} must be a boolean`, { field });
}
function uuid(v: unknown, field: string): string | undefined {
  const s = str(v, field, 36);
  if (s === undefined || s === '') return undefined;
  if (!UUID.test(s)) throw new InputError(`${field} must be a UUID`, { field });
  return s.toLowerCase();
}

/**
 * Reads MISP's cluster JSON, bare or in `{"GalaxyCluster": …}`: strings or
 * numbers as MISP and PyMISP send them, `GalaxyElement` key/value rows,
 * `GalaxyClusterRelation` rows. Read-only keys are ignored; a malformed field
 * is an {@link InputError} naming it.
 */
export function parseGalaxyCluster(body: unknown): GalaxyClusterInput {
  const root = isObj(body) && isObj(body.GalaxyCluster) ? body.GalaxyCluster : body;
  if (!isObj(root)) throw new InputError('GalaxyCluster must be an object', { field: 'GalaxyCluster' });
  const c: Json = root;
  const f = (k: string): string => `GalaxyCluster.${k}`;
  let authors: string[] | undefined;
  if (c.authors !== undefined && c.authors !== null) {
    if (!Array.isArray(c.authors)) throw new InputError(`${f('authors')} must be a list of names`, { field: f('authors') });
    authors = c.authors.map((a, i) => str(a, `${f('authors')}[${String(i)}]`, 255) ?? '');
  }
  let elements: { key: string; value: string }[] | undefined;
  if (c.GalaxyElement !== undefined) {
    if (!Array.isArray(c.GalaxyElement)) throw new InputError(`${f('GalaxyElement')} must be a list`, { field: f('GalaxyElement') });
    elements = c.GalaxyElement.map((e: unknown, i) => {
      const field = `${f('GalaxyElement')}[${String(i)}]`;
      if (!isObj(e)) throw new InputError(`${field} must be an object`, { field });
      const key = text(str(e.key, `${field}.key`, 255));
      const value = str(e.value, `${field}.value`);
      if (key === undefined || value === undefined) throw new InputError(`${field} needs a key and a value`, { field });
      return { key, value };
    });
  }
  let relations: GalaxyClusterInput['relations'];
  if (c.GalaxyClusterRelation !== undefined) {
    if (!Array.isArray(c.GalaxyClusterRelation)) throw new InputError(`${f('GalaxyClusterRelation')} must be a list`, { field: f('GalaxyClusterRelation') });
    relations = c.GalaxyClusterRelation.map((r: unknown, i) => {
      const field = `${f('GalaxyClusterRelation')}[${String(i)}]`;
      if (!isObj(r)) throw new InputError(`${field} must be an object`, { field });
      const ref = uuid(r.referenced_galaxy_cluster_uuid, `${field}.referenced_galaxy_cluster_uuid`);
      if (ref === undefined) throw new InputError(`${field}.referenced_galaxy_cluster_uuid is required`, { field: `${field}.referenced_galaxy_cluster_uuid` });
      return { referenced_galaxy_cluster_uuid: ref, referenced_galaxy_cluster_type: str(r.referenced_galaxy_cluster_type, `${field}.referenced_galaxy_cluster_type`, 255) ?? '', distribution: int(r.distribution, `${field}.distribution`, 0, 5) ?? 0, sharing_group_id: int(r.sharing_group_id, `${field}.sharing_group_id`, 0, 2 ** 31) ?? 0 };
    });
  }
  const orgc = isObj(c.Orgc) ? { uuid: uuid(c.Orgc.uuid, 'GalaxyCluster.Orgc.uuid'), name: text(c.Orgc.name) } : undefined;
  const value = str(c.value, f('value'), 65_535);
  const out: Record<string, unknown> = {
    uuid: uuid(c.uuid, f('uuid')), value: value?.trim(), description: str(c.description, f('description')), source: str(c.source, f('source'), 255),
    authors, distribution: int(c.distribution, f('distribution'), 0, 4), sharing_group_id: int(c.sharing_group_id, f('sharing_group_id'), 0, 2 ** 31),
    published: bool(c.published, f('published')), deleted: bool(c.deleted, f('deleted')), version: int(c.version, f('version'), 0, Number.MAX_SAFE_INTEGER),
    type: str(c.type, f('type'), 255), galaxy_uuid: uuid(isObj(c.Galaxy) ? c.Galaxy.uuid : undefined, 'GalaxyCluster.Galaxy.uuid'), collection_uuid: uuid(c.collection_uuid, f('collection_uuid')),
    extends_uuid: uuid(c.extends_uuid, f('extends_uuid')), extends_version: int(c.extends_version, f('extends_version'), 0, Number.MAX_SAFE_INTEGER),
    orgc, elements, relations,
  };
  if (out.type === undefined && isObj(c.Galaxy)) out.type = str(c.Galaxy.type, 'GalaxyCluster.Galaxy.type', 255);
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out as GalaxyClusterInput;
}
