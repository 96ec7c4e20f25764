import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InputError, NotFoundError } from '@waggle/errors';
import { requireSiteAdmin } from '@waggle/core';
import { bodyOf, isTruthy, paramsOf, saved, type RouteContext } from '../../http/context.js';
import type { ClusterItem, GalaxyCatalogue, GalaxyItem, IntelService } from '../../intel/index.js';
import { clusterJson, clusterViewJson, galaxyJson } from './intel-json.js';
import { logUpdate } from './taxonomy-routes.js';

const CONTEXTS = new Set(['all', 'default', 'custom', 'org', 'deleted']);

/** searchall as MISP applies it to clusters: a case-insensitive substring of the value, description or any meta value. */
function matchesSearch(item: ClusterItem, needle: string): boolean {
  const c = item.cluster;
  if (c.value.toLowerCase().includes(needle) || c.description.toLowerCase().includes(needle)) return true;
  return Object.values(c.meta).some((values) => values.some((v) => v.toLowerCase().includes(needle)));
}

function clusterOf(galaxies: GalaxyCatalogue, ref: string): ClusterItem {
  const item = galaxies.cluster(ref);
  if (item === undefined) throw new NotFoundError('Invalid galaxy cluster.');
  return item;
}

const ENABLED: ReadonlyMap<unknown, boolean> = new Map<unknown, boolean>([[true, true], [false, false], [1, true], [0, false], ['1', true], ['0', false], ['true', true], ['false', false]]);

/** MISP's galaxies/index filters (named parameters or body): `value` and `enabled`. */
export interface GalaxyFilter {
  readonly value: string;
  readonly enabled?: boolean;
}

/** Reads the filters of galaxies/index and PyMISP's search_galaxy (`POST galaxies {"value": …}`). */
export function galaxyFilter(request: FastifyRequest): GalaxyFilter {
  const body = request.body;
  if (body !== undefined && body !== null && body !== '' && (typeof body !== 'object' || Array.isArray(body))) throw new InputError('Send the search as {"value": "…"}', { field: 'value' });
  const q: Record<string, unknown> = { ...paramsOf(request), ...bodyOf(request) };
  const value = q.value ?? '';
  if (typeof value !== 'string' && typeof value !== 'number') throw new InputError('value must be a string', { field: 'value' });
  if (q.enabled === undefined || q.enabled === '') return { value: String(value) };
  const enabled = ENABLED.get(q.enabled);
  if (enabled === undefined) throw new InputError('enabled must be 0 or 1', { field: 'enabled' });
  return { value: String(value), enabled };
}

/** MISP's search: a case-insensitive substring of the name, namespace, description, kill chain order or uuid. */
export function galaxyMatches(item: GalaxyItem, filter: GalaxyFilter): boolean {
  if (filter.enabled !== undefined && item.enabled !== filter.enabled) return false;
  const needle = filter.value.toLowerCase();
  if (needle === '') return true;
  const g = item.value;
  const fields = [g.name, g.namespace, g.description, g.kill_chain_order === undefined ? '' : JSON.stringify(g.kill_chain_order), g.uuid];
  return fields.some((f) => f.toLowerCase().includes(needle));
}

