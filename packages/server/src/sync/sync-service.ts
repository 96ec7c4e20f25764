import type { OutboundPrivacy } from '../privacy/outbound-privacy.js';
import { forStockMisp } from '../protect/for-stock-misp.js';
import type { Kysely } from 'kysely';
import { ForbiddenError, NotFoundError } from '@waggle/errors';
import { ALARMING_PEER_STATUSES, audit, captureSharingGroups, captureSightings, contentDigest, recordShare, requireSiteAdmin, type PeerHeadStatus, type CoreDeps, type EventService, type MispJson, type OrganisationRecord, type Principal, type ServerRecord, type SharingGroupService, type SightingService, type GalaxyClusterService } from '@waggle/core';
import { createBlocklists, createSqlSyncState, type Blocklists, type Database, type SqlSyncState, type SyncLogRecord } from '@waggle/store';
import { witnessPeerChain, type ChainWitnessResult } from './chain-witness.js';
import { createMispRemote, pull, pullGalaxyClusters, pullSightings, push, pushGalaxyClusters, pushSightings, type ChannelReport, type MispEventJson, type RemoteVersion, type SyncReport, type SyncServer } from '@waggle/sync';
import { createClusterSide } from './cluster-side.js';
import { createLocalSide } from './local-side.js';
import { leavesUnderUma, type UmaProducers } from '../uma/uma-producers.js';
import { createSightingSide } from './sighting-side.js';
import { filterEventUuidsForPush } from './push-filter.js';
import { parseServerInput, serverJson, toSyncServer } from './server-json.js';

/** A UMA producer's event does not leave by a push, except for its own organisation (ADR 0013). */
function withheldUnderUma(producers: UmaProducers): (server: SyncServer, event: Record<string, unknown>) => boolean {
  return (server, event) => !leavesUnderUma(producers, event, server.remoteOrgUuid);
}

/** Pushed events shaped for the server they go to: recipient `{server, organisation}` of the policy. */
/**
 * How pushed events are shaped for a remote: a stock MISP (its getVersion names no
 * `waggle_version`) would drop typed attributes holding envelopes, so they go as text (ADR 0012).
 */
function shapeForRemote(version: RemoteVersion): ((event: MispEventJson) => MispEventJson) | undefined {
  if (typeof version.raw.waggle_version === 'string') return undefined;
  return (event) => forStockMisp(event as Record<string, unknown>) as MispEventJson;
}

function outboundFor(privacy: OutboundPrivacy): (server: SyncServer, event: Record<string, unknown>) => Record<string, unknown> | undefined {
  return (server, event) => privacy.forRecipient(event, { server: { name: server.name }, ...(server.remoteOrgUuid !== undefined ? { organisation: { uuid: server.remoteOrgUuid } } : {}) });
}

/** What the sync service needs. */
export interface SyncServiceDeps {
  readonly core: Pick<CoreDeps, 'store' | 'clock' | 'ids'>;
  readonly db: Kysely<Database>;
  readonly events: EventService;
  readonly sharingGroups: SharingGroupService;
  /** Sightings synced on their own (added after their event was synced). */
  readonly sightings: SightingService;
  /** Custom galaxy clusters synced on their own. */
  readonly galaxyClusters: GalaxyClusterService;
  readonly fetch?: typeof fetch;
  /** Per-request timeout towards remote servers (default 60 s). */
  readonly timeoutMs?: number;
  /** This instance's public URL, announced in sharing groups it pushes. */
  readonly baseUrl?: string;
  /** Outbound anonymisation of pushed events (recipient: the server and its organisation). */
  readonly privacy?: OutboundPrivacy;
  /** Producers under UMA (mode `uma`): their events are pushed to their own organisation only. */
  readonly umaProducers?: UmaProducers;
}

/** Result of `servers/testConnection`. */
export interface ConnectionTest {
  readonly status: number;
  readonly message: string;
  readonly version?: string;
  readonly perm_sync?: boolean;
}

/** The sighting part of a run's log line. */
function sightingSummary(direction: 'pull' | 'push', r: ChannelReport | undefined): string {
  if (r === undefined || r.disabled) return '';
  return `; sightings: ${String(r.saved)} ${direction === 'pull' ? 'saved' : 'saved remotely'} of ${String(r.sent)} ${direction === 'pull' ? 'received' : 'sent'} on ${String(r.candidates)} events, ${String(r.failed)} events failed`;
}

