import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InputError, NotFoundError } from '@waggle/errors';
import { requireSiteAdmin } from '@waggle/core';
import { bodyOf, isTruthy, paramsOf, saved, type RouteContext } from '../../http/context.js';
import type { ClusterItem, GalaxyCatalogue, IntelService } from '../../intel/index.js';
import { clusterJson, clusterViewJson, galaxyJson } from './intel-json.js';
import { updateNotSupported } from './taxonomy-routes.js';

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

/** galaxies/* and galaxy_clusters/*: browsing for every user; attaching a cluster with tagging rights. */
export function registerGalaxyRoutes(app: FastifyInstance, ctx: RouteContext, intel: IntelService): void {
  const index = async (request: FastifyRequest) => {
    await ctx.principal(request);
    return (await intel.galaxies()).galaxies.map((g) => ({ Galaxy: galaxyJson(g) }));
  };
  app.get('/galaxies', index);
  app.get('/galaxies/index', index);

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

  app.post('/galaxies/update', async (request) => {
    requireSiteAdmin(await ctx.principal(request), 'update galaxies');
    throw updateNotSupported('galaxies');
  });
}
