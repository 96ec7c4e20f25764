import { Secret } from '@waggle/errors';
import type { JsonObject, MispEventJson } from '../model/misp-json.js';
import { emptySyncRules } from '../model/sync-rules.js';
import type { SyncServer } from '../model/sync-server.js';

/** A deterministic UUID for test number `n` (and an optional kind digit). */
export function uuidFor(n: number, kind = 0): string {
  const hex = n.toString(16).padStart(12, '0');
  return `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${hex}`;
}

export const LOCAL_ORG = { id: '1', name: 'LocalOrg', uuid: '11111111-1111-4111-8111-111111111111' } as const;
export const REMOTE_ORG = { id: '2', name: 'RemoteOrg', uuid: '22222222-2222-4222-8222-222222222222' } as const;

/** A sync server definition with everything off unless overridden. */
export function aServer(overrides: Partial<SyncServer> = {}): SyncServer {
  return {
    id: '7',
    name: 'peer',
    url: 'http://127.0.0.1:1',
    authkey: new Secret('k'.repeat(40)),
    remoteOrgUuid: REMOTE_ORG.uuid,
    pull: true,
    push: true,
    pushSightings: false,
    pushGalaxyClusters: false,
    pullGalaxyClusters: false,
    pushRules: emptySyncRules(),
    pullRules: emptySyncRules(),
    selfSigned: false,
    ...overrides,
  };
}

let counter = 1000;

/** A MISP attribute as `events/view` shows it. */
export function anAttribute(overrides: JsonObject = {}): JsonObject {
  counter++;
  return {
    id: String(counter),
    uuid: uuidFor(counter, 2),
    type: 'ip-dst',
    category: 'Network activity',
    value: `198.51.100.${counter % 250}`,
    to_ids: true,
    distribution: '5',
    sharing_group_id: '0',
    timestamp: '1700000000',
    deleted: false,
    comment: '',
    Tag: [],
    ...overrides,
  };
}

/** A MISP object holding the given attributes. */
export function anObject(overrides: JsonObject = {}): JsonObject {
  counter++;
  return {
    id: String(counter),
    uuid: uuidFor(counter, 3),
    name: 'domain-ip',
    'meta-category': 'network',
    template_uuid: '43b3b146-77eb-4931-b4cc-b66c60f28734',
    template_version: '9',
    distribution: '5',
    sharing_group_id: '0',
    timestamp: '1700000000',
    deleted: false,
    Attribute: [anAttribute({ object_relation: 'ip', value: '203.0.113.9' })],
    ...overrides,
  };
}

/** A published MISP event (distribution 3) with one attribute, as `events/view` shows it. */
export function anEvent(overrides: JsonObject = {}): MispEventJson {
  counter++;
  return {
    id: String(counter),
    uuid: uuidFor(counter, 1),
    info: `event ${counter}`,
    date: '2024-03-01',
    threat_level_id: '2',
    analysis: '1',
    published: true,
    distribution: '3',
    sharing_group_id: '0',
    timestamp: '1700000000',
    publish_timestamp: '1700000000',
    orgc_id: LOCAL_ORG.id,
    org_id: LOCAL_ORG.id,
    Orgc: { ...LOCAL_ORG },
    Org: { ...LOCAL_ORG },
    Attribute: [anAttribute()],
    Object: [],
    Tag: [],
    ...overrides,
  };
}

/** A sharing group block as MISP embeds it in events and attributes. */
export function aSharingGroup(opts: { servers?: { serverId: string; allOrgs?: boolean; url?: string }[]; orgUuids?: string[]; roaming?: boolean } = {}): JsonObject {
  return {
    id: '3',
    uuid: '33333333-3333-4333-8333-333333333333',
    name: 'partners',
    roaming: opts.roaming ?? false,
    SharingGroupOrg: (opts.orgUuids ?? []).map((uuid, i) => ({ org_id: String(10 + i), extend: false, Organisation: { id: String(10 + i), uuid, name: `org-${i}` } })),
    SharingGroupServer: (opts.servers ?? []).map((s) => ({
      server_id: s.serverId,
      all_orgs: s.allOrgs ?? false,
      Server: { id: s.serverId, url: s.url ?? `http://server-${s.serverId}.test`, name: `server-${s.serverId}` },
    })),
  };
}
