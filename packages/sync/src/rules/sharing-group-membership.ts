import { isJsonObject, objectsIn, toBool, toText, type JsonObject } from '../model/misp-json.js';
import type { SyncServer } from '../model/sync-server.js';

/**
 * Lets the caller answer sharing-group membership itself (for instance from
 * the store) instead of reading the `SharingGroup` block embedded in the
 * event JSON. Return `undefined` to fall back to the embedded block.
 */
export type SharingGroupMembership = (sharingGroup: JsonObject, server: SyncServer, level: 'event' | 'element') => boolean | undefined;

function normaliseUrl(url: string): string {
  return url.trim().replace(/\/+$/, '').toLowerCase();
}

function serverEntry(sg: JsonObject, server: SyncServer): JsonObject | undefined {
  return objectsIn(sg.SharingGroupServer).find((entry) => {
    if (toText(entry.server_id) === server.id) return true;
    const remote = isJsonObject(entry.Server) ? toText(entry.Server.url) : undefined;
    return remote !== undefined && normaliseUrl(remote) === normaliseUrl(server.url);
  });
}

function isRoaming(sg: JsonObject): boolean {
  return toBool(sg.roaming) || (isJsonObject(sg.SharingGroup) && toBool(sg.SharingGroup.roaming));
}

function remoteOrgListed(sg: JsonObject, server: SyncServer): boolean {
  if (server.remoteOrgUuid === undefined) return false;
  return objectsIn(sg.SharingGroupOrg).some((entry) => {
    const uuid = isJsonObject(entry.Organisation) ? toText(entry.Organisation.uuid) : undefined;
    return uuid !== undefined && uuid.toLowerCase() === server.remoteOrgUuid;
  });
}

/**
 * MISP `SharingGroup::checkIfServerInSG` for a non-internal server: unless
 * the group is roaming and lists servers, the server must be listed; listed
 * with `all_orgs` it may receive everything, otherwise only when the remote
 * instance's organisation is a member organisation.
 */
export function isServerInSharingGroup(sg: JsonObject, server: SyncServer): boolean {
  const servers = objectsIn(sg.SharingGroupServer);
  if (servers.length > 0 && !isRoaming(sg)) {
    const entry = serverEntry(sg, server);
    if (entry === undefined) return false;
    if (toBool(entry.all_orgs)) return true;
  }
  return remoteOrgListed(sg, server);
}

/**
 * The event-level test of MISP `Event::__prepareForPushToServer`, which is
 * stricter than {@link isServerInSharingGroup}: the server must be listed
 * (unless the group is roaming) *and* the remote organisation must be a
 * member, even with `all_orgs`; then `checkIfServerInSG` must pass as well.
 */
export function canPushSharingGroupEvent(sg: JsonObject, server: SyncServer): boolean {
  if (!isRoaming(sg) && serverEntry(sg, server) === undefined) return false;
  if (!remoteOrgListed(sg, server)) return false;
  return isServerInSharingGroup(sg, server);
}
