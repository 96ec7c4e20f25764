import type { Principal } from '../access/principal.js';
import { compact } from '../input/coerce.js';
import type { AuditLogRecord } from '../model/records.js';
import type { Ref } from '../ports/store.js';
import { orgMap } from '../views/event-view.js';
import type { MispJson } from '../views/misp-json.js';
import { audit } from './audit.js';
import { auditEntryHash } from './audit-chain.js';
import type { AuditChainService, SignedChainHead } from './audit-chain-service.js';
import type { CoreDeps } from './deps.js';
import { visibleEvent } from './visible.js';

/** How an event crossed to or from another instance. */
export type ShareAction = 'push' | 'pull' | 'receive' | 'serve';

/** One crossing, as the provenance log records it (ADR 0015). */
export interface ShareRecord {
  /** push: sent to a server; pull: fetched from one; receive: a peer pushed it here; serve: a peer's sync user fetched it from here. */
  readonly action: ShareAction;
  readonly eventUuid: string;
  /** The other side: the server (push, pull) and its organisation, or the organisation that pushed (receive) or fetched it (serve). */
  readonly peer: { readonly serverId?: number; readonly server?: string; readonly orgUuid?: string; readonly org?: string };
  /** created, updated or unchanged; sent for a serve. */
  readonly outcome: string;
  /** {@link contentDigest} of the event exactly as it crossed (after anonymisation, for a push). */
  readonly digest: string;
  /** Push only: whether the outbound anonymisation policy shaped what was sent. */
  readonly anonymised?: boolean;
}

/**
 * Writes a crossing into the audit log, and so into its hash chain: the instance's own record of
 * which organisation's server it sent an event to, or got it from, with a digest of the content.
 * The other side records the same digest in its own chain, so the two can be compared.
 */
export async function recordShare(deps: Pick<CoreDeps, 'store' | 'clock'>, p: Principal, r: ShareRecord): Promise<void> {
  await deps.store.write(async (repos) => {
    const event = await repos.getEvent(r.eventUuid.toLowerCase());
    const change = compact({
      peer: compact({ server_id: r.peer.serverId, server: r.peer.server, org_uuid: r.peer.orgUuid, org: r.peer.org }),
      event_uuid: r.eventUuid.toLowerCase(),
      outcome: r.outcome,
      digest: r.digest,
      anonymised: r.anonymised,
    });
    await audit(repos, p, deps.clock.now(), { action: r.action, model: 'Event', modelId: event?.id ?? 0, title: event?.info ?? r.eventUuid, change });
  });
}

function parsedChange(change: string): unknown {
  if (change === '') return null;
  try {
    return JSON.parse(change) as unknown;
  } catch {
    return change;
  }
}

/**
 * An event's provenance: every entry of the hash-chained log about it (created, edited, published,
 * pushed to, pulled from or received from other instances), oldest first, each with its chain
 * position and hashes, and the signed head of the chain now.
 */
export function createProvenanceService(deps: CoreDeps, chain: AuditChainService) {
  const { store } = deps;
  return {
    async trail(p: Principal, ref: Ref): Promise<{ Event: MispJson; entries: MispJson[]; head: SignedChainHead }> {
      const { event, entries } = await store.read(async (repos) => {
        const e = await visibleEvent(repos, p, ref);
        const history = (await repos.listEventHistory(e.id, {})).filter((x) => x.seq > 0).sort((a, b) => a.seq - b.seq);
        const orgs = await orgMap(repos, [e.orgc_id, ...history.map((x) => x.org_id)]);
        const admin = p.role.perm_site_admin;
        const json = (x: AuditLogRecord): MispJson => {
          const org = orgs.get(x.org_id);
          return {
            seq: x.seq,
            created: new Date(x.created * 1000).toISOString(),
            action: x.action,
            model: x.model,
            model_id: x.model_id,
            title: x.model_title,
            Organisation: { id: x.org_id, uuid: org?.uuid ?? '', name: org?.name ?? '' },
            change: parsedChange(x.change),
            prev_hash: x.prev_hash,
            hash: x.hash,
            // Recomputed here; a site admin also gets the user and address the hash covers, to recompute it.
            hash_ok: auditEntryHash(x) === x.hash,
            ...(admin ? { user_id: x.user_id, ip: x.ip, change_text: x.change } : {}),
          };
        };
        const orgc = orgs.get(e.orgc_id);
        return { event: { id: e.id, uuid: e.uuid, info: e.info, Orgc: { id: e.orgc_id, uuid: orgc?.uuid ?? '', name: orgc?.name ?? '' } }, entries: history.map(json) };
      });
      return { Event: event, entries, head: await chain.head() };
    },
  };
}

/** The provenance service's type. */
export type ProvenanceService = ReturnType<typeof createProvenanceService>;
