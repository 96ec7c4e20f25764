import { AuthenticationError, ConflictError, ForbiddenError, InputError, NotFoundError, UnavailableError, isWaggleError } from '@waggle/errors';
import { isJsonObject, toText, type JsonObject, type MispEventJson } from '../model/misp-json.js';
import type { SyncServer } from '../model/sync-server.js';
import { unwrapEvent } from '../rules/unwrap-event.js';
import { errorFor, parseJson, send, type HttpAnswer, type HttpDeps, type RemoteRequestLog } from './http-request.js';
import { parseIndex, type RemoteIndexEntry } from './parse-index.js';
import { RemoteProtocolError } from './remote-protocol-error.js';

/** `servers/getVersion`: the remote version and what the sync user may do. */
export interface RemoteVersion {
  readonly version: string;
  /** Absent when the remote does not say (old MISP). */
  readonly permSync?: boolean;
  readonly raw: JsonObject;
}

/** Filters for `events/index`. */
export interface EventIndexQuery {
  /** Only events whose timestamp is at least this (Unix seconds). */
  readonly timestamp?: number;
  /** Only published events (MISP pull always asks for this). */
  readonly published?: boolean;
  /** Ask for MISP's minimal rows; default true. */
  readonly minimal?: boolean;
  readonly page?: number;
  readonly limit?: number;
  /** Extra filters (pull rules as `tag`/`org`, `url_params`). */
  readonly filters?: JsonObject;
}

/** A sighting to add on the remote. */
export interface RemoteSightingInput {
  /** 0 sighting, 1 false positive, 2 expiration. */
  readonly type?: 0 | 1 | 2;
  readonly source?: string;
  /** Unix seconds. */
  readonly timestamp?: number;
  readonly uuid?: string;
}

/** What a push did on the remote. */
export type PushOutcome = 'created' | 'updated' | 'unchanged';

/** A client for one remote MISP-protocol instance, speaking as its sync user. */
export interface MispRemote {
  readonly server: SyncServer;
  getVersion(): Promise<RemoteVersion>;
  eventIndex(query?: EventIndexQuery): Promise<RemoteIndexEntry[]>;
  /** The full event, soft-deleted attributes and objects included, so deletions propagate. */
  viewEvent(uuid: string): Promise<MispEventJson>;
  eventExists(uuid: string): Promise<boolean>;
  /** `events/add`; a {@link ConflictError} when the UUID already exists there. */
  addEvent(event: MispEventJson): Promise<MispEventJson>;
  /** `events/edit/<uuid>`; `'unchanged'` when the remote copy is not older. */
  editEvent(uuid: string, event: MispEventJson): Promise<MispEventJson | 'unchanged'>;
  /** MISP `ServerSyncTool::pushEvent`: HEAD, then add or edit, falling back to the other on conflict/404. */
  pushEvent(event: MispEventJson): Promise<PushOutcome>;
  addSighting(attributeUuid: string, sighting: RemoteSightingInput): Promise<void>;
  /** `sightings/restSearch/event` for these events (as MISP's sighting pull asks). */
  restSearchSightings(eventUuids: readonly string[]): Promise<JsonObject[]>;
  /** `sightings/filterSightingUuidsForPush/<event>`: which of these sighting UUIDs the remote already has; {@link NotFoundError} when it does not have (or may not see) the event. */
  filterSightingUuidsForPush(eventUuid: string, sightingUuids: readonly string[]): Promise<string[]>;
  /** `sightings/bulkSaveSightings/<event>`: adds sightings (MISP sighting JSON with UUIDs); returns how many the remote saved. */
  bulkSaveSightings(eventUuid: string, sightings: readonly JsonObject[]): Promise<number>;
  /** `galaxy_clusters/restSearch` minimal index of published custom clusters (MISP's cluster pull). */
  galaxyClusterIndex(query: { timestamp?: number; page?: number; limit?: number }): Promise<RemoteClusterEntry[]>;
  /** `galaxy_clusters/view/<uuid>`: the bare cluster with elements and relations. */
  viewGalaxyCluster(uuid: string): Promise<JsonObject>;
  /** `galaxies/pushCluster`: MISP's cluster push. */
  pushGalaxyCluster(cluster: JsonObject): Promise<void>;
  /**
   * A waggle peer's signed audit chain head (`audit/chain/head`, ADR 0014), or the signed hash of
   * entry `at`; `undefined` from a server without one (a stock MISP answers 404).
   */
  chainHead(at?: number): Promise<JsonObject | undefined>;
}

