import { FieldReader, isObject } from '../files/json-fields.js';
import type { Galaxy } from './galaxy.js';

/** A valid galaxy definition, or every problem found. */
export type ParseGalaxyResult = { readonly ok: true; readonly galaxy: Galaxy } | { readonly ok: false; readonly problems: readonly string[] };

/** Validates a `galaxies/*.json` document (misp-galaxy schema_galaxies.json). */
export function parseGalaxy(json: unknown): ParseGalaxyResult {
  if (!isObject(json)) return { ok: false, problems: ['a galaxy must be a JSON object'] };
  const problems: string[] = [];
  const read = new FieldReader(problems, '');
  const uuid = read.text(json, 'uuid');
  const name = read.text(json, 'name');
  const type = read.text(json, 'type');
  if (type?.includes('"') === true) problems.push(`'type' must not contain '"'`);
  const description = read.optionalText(json, 'description') ?? '';
  if (typeof json.description !== 'string') problems.push(`missing required field 'description'`);
  const version = read.integer(json, 'version');
  const icon = read.optionalText(json, 'icon') ?? '';
  const namespace = read.optionalText(json, 'namespace') ?? 'misp';
  const killChainOrder = readKillChainOrder(json.kill_chain_order, problems);
  if (problems.length > 0 || uuid === undefined || name === undefined || type === undefined || version === undefined) return { ok: false, problems };
  return {
    ok: true,
    galaxy: { uuid, name, type, description, version, icon, namespace, ...(killChainOrder === undefined ? {} : { kill_chain_order: killChainOrder }) },
  };
}

function readKillChainOrder(value: unknown, problems: string[]): Record<string, string[]> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) {
    problems.push(`'kill_chain_order' must be an object of string arrays`);
    return undefined;
  }
  const out: Record<string, string[]> = {};
  for (const [chain, phases] of Object.entries(value)) {
    if (Array.isArray(phases) && phases.every((phase) => typeof phase === 'string')) out[chain] = phases as string[];
    else problems.push(`'kill_chain_order.${chain}' must be an array of strings`);
  }
  return out;
}
