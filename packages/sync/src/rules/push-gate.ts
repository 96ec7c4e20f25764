import { isJsonObject, toBool, toInt, type JsonObject } from '../model/misp-json.js';
import type { SyncServer } from '../model/sync-server.js';
import { Distribution } from './distribution.js';
import { checkPushRules } from './push-rules.js';
import { canPushSharingGroupEvent, type SharingGroupMembership } from './sharing-group-membership.js';

const DISTRIBUTION_BLOCKS = 'The distribution level of this event blocks it from being pushed.';

/**
 * Whether an event may go to `server` at all, as MISP decides before pushing
 * it or its sightings (`Event::checkDistributionForPush`,
 * `Server::eventFilterPushableServers`): published, distribution 2 or 3, or 4
 * with the server and the remote organisation in the sharing group, and the
 * push rules pass. Returns the reason it may not, or `undefined`.
 */
export function pushGateRefusal(event: JsonObject, server: SyncServer, ctx: { readonly sharingGroupMembership?: SharingGroupMembership } = {}): string | undefined {
  if (!toBool(event.published)) return 'The event is not published.';
  const d = toInt(event.distribution);
  if (d === undefined || d < Distribution.ORG_ONLY || d > Distribution.SHARING_GROUP) return 'The event has no valid distribution (0-4).';
  if (d < Distribution.CONNECTED) return DISTRIBUTION_BLOCKS;
  if (d === Distribution.SHARING_GROUP) {
    const sg = event.SharingGroup;
    if (!isJsonObject(sg)) return 'The event is shared with a sharing group whose membership is unknown.';
    const member = ctx.sharingGroupMembership?.(sg, server, 'event') ?? canPushSharingGroupEvent(sg, server);
    if (!member) return `${DISTRIBUTION_BLOCKS} (server or remote organisation not in the sharing group)`;
  }
  return checkPushRules(event, server.pushRules);
}
