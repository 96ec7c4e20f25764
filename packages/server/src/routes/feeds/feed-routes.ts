import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FeedFetchReport, FeedService } from '../../feeds/index.js';
import { saved, type RouteContext } from '../../http/context.js';

const idOf = (request: FastifyRequest): string => (request.params as { id: string }).id;

const feedsOf = (ctx: RouteContext): FeedService => ctx.services.feeds;

/** MISP's fetchFromFeed answer (`result`), with waggle's report beside it. */
function fetchAnswer(report: FeedFetchReport): Record<string, unknown> {
  let result: string;
  if (report.ok) {
    result = 'Fetching the feed has successfully completed.';
    if (report.format === 'misp') result += ` Downloaded ${report.added} new event(s). Updated ${report.updated} event(s).`;
  } else result = `Fetching the feed has failed: ${report.errors.map((e) => e.message).join(' | ')}`;
  return { result, ...report };
}

/**
 * Feed endpoints as PyMISP calls them (`feeds`, `get_feed`, `add_feed`,
 * `update_feed`, `enable_feed`/`disable_feed`/`enable_feed_cache` via edit,
 * `delete_feed`, `fetch_feed`, `cache_*`, `compare_feeds`,
 * `load_default_feeds`). The camelCase actions reach these snake_case routes
 * through the URL rewrite.
 */
export function registerFeedRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/feeds', async (request) => feedsOf(ctx).list(await ctx.principal(request)));
  app.get('/feeds/index', async (request) => feedsOf(ctx).list(await ctx.principal(request)));
  app.get('/feeds/view/:id', async (request) => feedsOf(ctx).view(await ctx.principal(request), idOf(request)));
  app.post('/feeds/add', async (request) => feedsOf(ctx).add(await ctx.principal(request), request.body));
  app.route({
    method: ['POST', 'PUT'],
    url: '/feeds/edit/:id',
    handler: async (request) => feedsOf(ctx).edit(await ctx.principal(request), idOf(request), request.body),
  });
  for (const [action, enabled] of [['enable', true], ['disable', false]] as const) {
    app.post(`/feeds/${action}/:id`, async (request, reply) => {
      await feedsOf(ctx).edit(await ctx.principal(request), idOf(request), { Feed: { enabled } });
      return saved(reply, request, `Feed ${action}d.`, { id: idOf(request) });
    });
  }
  app.route({
    method: ['POST', 'DELETE'],
    url: '/feeds/delete/:id',
    handler: async (request, reply) => {
      const feed = await feedsOf(ctx).delete(await ctx.principal(request), idOf(request));
      return saved(reply, request, 'Feed deleted.', { id: String(feed.id) });
    },
  });
  app.route({
    method: ['GET', 'POST'],
    url: '/feeds/fetch_from_feed/:id',
    handler: async (request) => fetchAnswer(await feedsOf(ctx).fetch(await ctx.principal(request), idOf(request))),
  });
  app.route({
    method: ['GET', 'POST'],
    url: '/feeds/fetch_from_all_feeds',
    handler: async (request) => {
      const reports = await feedsOf(ctx).fetchAll(await ctx.principal(request));
      return { result: `Fetched ${reports.length} feed(s), ${reports.filter((r) => !r.ok).length} with problems.`, feeds: reports };
    },
  });
  const cache = async (request: FastifyRequest, scope: string): Promise<Record<string, unknown>> => {
    const result = await feedsOf(ctx).cache(await ctx.principal(request), scope);
    const message = result.fails === 0 ? 'Caching the feeds has successfully completed.' : `Caching failed for ${result.fails} feed(s): ${result.feeds.filter((f) => f.error !== undefined).map((f) => f.error).join(' | ')}`;
    return { saved: result.fails === 0, success: result.fails === 0, name: message, message, url: request.url.split('?')[0], ...result };
  };
  app.route({ method: ['GET', 'POST'], url: '/feeds/cache_feeds', handler: async (request) => cache(request, 'freetext') });
  app.route({ method: ['GET', 'POST'], url: '/feeds/cache_feeds/:scope', handler: async (request) => cache(request, (request.params as { scope: string }).scope) });
  app.route({
    method: ['GET', 'POST'],
    url: '/feeds/compare_feeds',
    handler: async (request) => feedsOf(ctx).compare(await ctx.principal(request)),
  });
  app.route({
    method: ['GET', 'POST'],
    url: '/feeds/load_default_feeds',
    handler: async (request, reply) => {
      const added = await feedsOf(ctx).loadDefaults(await ctx.principal(request));
      // The shipped selection of MISP's public OSINT feeds, added disabled (feeds/default-feeds.ts).
      return saved(reply, request, `Default feed metadata loaded: ${String(added)} feed(s) added, disabled.`, { added });
    },
  });
}
