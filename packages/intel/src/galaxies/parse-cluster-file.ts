import { FieldReader, isObject, type JsonObject } from '../files/json-fields.js';
import { galaxyTagName, type GalaxyCluster, type GalaxyClusterRelation } from './galaxy.js';

/** The clusters of one valid cluster file (with remarks), or every problem found. */
export type ParseClusterFileResult =
  | { readonly ok: true; readonly type: string; readonly clusters: readonly GalaxyCluster[]; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Validates a `clusters/*.json` document (misp-galaxy schema_clusters.json) and
 * flattens it into clusters carrying their collection's uuid, source, authors
 * and version, as MISP stores them. Any invalid value rejects the file: a
 * half-imported galaxy would silently miss clusters. A repeated value (same
 * tag name) is a warning and the first is kept; so is a value with a `"`.
 */
export function parseClusterFile(json: unknown): ParseClusterFileResult {
  if (!isObject(json)) return { ok: false, problems: ['a cluster file must be a JSON object'] };
  const problems: string[] = [];
  const warnings: string[] = [];
  const read = new FieldReader(problems, '');
  const type = read.text(json, 'type');
  if (type?.includes('"') === true) problems.push(`'type' must not contain '"'`);
  const collectionUuid = read.text(json, 'uuid');
  const version = read.integer(json, 'version');
  const source = read.optionalText(json, 'source') ?? '';
  const authors = read.optionalStrings(json, 'authors') ?? [];
  const category = read.optionalText(json, 'category');
  const values = read.objects(json, 'values', true) ?? [];
  if (type === undefined || collectionUuid === undefined || version === undefined) return { ok: false, problems };

  const clusters: GalaxyCluster[] = [];
  const seen = new Set<string>();
  for (const { item, reader } of values) {
    const value = reader.text(item, 'value');
    const uuid = reader.text(item, 'uuid');
    const description = reader.optionalText(item, 'description') ?? '';
    const revoked = reader.optionalBoolean(item, 'revoked') ?? false;
    const meta = readMeta(item, problems);
    const related = readRelated(item, reader) ?? [];
    if (value === undefined || uuid === undefined) continue;
    // MISP imports such values (upstream ransomware.json has one); the tag name is
    // still unique text, it just is not a parsable machine tag.
    if (value.includes('"')) warnings.push(`value ${value} contains '"', so its tag name is not a parsable machine tag`);
    if (seen.has(value)) {
      warnings.push(`duplicate cluster value "${value}" (uuid ${uuid}) ignored`);
      continue;
    }
    seen.add(value);
    clusters.push({
      uuid,
      type,
      value,
      tag_name: galaxyTagName(type, value),
      description,
      collection_uuid: collectionUuid,
      source,
      authors,
      version,
      meta,
      related,
      revoked,
      ...(category === undefined ? {} : { category }),
    });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, type, clusters, warnings };
}

/**
 * MISP stores meta as key/value rows and rebuilds it as lists of strings, so a
 * single `"external_id": "T1059"` comes back as `["T1059"]`; numbers and
 * booleans become their text, nested objects their JSON.
 */
function readMeta(item: JsonObject, problems: string[]): Record<string, string[]> {
  const meta = item.meta;
  if (meta === undefined || meta === null) return {};
  if (!isObject(meta)) {
    problems.push(`'meta' of "${String(item.value)}" must be an object`);
    return {};
  }
  const out: Record<string, string[]> = {};
  for (const [key, raw] of Object.entries(meta)) {
    const items: unknown[] = Array.isArray(raw) ? raw : [raw];
    const texts = items.filter((v) => v !== null && v !== undefined).map((v) => (typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v)));
    out[key] = texts;
  }
  return out;
}

function readRelated(item: JsonObject, reader: FieldReader): GalaxyClusterRelation[] | undefined {
  return reader.objects(item, 'related', false)?.flatMap(({ item: relation, reader: r }) => {
    const dest = r.text(relation, 'dest-uuid');
    const type = r.text(relation, 'type');
    const tags = r.optionalStrings(relation, 'tags');
    if (dest === undefined || type === undefined) return [];
    return [{ 'dest-uuid': dest, type, ...(tags === undefined ? {} : { tags }) }];
  });
}
