import { InputError } from '@waggle/errors';
import { asList, asObject, optBool, optString, optUuid } from '../../input/coerce.js';
import { unwrap } from '../../input/parse-misp.js';
import type { Ref } from '../../ports/store.js';

/** A member organisation as given by a client. */
export interface SharingGroupOrgInput {
  /** Id, UUID or name. */
  readonly org: Ref;
  readonly extend: boolean;
}

/** A member server as given by a client. */
export interface SharingGroupServerInput {
  /** Id (0 = this instance), URL or name. */
  readonly server: Ref;
  readonly all_orgs: boolean;
}

/** A sharing group as given by a client (every field optional; `add` requires a name). */
export interface SharingGroupInput {
  readonly name?: string;
  readonly uuid?: string;
  readonly description?: string;
  readonly releasability?: string;
  readonly active?: boolean;
  readonly roaming?: boolean;
  readonly local?: boolean;
  readonly organisation_uuid?: string;
  readonly orgs: readonly SharingGroupOrgInput[];
  readonly servers: readonly SharingGroupServerInput[];
}

/** An id, UUID or name given as a JSON number or string (PyMISP sends both). */
export function parseRef(value: unknown, field: string): Ref | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw new InputError(`${field} must be an id, a UUID or a name`, { field });
    return value;
  }
  const s = optString(value, field, 255)?.trim();
  if (s === undefined || s === '') return undefined;
  return /^[0-9]+$/.test(s) ? Number(s) : s;
}

function member(entry: unknown, i: number): SharingGroupOrgInput {
  const field = `SharingGroup.SharingGroupOrg[${i}]`;
  const e = unwrap(asObject(entry, field), 'SharingGroupOrg');
  const org = e.Organisation === undefined ? {} : asObject(e.Organisation, `${field}.Organisation`);
  const ref = parseRef(org.uuid, `${field}.Organisation.uuid`) ?? parseRef(e.org_id, `${field}.org_id`) ?? parseRef(e.uuid, `${field}.uuid`)
    ?? parseRef(org.name, `${field}.Organisation.name`) ?? parseRef(e.name, `${field}.name`) ?? parseRef(org.id, `${field}.Organisation.id`);
  if (ref === undefined) throw new InputError(`${field} names no organisation`, { field });
  return { org: ref, extend: optBool(e.extend, `${field}.extend`) ?? false };
}

function server(entry: unknown, i: number): SharingGroupServerInput {
  const field = `SharingGroup.SharingGroupServer[${i}]`;
  const e = unwrap(asObject(entry, field), 'SharingGroupServer');
  const srv = e.Server === undefined ? {} : asObject(e.Server, `${field}.Server`);
  const ref = parseRef(e.server_id, `${field}.server_id`) ?? parseRef(srv.id, `${field}.Server.id`) ?? parseRef(srv.url, `${field}.Server.url`);
  if (ref === undefined) throw new InputError(`${field} names no server`, { field });
  return { server: ref, all_orgs: optBool(e.all_orgs, `${field}.all_orgs`) ?? false };
}

/** Parses `{"SharingGroup": {...}}` or a bare sharing group, with optional member lists. */
export function parseSharingGroupInput(body: unknown): SharingGroupInput {
  const outer = asObject(body ?? {}, 'SharingGroup');
  const sg = unwrap(outer, 'SharingGroup');
  // Member lists may sit beside the wrapper (MISP's export shape) or inside the bare object.
  const orgList = asList(outer.SharingGroupOrg ?? sg.SharingGroupOrg, 'SharingGroup.SharingGroupOrg');
  const serverList = asList(outer.SharingGroupServer ?? sg.SharingGroupServer, 'SharingGroup.SharingGroupServer');
  const name = optString(sg.name, 'SharingGroup.name', 255)?.trim();
  if (name === '') throw new InputError('SharingGroup.name must not be empty', { field: 'SharingGroup.name' });
  const out: Record<string, unknown> = {
    name,
    uuid: optUuid(sg.uuid, 'SharingGroup.uuid'),
    description: optString(sg.description, 'SharingGroup.description'),
    releasability: optString(sg.releasability, 'SharingGroup.releasability'),
    active: optBool(sg.active, 'SharingGroup.active'),
    roaming: optBool(sg.roaming, 'SharingGroup.roaming'),
    local: optBool(sg.local, 'SharingGroup.local'),
    organisation_uuid: optUuid(sg.organisation_uuid, 'SharingGroup.organisation_uuid'),
    orgs: orgList.map(member),
    servers: serverList.map(server),
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out as unknown as SharingGroupInput;
}
