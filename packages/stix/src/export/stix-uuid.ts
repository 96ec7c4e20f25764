import { WAGGLE_STIX_NAMESPACE, isStixUuid, uuidV5 } from '../common/ids.js';

/**
 * A STIX-usable uuid for a MISP uuid: the uuid itself (lower-cased) when STIX
 * accepts it, else a UUIDv5 derived from `seed` and the raw value, which is
 * then kept in `rawUuid` so the export can carry it in `x_misp_uuid`.
 */
export function stixUuid(raw: string | undefined, seed: string | (() => string)): { uuid: string; rawUuid: string | undefined } {
  if (isStixUuid(raw)) return { uuid: raw.toLowerCase(), rawUuid: undefined };
  const name = typeof seed === 'string' ? seed : seed();
  return { uuid: uuidV5(WAGGLE_STIX_NAMESPACE, `${name}|${raw ?? ''}`), rawUuid: raw === undefined || raw === '' ? undefined : raw };
}
