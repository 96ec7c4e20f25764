import { InputError } from '@waggle/errors';
import { Secret } from '@waggle/errors';
import { optBool, optInt, optString, type MispJson, type OrganisationRecord, type ServerRecord } from '@waggle/core';
import { parseSyncRules, parseSyncServer, serializeSyncRules, type SyncServer } from '@waggle/sync';

/** A server as the MISP API shows it (`{"Server": …, "Organisation": …, "RemoteOrg": …}`); the key is never shown. */
export function serverJson(s: ServerRecord, orgs: ReadonlyMap<number, OrganisationRecord>): MispJson {
  const org = (id: number): MispJson | null => {
    const o = orgs.get(id);
    return o === undefined ? null : { id: String(o.id), name: o.name, uuid: o.uuid, local: o.local };
  };
  return {
    Server: {
      id: String(s.id), name: s.name, url: s.url, authkey: '', org_id: String(s.org_id), remote_org_id: String(s.remote_org_id),
      push: s.push, pull: s.pull, push_sightings: s.push_sightings, push_galaxy_clusters: s.push_galaxy_clusters,
      pull_galaxy_clusters: s.pull_galaxy_clusters, self_signed: s.self_signed, internal: s.internal, skip_proxy: s.skip_proxy,
      caching_enabled: s.caching_enabled, unpublish_event: s.unpublish_event, publish_without_email: s.publish_without_email,
      push_rules: s.push_rules, pull_rules: s.pull_rules, lastpulledid: String(s.lastpulledid), lastpushedid: String(s.lastpushedid),
      priority: String(s.priority),
    },
    Organisation: org(s.org_id),
    RemoteOrg: org(s.remote_org_id),
  };
}

/** The fields of a `servers/add` or `servers/edit` body (`{"Server": {...}}` or bare), validated. */
export function parseServerInput(body: unknown, partial: boolean): Partial<Omit<ServerRecord, 'id'>> {
  const raw = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const o = (typeof raw.Server === 'object' && raw.Server !== null ? raw.Server : raw) as Record<string, unknown>;
  const out: Partial<Omit<ServerRecord, 'id'>> = {};
  const name = optString(o.name, 'Server.name');
  const url = optString(o.url, 'Server.url');
  const authkey = optString(o.authkey, 'Server.authkey');
  if (!partial) {
    if (name === undefined || name.trim() === '') throw new InputError('Server.name is required', { field: 'Server.name' });
    if (url === undefined) throw new InputError('Server.url is required', { field: 'Server.url' });
    if (authkey === undefined || authkey.trim() === '') throw new InputError('Server.authkey is required', { field: 'Server.authkey' });
  }
  if (name !== undefined) out.name = name.trim();
  if (url !== undefined) {
    let parsed: URL;
    try {
      parsed = new URL(url.trim());
    } catch {
      throw new InputError(`Server.url: "${url}" is not a URL`, { field: 'Server.url' });
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new InputError('Server.url must be an http or https URL', { field: 'Server.url' });
    out.url = url.trim().replace(/\/+$/, '');
  }
  if (authkey !== undefined && authkey !== '') out.authkey = authkey.trim();
  const remoteOrg = optInt(o.remote_org_id, 'Server.remote_org_id');
  if (remoteOrg !== undefined) out.remote_org_id = remoteOrg;
  for (const flag of ['push', 'pull', 'push_sightings', 'push_galaxy_clusters', 'pull_galaxy_clusters', 'self_signed', 'caching_enabled', 'unpublish_event', 'publish_without_email'] as const) {
    const v = optBool(o[flag], `Server.${flag}`);
    if (v !== undefined) out[flag] = v;
  }
  for (const key of ['push_rules', 'pull_rules'] as const) {
    if (o[key] === undefined || o[key] === '') continue;
    // Validated now so a bad rule is refused at once, not at the next sync.
    out[key] = serializeSyncRules(parseSyncRules(o[key], `Server.${key}`));
  }
  const priority = optInt(o.priority, 'Server.priority');
  if (priority !== undefined) out.priority = priority;
  return out;
}

/** The sync engines' view of a stored server. */
export function toSyncServer(s: ServerRecord, remoteOrg: OrganisationRecord | undefined, timeoutMs?: number): SyncServer {
  return parseSyncServer({
    id: String(s.id), name: s.name, url: s.url, authkey: new Secret(s.authkey),
    ...(remoteOrg !== undefined ? { remoteOrgUuid: remoteOrg.uuid } : {}),
    pull: s.pull, push: s.push, pushSightings: s.push_sightings, pushGalaxyClusters: s.push_galaxy_clusters,
    pullGalaxyClusters: s.pull_galaxy_clusters, pushRules: s.push_rules === '' ? {} : s.push_rules,
    pullRules: s.pull_rules === '' ? {} : s.pull_rules, selfSigned: s.self_signed,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  });
}
