import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../../http/context.js';
import { registerGalaxyRoutes } from './galaxy-routes.js';
import { registerCustomClusterRoutes } from './custom-cluster-routes.js';
import { registerTaxonomyRoutes } from './taxonomy-routes.js';
import { registerWarninglistRoutes } from './warninglist-routes.js';

/** MISP's taxonomy, galaxy and warninglist endpoints (PyMISP's `taxonomies`, `galaxies`, `warninglists`, …). */
export function registerIntelRoutes(app: FastifyInstance, ctx: RouteContext): void {
  registerTaxonomyRoutes(app, ctx, ctx.services.intel);
  registerGalaxyRoutes(app, ctx, ctx.services.intel);
  registerCustomClusterRoutes(app, ctx);
  registerWarninglistRoutes(app, ctx, ctx.services.intel);
}
