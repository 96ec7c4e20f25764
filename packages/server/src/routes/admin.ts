import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../http/context.js';
import { registerAuthKeyRoutes } from './admin/auth-key-routes.js';
import { registerOrganisationRoutes } from './admin/organisation-routes.js';
import { registerRoleRoutes } from './admin/role-routes.js';
import { registerSharingGroupRoutes } from './admin/sharing-group-routes.js';
import { registerUserRoutes } from './admin/user-routes.js';

/** Administration endpoints PyMISP uses: organisations, users, roles, auth keys, sharing groups. */
export function registerAdminRoutes(app: FastifyInstance, ctx: RouteContext): void {
  registerOrganisationRoutes(app, ctx);
  registerUserRoutes(app, ctx);
  registerRoleRoutes(app, ctx);
  registerAuthKeyRoutes(app, ctx);
  registerSharingGroupRoutes(app, ctx);
}
