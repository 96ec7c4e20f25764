import type { FastifyInstance } from 'fastify';
import { requireSiteAdmin } from '@waggle/core';
import type { RouteContext } from '../http/context.js';

/**
 * `GET /servers/dbSchemaDiagnostic` (PyMISP `db_schema_diagnostic()`): MISP compares the
 * database's schema version with the one its code expects. waggle's schema versions are its
 * migrations: `actual_db_version` is the last one the database has applied (possibly one of
 * newer code sharing the database), `expected_db_version` the last one this code knows.
 */
export function registerDbSchemaRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/servers/db_schema_diagnostic', async (request) => {
    requireSiteAdmin(await ctx.principal(request), 'see the database schema diagnostic');
    const status = await ctx.services.schema();
    const applied = new Set(status.applied);
    const known = new Set(status.known);
    return {
      actual_db_version: status.applied.at(-1) ?? '',
      expected_db_version: status.known.at(-1) ?? '',
      pending_migrations: status.known.filter((name) => !applied.has(name)),
      unknown_migrations: status.applied.filter((name) => !known.has(name)),
      update_locked: status.locked,
    };
  });
}