/** galaxies/* and galaxy_clusters/*: browsing for every user; attaching a cluster with tagging rights. */
export function registerGalaxyRoutes(app: FastifyInstance, ctx: RouteContext, intel: IntelService): void {
  const index = async (request: FastifyRequest) => {
    await ctx.principal(request);
    const filter = galaxyFilter(request);
    return (await intel.galaxies()).galaxies.filter((g) => galaxyMatches(g, filter)).map((g) => ({ Galaxy: galaxyJson(g) }));
  };
  app.get('/galaxies', index);
  app.get('/galaxies/index', index);
  app.post('/galaxies', index);
  app.post('/galaxies/index', index);

  app.get('/galaxies/view/:id', async (request) => {
    await ctx.principal(request);
    const galaxies = await intel.galaxies();
    const item = galaxies.galaxy((request.params as { id: string }).id);
    if (item === undefined) throw new NotFoundError('Invalid galaxy.');
    return { Galaxy: galaxyJson(item), GalaxyCluster: galaxies.clustersOf(item).map((c) => clusterJson(galaxies, c)) };
  });

  const clusterIndex = async (request: FastifyRequest) => {
    const p = await ctx.principal(request);
    const q = { ...paramsOf(request), ...(bodyOf(request) as Record<string, string>) };
    const context = q.context ?? 'all';
    if (!CONTEXTS.has(context)) throw new InputError(`context must be one of ${[...CONTEXTS].join(', ')}`, { field: 'context' });
    const galaxies = await intel.galaxies();
    const galaxy = galaxies.galaxy(q.galaxyId ?? '');
    if (galaxy === undefined) throw new NotFoundError('Invalid galaxy.');
    const needle = String(q.searchall ?? '').trim().toLowerCase();
    // Data-set clusters are the "default" ones; organisations' own clusters are "custom" (and "org" for the caller's, "deleted" for soft-deleted ones).
    const fromFiles = context === 'all' || context === 'default' ? galaxies.clustersOf(galaxy).filter((c) => needle === '' || matchesSearch(c, needle)).map((c) => ({ GalaxyCluster: clusterJson(galaxies, c) })) : [];
    if (context === 'default') return fromFiles;
    const custom = (await ctx.services.galaxyClusters.search(p, { type: galaxy.value.type, ...(needle !== '' ? { search: needle } : {}), ...(context === 'deleted' ? { includeDeleted: true } : {}), ...(context === 'org' ? { orgId: p.org.id } : {}) }))
      .filter((r) => context !== 'deleted' || (r.GalaxyCluster as { deleted?: boolean }).deleted === true);
    return [...fromFiles, ...custom];
  };
  app.get('/galaxy_clusters/index/:galaxyId', clusterIndex);
  app.post('/galaxy_clusters/index/:galaxyId', clusterIndex);

  app.get('/galaxy_clusters/view/:id', async (request) => {
    const p = await ctx.principal(request);
    const galaxies = await intel.galaxies();
    const ref = (request.params as { id: string }).id;
    const item = galaxies.cluster(ref);
    // Not from the data sets: an organisation's own cluster, if the caller may see it.
    if (item === undefined) return ctx.services.galaxyClusters.view(p, /^[0-9]+$/.test(ref) ? Number(ref) : ref);
    return clusterViewJson(galaxies, item);
  });

  // PyMISP: galaxies/attachCluster/<target id>/<event|attribute>/local:<0|1> with {"Galaxy": {"target_id": <cluster id>}}.
  const attach = async (request: FastifyRequest, reply: Parameters<typeof saved>[0]) => {
    const p = await ctx.principal(request);
    const q = paramsOf(request);
    const type = (q.targetType ?? 'event').toLowerCase();
    if (type !== 'event' && type !== 'attribute') throw new InputError(`Cannot attach a cluster to "${type}": use event or attribute`, { field: 'target_type' });
    const galaxy = bodyOf(request).Galaxy;
    const clusterRef = typeof galaxy === 'object' && galaxy !== null ? (galaxy as Record<string, unknown>).target_id : undefined;
    if (typeof clusterRef !== 'string' && typeof clusterRef !== 'number') throw new InputError('Galaxy.target_id (the cluster id) is required', { field: 'Galaxy.target_id' });
    const cluster = clusterOf(await intel.galaxies(), String(clusterRef));
    const targetRef = q.targetId ?? '';
    const uuid = await intel.targetUuid(type, targetRef);
    if (uuid === undefined) throw new NotFoundError(type === 'event' ? 'Invalid event.' : 'Invalid attribute.');
    await ctx.services.tags.attach(p, uuid, cluster.cluster.tag_name, isTruthy(q.local));
    return saved(reply, request, 'Cluster attached.', { check_publish: true });
  };
  app.post('/galaxies/attach_cluster/:targetId/:targetType', attach);
  app.post('/galaxies/attach_cluster/:targetId', attach);

  // MISP reads its galaxy folder again and always answers "Galaxies updated."; here: every folder `waggle data import` read.
  app.post('/galaxies/update', async (request, reply) => {
    requireSiteAdmin(await ctx.principal(request), 'update galaxies');
    logUpdate(request, 'galaxies', await intel.update('galaxies'));
    return saved(reply, request, 'Galaxies updated.');
  });
}
