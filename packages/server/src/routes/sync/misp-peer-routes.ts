import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../../http/context.js';

const header = (v: string | string[] | undefined): string | null => (Array.isArray(v) ? (v[0] ?? null) : (v ?? null));

/**
 * What a stock MISP asks of a remote server besides the event and sighting
 * routes: the POST check of "test connection", the push pre-filter and the
 * proposals index of a pull.
 */
export function registerMispPeerRoutes(app: FastifyInstance, ctx: RouteContext): void {
  // MISP's connection test posts `{"testString": …}` and expects it back under `body`, with the
  // Accept and Content-type it sent under `headers` (a proxy that rewrites them fails the test).
  app.post('/servers/post_test', async (request) => {
    await ctx.principal(request);
    return {
      body: request.body,
      headers: {
        'Content-type': header(request.headers['content-type']),
        Accept: header(request.headers.accept),
        'Content-Encoding': header(request.headers['content-encoding']),
      },
    };
  });

  // Push pre-filter: the UUIDs of the offered events this instance wants.
  app.post('/events/filter_event_ids_for_push', async (request) => ctx.services.sync.filterEventIdsForPush(await ctx.principal(request), request.body));
}
