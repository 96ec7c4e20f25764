import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InputError, NotFoundError } from '@waggle/errors';
import { optTimestamp, parseGalaxyCluster, type GalaxyClusterFilter, type MispJson } from '@waggle/core';
import { bodyOf, isTruthy, paramsOf, saved, type RouteContext } from '../../http/context.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const refOf = (raw: string): number | string => (/^[0-9]+$/.test(raw) ? Number(raw) : raw);

/** The body of a cluster write: PyMISP sends `{"GalaxyCluster": …}` or the bare cluster. */
const clusterBody = (request: FastifyRequest): unknown => request.body ?? {};

/** MISP `galaxy_clusters/restSearch` filters for custom clusters. */
export function parseClusterSearch(body: Record<string, unknown>): GalaxyClusterFilter & { minimal: boolean } {
  const uuids = body.uuid === undefined ? undefined : (Array.isArray(body.uuid) ? body.uuid : [body.uuid]).map((u, i) => {
    if (typeof u !== 'string' || !UUID.test(u)) throw new InputError(`uuid[${String(i)}] is not a UUID`, { field: 'uuid' });
    return u.toLowerCase();
  });
  const limit = body.limit === undefined ? undefined : Number(body.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new InputError('limit must be a positive integer', { field: 'limit' });
  const from = optTimestamp(body.timestamp, 'timestamp');
  return {
    minimal: isTruthy(body.minimal),
    ...(uuids !== undefined ? { uuids } : {}),
    ...(typeof body.type === 'string' ? { type: body.type } : {}),
    ...(body.published !== undefined ? { published: isTruthy(body.published) } : {}),
    ...(from !== undefined ? { timestampFrom: from } : {}),
    ...(typeof body.value === 'string' ? { search: body.value } : typeof body.searchall === 'string' ? { search: body.searchall } : {}),
    ...(isTruthy(body.deleted) ? { includeDeleted: true } : {}),
    ...(limit !== undefined ? { limit } : {}),
  };
}

/**
 * Custom galaxy clusters in MISP's API (PyMISP `add_galaxy_cluster`,
 * `update_galaxy_cluster`, `publish_galaxy_cluster`, `fork_galaxy_cluster`,
 * `delete_galaxy_cluster`), `galaxy_clusters/restSearch` (what a MISP pull
 * lists), and `galaxies/pushCluster` (what a MISP push sends).
 */
export function registerCustomClusterRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const clusters = ctx.services.galaxyClusters;

  // PyMISP: galaxy_clusters/add/<galaxy id|uuid>, fork: .../forkUUID:<cluster uuid>.
  app.post('/galaxy_clusters/add/:galaxyId', async (request) => {
    const p = await ctx.principal(request);
    const q = paramsOf(request);
    const galaxy = (await ctx.services.intel.galaxies()).galaxy(refOf(q.galaxyId ?? ''));
    if (galaxy === undefined) throw new NotFoundError('Invalid galaxy.');
    const fork = q.forkUUID ?? q.forkUuid ?? q.fork_uuid;
    return clusters.add(p, { type: galaxy.value.type, uuid: galaxy.value.uuid }, parseGalaxyCluster(clusterBody(request)), fork !== undefined ? { forkOf: refOf(fork) } : {});
  });
  app.route({
    method: ['POST', 'PUT'],
    url: '/galaxy_clusters/edit/:id',
    handler: async (request) => clusters.edit(await ctx.principal(request), refOf((request.params as { id: string }).id), parseGalaxyCluster(clusterBody(request))),
  });
  for (const [action, published] of [['publish', true], ['unpublish', false]] as const) {
    app.post(`/galaxy_clusters/${action}/:id`, async (request, reply) => {
      await clusters.setPublished(await ctx.principal(request), refOf((request.params as { id: string }).id), published);
      return saved(reply, request, published ? 'Galaxy cluster published.' : 'Galaxy cluster unpublished.');
    });
  }
  app.route({
    method: ['POST', 'DELETE'],
    url: '/galaxy_clusters/delete/:id',
    handler: async (request, reply) => {
      const hard = isTruthy(bodyOf(request).hard) || isTruthy(paramsOf(request).hard);
      await clusters.delete(await ctx.principal(request), refOf((request.params as { id: string }).id), hard);
      return saved(reply, request, hard ? 'Galaxy cluster deleted.' : 'Galaxy cluster soft-deleted.');
    },
  });

  for (const url of ['/galaxy_clusters/rest_search', '/galaxy_clusters/rest_search/:format']) {
    app.post(url, async (request) => {
      const p = await ctx.principal(request);
      const { minimal, ...filter } = parseClusterSearch({ ...paramsOf(request), ...bodyOf(request) });
      const rows = await clusters.search(p, filter);
      if (!minimal) return { response: rows };
      return { response: rows.map((r) => {
        const c = r.GalaxyCluster as MispJson;
        return { GalaxyCluster: { uuid: c.uuid, version: c.version, timestamp: c.timestamp, published: c.published, deleted: c.deleted, Orgc: { uuid: (c.Orgc as MispJson).uuid } } };
      }) };
    });
  }

  app.post('/galaxies/push_cluster', async (request) => {
    const p = await ctx.principal(request);
    const list = Array.isArray(request.body) ? (request.body as unknown[]) : [request.body];
    const inputs = list.map((c) => parseGalaxyCluster(c));
    const outcomes = [];
    for (const input of inputs) outcomes.push(await clusters.saveSynced(p, input));
    const changed = outcomes.filter((o) => o !== 'unchanged').length;
    return { saved: true, success: true, name: `${String(changed)} clusters saved.`, message: `${String(changed)} clusters saved.`, outcomes };
  });
}
