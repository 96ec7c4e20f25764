import Fastify, { type FastifyInstance } from 'fastify';
import type { Principal } from '@waggle/core';
import { AuthenticationError } from '@waggle/errors';
import type { RouteContext, Services } from '../../http/context.js';
import { createSearchRateLimiter } from '../../http/search-rate-limit.js';
import { handleError } from '../../http/error-handler.js';
import { rewriteMispUrl } from '../../http/url-rewrite.js';
import { registerTaxiiRoutes, type TaxiiRouteOptions } from '../register-taxii-routes.js';
import type { TaxiiSource } from '../taxii-source.js';

/** A principal for tests; only the fields the TAXII routes and the memory source read are meaningful. */
export function aPrincipal(userId: number, orgId: number, readOnly = false): Principal {
  return {
    user: { id: userId, org_id: orgId },
    role: { id: 3 },
    org: { id: orgId },
    viewer: { userId, orgId, siteAdmin: false, sharingGroupIds: [] },
    readOnly,
    ip: '127.0.0.1',
  } as unknown as Principal;
}

/**
 * A Fastify app configured like createApp (URL rewrite, router options, MISP
 * error handler and 404) with the TAXII routes on top, listening on 127.0.0.1.
 * `principal` reads the raw key from Authorization / X-MISP-Auth like the real
 * one and throws AuthenticationError for unknown keys.
 */
export async function startTaxiiTestApp(source: TaxiiSource, keys: ReadonlyMap<string, Principal>, options: Partial<TaxiiRouteOptions> = {}): Promise<{ app: FastifyInstance; base: string }> {
  const app = Fastify({
    logger: false,
    exposeHeadRoutes: false,
    rewriteUrl: (req) => rewriteMispUrl(req.url ?? '/'),
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, caseSensitive: false },
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ name: 'Not found', message: 'No such endpoint', url: request.url, code: 'not_found' });
  });
  const ctx: RouteContext = {
    services: {} as Services,
    version: 'test',
    searchRateLimit: createSearchRateLimiter(),
    async principal(request) {
      const header = request.headers.authorization ?? request.headers['x-misp-auth'];
      const raw = Array.isArray(header) ? header[0] : header;
      const p = raw === undefined ? undefined : keys.get(raw);
      if (p === undefined) throw new AuthenticationError();
      return p;
    },
  };
  registerTaxiiRoutes(app, ctx, source, { title: 'waggle test TAXII', description: 'test server', contact: 'soc@example.test', ...options });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return { app, base: `http://127.0.0.1:${address.port}` };
}
