import { isJsonObject, toBool, toInt, toText } from '../model/misp-json.js';
import { RemoteProtocolError } from './remote-protocol-error.js';

/** One row of a remote `events/index`, normalised from the minimal or the full form. */
export interface RemoteIndexEntry {
  readonly uuid: string;
  /** Event timestamp (Unix seconds): changes on every edit. */
  readonly timestamp: number;
  readonly sightingTimestamp?: number;
  readonly published: boolean;
  readonly orgcUuid?: string;
  readonly orgcName?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Reads an `events/index` answer. MISP's `minimal: true` rows are
 * `{id, uuid, timestamp, sighting_timestamp, published, orgc_uuid}`; the full
 * rows carry `Orgc: {uuid, name}` instead. A single bare row (very old MISP)
 * is accepted as a list of one, as `Server::getEventIndexFromServer` does.
 */
export function parseIndex(json: unknown, url: string): RemoteIndexEntry[] {
  const rows = isJsonObject(json) && 'uuid' in json ? [json] : isJsonObject(json) && Array.isArray(json.response) ? json.response : json;
  if (!Array.isArray(rows)) throw new RemoteProtocolError(`POST ${url} did not answer with a JSON array of events`, { url });
  return rows.map((row: unknown, i) => {
    if (!isJsonObject(row)) throw new RemoteProtocolError(`POST ${url}: index row ${i} is not an object`, { url });
    const uuid = toText(row.uuid);
    const timestamp = toInt(row.timestamp);
    if (uuid === undefined || !UUID.test(uuid)) throw new RemoteProtocolError(`POST ${url}: index row ${i} has no valid uuid`, { url });
    if (timestamp === undefined || timestamp < 0) throw new RemoteProtocolError(`POST ${url}: index row ${i} (${uuid}) has no valid timestamp`, { url });
    const orgc = isJsonObject(row.Orgc) ? row.Orgc : undefined;
    const orgcUuid = toText(row.orgc_uuid) ?? toText(orgc?.uuid);
    const orgcName = toText(row.orgc_name) ?? toText(orgc?.name);
    const sightingTimestamp = toInt(row.sighting_timestamp);
    return {
      uuid: uuid.toLowerCase(),
      timestamp,
      published: toBool(row.published),
      ...(sightingTimestamp !== undefined ? { sightingTimestamp } : {}),
      ...(orgcUuid !== undefined ? { orgcUuid: orgcUuid.toLowerCase() } : {}),
      ...(orgcName !== undefined ? { orgcName } : {}),
    };
  });
}
