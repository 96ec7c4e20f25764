import type { FastifyInstance } from 'fastify';
import { parseRoleInput } from '@waggle/core';
import { saved, type RouteContext } from '../../http/context.js';
import { adminHead, adminRoute, pathParam } from './admin-routing.js';

/** roles/index, view (+HEAD), add, edit, delete, set_default; each also under /admin. */
export function registerRoleRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { roles } = ctx.services.admin;

  adminRoute(app, ['GET', 'POST'], '/roles/index', async (request) => roles.list(await ctx.principal(request)));

  adminRoute(app, ['GET', 'POST'], '/roles/view/:id', async (request) => {
    const p = await ctx.principal(request);
    return { Role: await roles.view(p, pathParam(request, 'id')) };
  });
  adminHead(app, '/roles/view/:id', async (request, id) => {
    const p = await ctx.principal(request);
    return roles.view(p, id).then(() => true, () => false);
  });

  adminRoute(app, 'POST', '/roles/add', async (request) => ({ Role: await roles.add(await ctx.principal(request), parseRoleInput(request.body)) }));

  adminRoute(app, ['POST', 'PUT'], '/roles/edit/:id', async (request) => {
    const p = await ctx.principal(request);
    return { Role: await roles.edit(p, pathParam(request, 'id'), parseRoleInput(request.body)) };
  });

  adminRoute(app, ['POST', 'DELETE'], '/roles/delete/:id', async (request, reply) => {
    const p = await ctx.principal(request);
    const role = await roles.delete(p, pathParam(request, 'id'));
    return saved(reply, request, 'Role deleted', { id: String(role.id) });
  });

  adminRoute(app, 'POST', '/roles/set_default/:id', async (request, reply) => {
    const p = await ctx.principal(request);
    const role = await roles.setDefault(p, pathParam(request, 'id'));
    return saved(reply, request, 'Default role set.', { id: String(role.id) });
  });
}
