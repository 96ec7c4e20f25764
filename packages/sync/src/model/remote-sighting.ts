import { InputError } from '@waggle/errors';
import { isJsonObject, toInt, toText, type JsonObject } from './misp-json.js';

/** A sighting as it travels between instances (MISP's sighting JSON with UUIDs), validated. */
export interface RemoteSighting {
  readonly uuid: string;
  readonly attributeUuid: string;
  readonly eventUuid: string;
  /** Unix seconds. */
  readonly dateSighting: number;
  /** 0 sighting, 1 false positive, 2 expiration. */
  readonly type: 0 | 1 | 2;
  readonly source: string;
  /** The reporting organisation; absent when the sender anonymised it (MISP `org_id: 0`). */
  readonly organisation?: { readonly uuid: string; readonly name: string };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_SOURCE = 255;

function uuidField(s: JsonObject, key: string, where: string): string {
  const v = toText(s[key]);
  if (v === undefined || !UUID.test(v)) throw new InputError(`${where}.${key}: "${String(v ?? '').slice(0, 60)}" is not a UUID`, { field: `${where}.${key}` });
  return v.toLowerCase();
}

/**
 * Validates one sighting of another instance (`sightings/restSearch` row,
 * `bulkSaveSightings` entry, or `Attribute.Sighting` item), bare or wrapped
 * in `{"Sighting": …}`. `eventUuid` fills `event_uuid` when the sender names
 * the event once for the whole batch (MISP's `bulkSaveSightings/<event>`).
 * Anything malformed is an {@link InputError} naming the field, so a batch
 * with garbage is refused whole.
 */
export function parseRemoteSighting(json: unknown, where = 'Sighting', eventUuid?: string): RemoteSighting {
  const s = isJsonObject(json) && isJsonObject(json.Sighting) ? json.Sighting : json;
  if (!isJsonObject(s)) throw new InputError(`${where}: must be an object`, { field: where });
  const uuid = uuidField(s, 'uuid', where);
  const attributeUuid = uuidField(s, 'attribute_uuid', where);
  const event = s.event_uuid === undefined && eventUuid !== undefined ? eventUuid.toLowerCase() : uuidField(s, 'event_uuid', where);
  const date = toInt(s.date_sighting);
  if (date === undefined || date < 0) throw new InputError(`${where}.date_sighting: must be a Unix timestamp`, { field: `${where}.date_sighting` });
  const type = s.type === undefined ? 0 : toInt(s.type);
  if (type !== 0 && type !== 1 && type !== 2) throw new InputError(`${where}.type: must be 0, 1 or 2`, { field: `${where}.type` });
  const source = s.source === undefined || s.source === null ? '' : toText(s.source);
  if (source === undefined || source.length > MAX_SOURCE) throw new InputError(`${where}.source: must be a string of at most ${String(MAX_SOURCE)} characters`, { field: `${where}.source` });
  let organisation: RemoteSighting['organisation'];
  if (s.Organisation !== undefined && s.Organisation !== null) {
    if (!isJsonObject(s.Organisation)) throw new InputError(`${where}.Organisation: must be an object`, { field: `${where}.Organisation` });
    const orgUuid = uuidField(s.Organisation, 'uuid', `${where}.Organisation`);
    const name = toText(s.Organisation.name)?.trim();
    if (name === undefined || name === '') throw new InputError(`${where}.Organisation.name: must be a non-empty string`, { field: `${where}.Organisation.name` });
    organisation = { uuid: orgUuid, name };
  }
  return { uuid, attributeUuid, eventUuid: event, dateSighting: date, type, source, ...(organisation !== undefined ? { organisation } : {}) };
}

/** The MISP JSON of a sighting for `bulkSaveSightings` (strings, as MISP sends them). */
export function remoteSightingJson(s: RemoteSighting): JsonObject {
  return {
    uuid: s.uuid, attribute_uuid: s.attributeUuid, event_uuid: s.eventUuid, date_sighting: String(s.dateSighting), type: String(s.type), source: s.source,
    // MISP's uploadSightings sends org_id 0 for an anonymous sighting; the receiver then keeps its sync user's organisation.
    org_id: s.organisation === undefined ? '0' : '1',
    ...(s.organisation !== undefined ? { Organisation: { uuid: s.organisation.uuid, name: s.organisation.name } } : {}),
  };
}