/** One row of a remote custom cluster index. */
export interface RemoteClusterEntry {
  readonly uuid: string;
  readonly version: number;
  /** Last change (Unix seconds); the version when the remote does not say. */
  readonly timestamp: number;
}

/** Options of {@link createMispRemote}; everything has a production default. */
export interface MispRemoteOptions {
  readonly fetch?: typeof globalThis.fetch;
  /** Per request, body included. Default: `server.timeoutMs`, else 30 s. */
  readonly timeoutMs?: number;
  /** Milliseconds clock for request durations. */
  readonly clock?: () => number;
  /** Called after every request with method, URL, status and duration; never with headers. */
  readonly onRequest?: (log: RemoteRequestLog) => void;
  /** Appended to the User-Agent, e.g. the waggle version. */
  readonly userAgentSuffix?: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;
// MISP's fetchEvent asks for deleted[]:0/deleted[]:1; deleted:1 means the same
// ("live and deleted") and also routes on waggle, whose router has no [] params.
const VIEW_PARAMS = '/deleted:1/includeSightings:1/excludeGalaxy:1/includeEventCorrelations:0/includeFeedCorrelations:0/includeWarninglistHits:0/excludeLocalTags:1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkUuid(uuid: string): string {
  if (!UUID.test(uuid)) throw new InputError(`uuid: "${uuid.slice(0, 60)}" is not a UUID`, { field: 'uuid' });
  return uuid;
}

/**
 * Creates the client of one remote server. Every request carries
 * `Authorization: <key>` (MISP's raw key, no scheme), `Accept` and
 * `Content-Type: application/json`, and a waggle `User-Agent`. Errors:
 * network trouble and 5xx → retryable `UnavailableError` naming the URL;
 * 401/403 bad key → `AuthenticationError`; other 403 → `ForbiddenError`;
 * 404 → `NotFoundError`; other 4xx → `InputError` with the remote's message;
 * unparsable or wrongly shaped JSON → non-retryable {@link RemoteProtocolError}.
 */