/** The galaxy cluster part of a run's log line. */
function clusterSummary(r: ChannelReport | undefined): string {
  if (r === undefined || r.disabled) return '';
  return `; galaxy clusters: ${String(r.saved)} saved, ${String(r.unchanged)} unchanged, ${String(r.skipped)} skipped, ${String(r.failed)} failed`;
}

/**
 * Server connections and sync, MISP style: site admins add remote servers
 * (URL, remote organisation, the remote sync user's key), then pull and push
 * events; cursors make both incremental and resumable, and every problem is
 * written to the sync log.
 */
export function createSyncService(deps: SyncServiceDeps) {
  const { db, core } = deps;
  const state: SqlSyncState = createSqlSyncState(db, () => core.clock.now());
  const blocklists: Blocklists = createBlocklists(db);
  /** One run per server and direction at a time: a scheduled run and a manual one must not interleave. */
  const running = new Map<string, Promise<SyncReport>>();

  async function orgs(): Promise<Map<number, OrganisationRecord>> {
    return core.store.read(async (repos) => new Map((await repos.listOrganisations({})).map((o) => [o.id, o])));
  }
  async function mustServer(id: number): Promise<ServerRecord> {
    const s = await core.store.read((repos) => repos.getServer(id));
    if (s === undefined) throw new NotFoundError('Invalid server.');
    return s;
  }
  async function syncServer(s: ServerRecord) {
    const remoteOrg = s.remote_org_id === 0 ? undefined : (await orgs()).get(s.remote_org_id);
    return toSyncServer(s, remoteOrg, deps.timeoutMs);
  }
  const remoteOptions = (): { fetch?: typeof fetch; timeoutMs?: number } => ({
    ...(deps.fetch !== undefined ? { fetch: deps.fetch } : {}),
    ...(deps.timeoutMs !== undefined ? { timeoutMs: deps.timeoutMs } : {}),
  });

  /** The peer's audit chain, witnessed after each run (ADR 0014); a failure to reach it is reported, not thrown. */
  async function witness(server: SyncServer, id: number): Promise<ChainWitnessResult | undefined> {
    try {
      return await witnessPeerChain(db, createMispRemote(server, remoteOptions()), id, core.clock.now());
    } catch (error) {
      return { status: 'unavailable', message: error instanceof Error ? error.message : String(error) };
    }
  }

  async function run(p: Principal, id: number, direction: 'pull' | 'push'): Promise<SyncReport> {
    requireSiteAdmin(p, `${direction} from servers`);
    const key = `${String(id)}:${direction}`;
    const current = running.get(key);
    if (current !== undefined) return current;
    const task = (async () => {
      const server = await syncServer(await mustServer(id));
      const local = createLocalSide({ db, events: deps.events, sharingGroups: deps.sharingGroups, blocklists, actor: p, capture: (actor, ev) => captureSharingGroups(core, actor, ev), sightings: (actor, ev) => captureSightings(core, actor, ev), record: (actor, r) => recordShare(core, actor, r), ...(deps.privacy?.enabled === true ? { outbound: outboundFor(deps.privacy) } : {}), ...(deps.umaProducers !== undefined ? { withhold: withheldUnderUma(deps.umaProducers) } : {}) });
      const common = { local, state, remoteOptions: remoteOptions(), clock: () => core.clock.now() * 1000 };
      const context = deps.baseUrl !== undefined ? { context: { localBaseUrl: deps.baseUrl } } : {};
      const events = direction === 'pull' ? await pull(server, common) : await push(server, { ...common, ...context, shapeFor: shapeForRemote });
      // Sightings after events: an event that just arrived brought its sightings inside it.
      const sightingSide = createSightingSide({ db, events: deps.events, sharingGroups: deps.sharingGroups, sightings: deps.sightings, actor: p });
      const sightings = events.aborted
        ? undefined
        : direction === 'pull'
          ? await pullSightings(server, { ...common, local: sightingSide })
          : await pushSightings(server, { ...common, ...context, local: sightingSide });
      const clusterSide = createClusterSide({ db, clusters: deps.galaxyClusters, sharingGroups: deps.sharingGroups, actor: p });
      const galaxyClusters = events.aborted ? undefined : direction === 'pull' ? await pullGalaxyClusters(server, { ...common, local: clusterSide }) : await pushGalaxyClusters(server, { ...common, local: clusterSide });
      const auditChain = events.aborted ? undefined : await witness(server, id);
      const report: SyncReport & { auditChain?: ChainWitnessResult } = { ...events, ...(sightings !== undefined ? { sightings } : {}), ...(galaxyClusters !== undefined ? { galaxyClusters } : {}), ...(auditChain !== undefined ? { auditChain } : {}) };
      const alarming = auditChain !== undefined && (auditChain.status === 'invalid' || ALARMING_PEER_STATUSES.has(auditChain.status as PeerHeadStatus));
      await state.log({
        at: core.clock.now(), serverId: String(id), direction, level: alarming || report.aborted || report.failed > 0 || (sightings?.failed ?? 0) > 0 || sightings?.aborted === true ? 'warn' : 'info',
        message: `${direction}: ${String(report.created)} created, ${String(report.updated)} updated, ${String(report.unchanged)} unchanged, ${String(report.skipped)} skipped, ${String(report.failed)} failed in ${String(report.durationMs)} ms${sightingSummary(direction, sightings)}${clusterSummary(galaxyClusters)}${auditChain === undefined ? '' : `; peer audit chain ${auditChain.status}: ${auditChain.message}`}`,
      });
      return report;
    })();
    running.set(key, task);
    try {
      return await task;
    } finally {
      running.delete(key);
    }
  }

  return {
    blocklists,
    state,
    /** Local sharing groups for the `SharingGroup` blocks of an event arriving from another instance. */
    captureSharingGroups: (p: Principal, event: Record<string, unknown>) => captureSharingGroups(core, p, event),
    /**
     * Provenance of an event another instance pushed here (`events/add` or `events/edit` by a sync
     * user): the digest of the body as it arrived, which the sender recorded as its push.
     */
    async recordReceived(p: Principal, body: unknown, eventUuid: string, outcome: 'created' | 'updated'): Promise<void> {
      await recordShare(core, p, { action: 'receive', eventUuid, peer: { orgUuid: p.org.uuid, org: p.org.name }, outcome, digest: contentDigest(body) });
    },
    /**
     * Provenance of an event another instance's sync user fetched from here (`events/view`, a
     * pull): the digest of the answer as sent, which the puller records as its pull.
     */
    async recordServed(p: Principal, answer: unknown, eventUuid: string): Promise<void> {
      await recordShare(core, p, { action: 'serve', eventUuid, peer: { orgUuid: p.org.uuid, org: p.org.name }, outcome: 'sent', digest: contentDigest(answer) });
    },
    /** Sightings carried inside a received event's attributes. */
    captureSightings: (p: Principal, event: Record<string, unknown>) => captureSightings(core, p, event),
    /** `events/filterEventIdsForPush` for an instance pushing here (sync users only, as in MISP). */
    async filterEventIdsForPush(p: Principal, body: unknown): Promise<string[]> {
      if (!p.role.perm_sync) throw new ForbiddenError('You do not have the permission to do that.');
      return filterEventUuidsForPush(db, blocklists, p.org.id, body);
    },
    async list(p: Principal): Promise<MispJson[]> {
      requireSiteAdmin(p, 'list servers');
      const [servers, byId] = await Promise.all([core.store.read((repos) => repos.listServers()), orgs()]);
      return servers.map((s) => serverJson(s, byId));
    },
    async view(p: Principal, id: number): Promise<MispJson> {
      requireSiteAdmin(p, 'view servers');
      return serverJson(await mustServer(id), await orgs());
    },
    /**
     * Forgets the peer's kept chain head, so the next run keeps a fresh one ('first'): for a peer that
     * rotated its key or rebuilt its log on purpose and told its partners. Audited.
     */
    async resetPeerAuditChain(p: Principal, id: number): Promise<void> {
      requireSiteAdmin(p, 'reset a peer audit chain');
      const s = await mustServer(id);
      await core.store.write(async (repos) => {
        await audit(repos, p, core.clock.now(), { action: 'reset', model: 'PeerAuditChain', modelId: id, title: s.name });
      });
      await db.deleteFrom('peer_chain_heads').where('server_id', '=', id).execute();
      await state.log({ at: core.clock.now(), serverId: String(id), direction: 'pull', level: 'warn', message: `peer audit chain head forgotten by ${p.user.email}: the next run keeps a new one` });
    },
    /** The peer's audit chain head this instance keeps as its witness, and the last check's outcome. */
    async peerAuditChain(p: Principal, id: number): Promise<MispJson> {
      requireSiteAdmin(p, 'view servers');
      await mustServer(id);
      const row = await db.selectFrom('peer_chain_heads').selectAll().where('server_id', '=', id).executeTakeFirst();
      if (row === undefined) return { server_id: String(id), status: 'never checked' };
      return { server_id: String(id), size: Number(row.size), hash: row.hash, public_key: row.public_key, signed_at: row.signed_at, signature: row.signature, checked_at: Number(row.checked_at), status: row.status, message: row.message };
    },
    async add(p: Principal, body: unknown): Promise<MispJson> {
      requireSiteAdmin(p, 'add servers');
      const input = parseServerInput(body, false);
      const created = await core.store.write(async (repos) => {
        if (input.remote_org_id !== undefined && input.remote_org_id !== 0 && (await repos.getOrganisation(input.remote_org_id)) === undefined) {
          throw new NotFoundError(`Server.remote_org_id: organisation ${String(input.remote_org_id)} does not exist`, { field: 'Server.remote_org_id' });
        }
        return repos.insertServer({
          name: '', url: '', authkey: '', org_id: p.org.id, remote_org_id: 0, push: false, pull: false, push_sightings: false,
          push_galaxy_clusters: false, pull_galaxy_clusters: false, self_signed: false, internal: false, skip_proxy: false,
          caching_enabled: false, unpublish_event: false, publish_without_email: false, push_rules: '', pull_rules: '',
          lastpulledid: 0, lastpushedid: 0, priority: 0, ...input,
        });
      });
      return serverJson(created, await orgs());
    },
    async edit(p: Principal, id: number, body: unknown): Promise<MispJson> {
      requireSiteAdmin(p, 'edit servers');
      await mustServer(id);
      const patch = parseServerInput(body, true);
      const updated = await core.store.write((repos) => repos.updateServer(id, patch));
      return serverJson(updated, await orgs());
    },
    async delete(p: Principal, id: number): Promise<void> {
      requireSiteAdmin(p, 'delete servers');
      await mustServer(id);
      await core.store.write((repos) => repos.deleteServer(id));
      await state.reset(id);
    },
    pull: (p: Principal, id: number) => run(p, id, 'pull'),
    push: (p: Principal, id: number) => run(p, id, 'push'),
    /** Forgets where the syncs with a server got to, so the next ones start from scratch. */
    async reset(p: Principal, id: number): Promise<void> {
      requireSiteAdmin(p, 'reset sync state');
      await mustServer(id);
      await state.reset(id);
    },
    async test(p: Principal, id: number): Promise<ConnectionTest> {
      requireSiteAdmin(p, 'test servers');
      const remote = createMispRemote(await syncServer(await mustServer(id)), remoteOptions());
      try {
        const v = await remote.getVersion();
        const message = v.permSync === false ? 'Connected, but the remote user is not a sync user (perm_sync is off).' : 'OK';
        return { status: v.permSync === false ? 4 : 1, message, version: v.version, ...(v.permSync !== undefined ? { perm_sync: v.permSync } : {}) };
      } catch (error) {
        return { status: 2, message: error instanceof Error ? error.message : String(error) };
      }
    },
    async logs(p: Principal, id?: number, limit = 100): Promise<SyncLogRecord[]> {
      requireSiteAdmin(p, 'read the sync log');
      return state.listLogs({ ...(id !== undefined ? { serverId: id } : {}), limit });
    },
  };
}

/** The server connection and sync use cases. */
export type SyncService = ReturnType<typeof createSyncService>;
