import type { FastifyInstance } from 'fastify';
import { InputError } from '@waggle/errors';
import { isTruthy, type RouteContext } from '../http/context.js';

/** MISP writes a share as `round(100 * n / total, 3) . '%'`: "25%", "12.5%", "33.333%". */
export function percentOf(n: number, total: number): string {
  return `${String(total === 0 ? 0 : Math.round((100_000 * n) / total) / 1000)}%`;
}

const sum = (counts: Readonly<Record<string, number>>): number => Object.values(counts).reduce((s, n) => s + n, 0);

/** Counts as MISP sends them (strings), or shares of `total` (by default their own sum) with `percentage`. */
function shares(counts: Readonly<Record<string, number>>, percentage: boolean, total = sum(counts)): Record<string, string> {
  return Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, percentage ? percentOf(n, total) : String(n)]));
}

function byKey(counts: Readonly<Record<string, number>>, nameSort: boolean): Record<string, number> {
  const entries = Object.entries(counts);
  entries.sort(nameSort ? ([a], [b]) => a.localeCompare(b, 'en', { sensitivity: 'base', numeric: true }) : ([, a], [, b]) => b - a);
  return Object.fromEntries(entries);
}

/**
 * MISP's statistics endpoints (PyMISP `attributes_statistics`, `tags_statistics`), over what the
 * caller may see: a site admin gets the whole instance, as in MISP.
 */
export function registerStatisticsRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const attributeStatistics = async (request: { params: unknown }, principal: Awaited<ReturnType<RouteContext['principal']>>) => {
    const { context = 'type', percentage } = request.params as { context?: string; percentage?: string };
    if (context !== 'type' && context !== 'category') throw new InputError('context can only be "type" or "category"', { field: 'context' });
    return shares(byKey(await ctx.services.attributes.statistics(principal, context), true), isTruthy(percentage));
  };
  app.get('/attributes/attribute_statistics', async (request) => attributeStatistics(request, await ctx.principal(request)));
  app.get('/attributes/attribute_statistics/:context', async (request) => attributeStatistics(request, await ctx.principal(request)));
  app.get('/attributes/attribute_statistics/:context/:percentage', async (request) => attributeStatistics(request, await ctx.principal(request)));

  const tagStatistics = async (request: { params: unknown }, principal: Awaited<ReturnType<RouteContext['principal']>>) => {
    const { percentage, nameSort } = request.params as { percentage?: string; nameSort?: string };
    const counts = Object.fromEntries((await ctx.services.tags.statistics(principal)).map((t) => [t.name, t.count]));
    // Per enabled taxonomy, the event tags in its namespace; MISP sends [] when no taxonomy is enabled.
    const catalogue = await ctx.services.intel.taxonomies();
    const taxonomies: Record<string, number> = {};
    for (const item of catalogue.items) {
      if (!item.enabled) continue;
      const namespace = item.value.namespace.toLowerCase();
      taxonomies[item.value.namespace] = Object.entries(counts).reduce((sum, [name, n]) => (name.toLowerCase().startsWith(namespace) ? sum + n : sum), 0);
    }
    // Taxonomy shares are of all event tags, as MISP computes them.
    const total = sum(counts);
    const pct = isTruthy(percentage);
    const sorted = isTruthy(nameSort);
    return { tags: shares(byKey(counts, sorted), pct, total), taxonomies: Object.keys(taxonomies).length === 0 ? [] : shares(byKey(taxonomies, sorted), pct, total) };
  };
  app.get('/tags/tag_statistics', async (request) => tagStatistics(request, await ctx.principal(request)));
  app.get('/tags/tag_statistics/:percentage', async (request) => tagStatistics(request, await ctx.principal(request)));
  app.get('/tags/tag_statistics/:percentage/:nameSort', async (request) => tagStatistics(request, await ctx.principal(request)));
}