export function createMispRemote(server: SyncServer, options: MispRemoteOptions = {}): MispRemote {
  const deps: HttpDeps = {
    fetch: options.fetch ?? globalThis.fetch,
    timeoutMs: options.timeoutMs ?? server.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    clock: options.clock ?? (() => performance.now()),
    headers: {
      Authorization: server.authkey.reveal(),
      Accept: 'application/json',
      'Content-Type': 'application/json',
      'User-Agent': `waggle-sync/0.1.0${options.userAgentSuffix !== undefined ? ` ${options.userAgentSuffix}` : ''}`,
    },
    ...(options.onRequest !== undefined ? { onRequest: options.onRequest } : {}),
  };

  async function call(method: string, path: string, body?: unknown): Promise<HttpAnswer> {
    const answer = await send(deps, method, server.url + path, body);
    if (answer.status < 200 || answer.status > 299) throw errorFor(answer, method);
    return answer;
  }

  async function json(method: string, path: string, body?: unknown): Promise<unknown> {
    return parseJson(await call(method, path, body), method);
  }

  async function eventReply(method: string, path: string, body: unknown): Promise<MispEventJson> {
    const reply = await json(method, path, body);
    const event = unwrapEvent(reply);
    if (event === undefined) throw new RemoteProtocolError(`${method} ${server.url + path} did not answer with an event`, { url: server.url + path });
    return event;
  }

  const remote: MispRemote = {
    server,

    async chainHead(at) {
      try {
        const reply = await json('GET', `/audit/chain/head${at === undefined ? '' : `?at=${String(at)}`}`);
        return isJsonObject(reply) ? reply : undefined;
      } catch (error) {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      }
    },

    async getVersion() {
      const reply = await json('GET', '/servers/getVersion');
      const version = isJsonObject(reply) ? toText(reply.version) : undefined;
      if (!isJsonObject(reply) || version === undefined) {
        throw new RemoteProtocolError(`GET ${server.url}/servers/getVersion: the answer has no version field`, { url: `${server.url}/servers/getVersion` });
      }
      return { version, raw: reply, ...(typeof reply.perm_sync === 'boolean' ? { permSync: reply.perm_sync } : {}) };
    },

    async eventIndex(query = {}) {
      const body: JsonObject = { ...query.filters };
      if (query.minimal ?? true) body.minimal = 1;
      if (query.published !== undefined) body.published = query.published ? 1 : 0;
      if (query.timestamp !== undefined) body.timestamp = query.timestamp;
      if (query.page !== undefined) body.page = query.page;
      if (query.limit !== undefined) body.limit = query.limit;
      if (query.page !== undefined || query.limit !== undefined) {
        body.sort = 'timestamp';
        body.direction = 'asc';
      }
      return parseIndex(await json('POST', '/events/index', body), `${server.url}/events/index`);
    },

    async viewEvent(uuid) {
      const path = `/events/view/${checkUuid(uuid)}${VIEW_PARAMS}`;
      const event = await eventReply('GET', path, undefined);
      if (event.uuid.toLowerCase() !== uuid.toLowerCase()) {
        throw new RemoteProtocolError(`GET ${server.url + path} answered with event ${event.uuid.slice(0, 40)} instead of ${uuid}`, { url: server.url + path });
      }
      if (typeof event.info !== 'string') throw new RemoteProtocolError(`GET ${server.url + path}: the event has no info`, { url: server.url + path });
      return event;
    },

    async eventExists(uuid) {
      const answer = await send(deps, 'HEAD', `${server.url}/events/view/${checkUuid(uuid)}`);
      if (answer.status === 200) return true;
      if (answer.status === 404) return false;
      throw errorFor(answer, 'HEAD');
    },

    async addEvent(event) {
      return eventReply('POST', '/events/add/metadata:1', { Event: event });
    },

    async editEvent(uuid, event) {
      try {
        return await eventReply('POST', `/events/edit/${checkUuid(uuid)}/metadata:1`, { Event: event });
      } catch (error) {
        // MISP refuses an edit that is not newer with a 403 and this sentence.
        if (error instanceof ForbiddenError && /not newer/i.test(String(error.details.remoteMessage))) return 'unchanged';
        throw error;
      }
    },

    async pushEvent(event) {
      let exists = false;
      try {
        exists = await remote.eventExists(event.uuid);
      } catch (error) {
        // ServerSyncTool treats a failed HEAD as "does not exist"; an outage or a bad key would fail the next call too.
        if (error instanceof UnavailableError || error instanceof AuthenticationError) throw error;
        if (!isWaggleError(error)) throw error;
      }
      if (exists) {
        try {
          return (await remote.editEvent(event.uuid, event)) === 'unchanged' ? 'unchanged' : 'updated';
        } catch (error) {
          if (!(error instanceof NotFoundError)) throw error;
        }
        await remote.addEvent(event);
        return 'created';
      }
      try {
        await remote.addEvent(event);
        return 'created';
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
      return (await remote.editEvent(event.uuid, event)) === 'unchanged' ? 'unchanged' : 'updated';
    },

    async addSighting(attributeUuid, sighting) {
      const body: JsonObject = {};
      if (sighting.type !== undefined) body.type = String(sighting.type);
      if (sighting.source !== undefined) body.source = sighting.source;
      if (sighting.timestamp !== undefined) body.timestamp = String(sighting.timestamp);
      if (sighting.uuid !== undefined) body.uuid = sighting.uuid;
      await json('POST', `/sightings/add/${checkUuid(attributeUuid)}`, body);
    },

    async restSearchSightings(eventUuids) {
      const reply = await json('POST', '/sightings/restSearch/event', { returnFormat: 'json', last: 0, includeUuid: true, uuid: [...eventUuids] });
      const list = isJsonObject(reply) && 'response' in reply ? reply.response : reply;
      if (!Array.isArray(list)) throw new RemoteProtocolError(`POST ${server.url}/sightings/restSearch/event did not answer with a list`, { url: `${server.url}/sightings/restSearch/event` });
      return list.filter(isJsonObject).map((row) => (isJsonObject(row.Sighting) ? row.Sighting : row));
    },

    async filterSightingUuidsForPush(eventUuid, sightingUuids) {
      const path = `/sightings/filterSightingUuidsForPush/${checkUuid(eventUuid)}`;
      const reply = await json('POST', path, [...sightingUuids]);
      if (!Array.isArray(reply) || !reply.every((u) => typeof u === 'string')) throw new RemoteProtocolError(`POST ${server.url + path} did not answer with a list of UUIDs`, { url: server.url + path });
      return reply.map((u: string) => u.toLowerCase());
    },

    async galaxyClusterIndex(query) {
      const path = '/galaxy_clusters/restSearch';
      const body: JsonObject = { published: 1, minimal: 1, custom: 1, ...(query.timestamp !== undefined ? { timestamp: query.timestamp } : {}), ...(query.page !== undefined ? { page: query.page } : {}), ...(query.limit !== undefined ? { limit: query.limit } : {}) };
      const reply = await json('POST', path, body);
      const list = isJsonObject(reply) && Array.isArray(reply.response) ? reply.response : reply;
      if (!Array.isArray(list)) throw new RemoteProtocolError(`POST ${server.url + path} did not answer with a list`, { url: server.url + path });
      return list.map((row: unknown, i) => {
        const c = isJsonObject(row) && isJsonObject(row.GalaxyCluster) ? row.GalaxyCluster : row;
        const uuid = isJsonObject(c) ? toText(c.uuid) : undefined;
        const version = isJsonObject(c) ? Number(toText(c.version)) : Number.NaN;
        if (uuid === undefined || !UUID.test(uuid) || !Number.isSafeInteger(version)) throw new RemoteProtocolError(`POST ${server.url + path}: row ${String(i)} has no valid uuid and version`, { url: server.url + path });
        const ts = isJsonObject(c) ? Number(toText(c.timestamp)) : Number.NaN;
        return { uuid: uuid.toLowerCase(), version, timestamp: Number.isSafeInteger(ts) ? ts : version };
      });
    },

    async viewGalaxyCluster(uuid) {
      const path = `/galaxy_clusters/view/${checkUuid(uuid)}`;
      const reply = await json('GET', path);
      const c = isJsonObject(reply) && isJsonObject(reply.GalaxyCluster) ? reply.GalaxyCluster : undefined;
      if (c === undefined || String(c.uuid).toLowerCase() !== uuid.toLowerCase()) throw new RemoteProtocolError(`GET ${server.url + path} did not answer with that cluster`, { url: server.url + path });
      return c;
    },

    async pushGalaxyCluster(cluster) {
      await json('POST', '/galaxies/pushCluster', { GalaxyCluster: cluster });
    },

    async bulkSaveSightings(eventUuid, sightings) {
      const path = `/sightings/bulkSaveSightings/${checkUuid(eventUuid)}`;
      const reply = await json('POST', path, [...sightings]);
      if (!isJsonObject(reply)) throw new RemoteProtocolError(`POST ${server.url + path} did not answer with an object`, { url: server.url + path });
      // waggle answers a count; MISP only a sentence ("3 sightings added.") or saved: false.
      const count = typeof reply.count === 'number' ? reply.count : /^(\d+) sightings? added/.exec(String(reply.success ?? ''))?.[1];
      if (count !== undefined) return Number(count);
      if (reply.saved === false) return 0;
      throw new RemoteProtocolError(`POST ${server.url + path} did not say how many sightings it saved`, { url: server.url + path });
    },
  };
  return remote;
}
