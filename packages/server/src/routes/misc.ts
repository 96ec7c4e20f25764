import type { FastifyInstance } from 'fastify';
import { describeTypes } from '@waggle/misp';
import type { RouteContext } from '../http/context.js';

/**
 * The MISP API version waggle implements. PyMISP parses it as a numeric tuple and
 * picks endpoints by it, so it must be MISP's numbering, not waggle's own version.
 */
export const MISP_API_VERSION = '2.5.2';

/** Version, describeTypes and health endpoints. */
export function registerMiscRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/health', async () => ({ status: 'ok', version: ctx.version }));

  app.get('/servers/get_version', async (request) => {
    const p = await ctx.principal(request);
    return {
      version: MISP_API_VERSION,
      pymisp_recommended_version: MISP_API_VERSION,
      waggle_version: ctx.version,
      perm_sync: p.role.perm_sync,
      perm_sighting: p.role.perm_sighting,
      perm_galaxy_editor: p.role.perm_galaxy_editor,
      perm_analyst_data: false,
      request_encoding: [],
      filter_sightings: true,
    };
  });

  app.get('/servers/get_py_mispversion', async () => ({ version: MISP_API_VERSION }));

  app.get('/attributes/describe_types', async () => ({ result: describeTypes() }));
}
