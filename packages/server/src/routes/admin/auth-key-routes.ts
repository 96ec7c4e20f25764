import type { FastifyInstance, FastifyRequest } from 'fastify';
import { optInt, parseAuthKeyInput } from '@waggle/core';
import { paramsOf, saved, type RouteContext } from '../../http/context.js';
import { adminHead, adminRoute, pathParam } from './admin-routing.js';

/** auth_keys/add (for `me` or a user), index, view (+HEAD), delete; each also under /admin. */
export function registerAuthKeyRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { authKeys } = ctx.services.admin;

  const add = async (request: FastifyRequest, userRef: string) => authKeys.add(await ctx.principal(request), userRef, parseAuthKeyInput(request.body));
  adminRoute(app, 'POST', '/auth_keys/add/:userId', async (request) => add(request, pathParam(request, 'userId')));
  adminRoute(app, 'POST', '/auth_keys/add', async (request) => add(request, 'me'));

  adminRoute(app, ['GET', 'POST'], '/auth_keys/index', async (request) => {
    const p = await ctx.principal(request);
    const userId = optInt(paramsOf(request).user_id, 'user_id', 1);
    return authKeys.list(p, userId === undefined ? {} : { userId });
  });

  adminRoute(app, ['GET', 'POST'], '/auth_keys/view/:id', async (request) => authKeys.view(await ctx.principal(request), pathParam(request, 'id')));
  adminHead(app, '/auth_keys/view/:id', async (request, id) => {
    const p = await ctx.principal(request);
    return authKeys.view(p, id).then(() => true, () => false);
  });

  adminRoute(app, ['POST', 'DELETE'], '/auth_keys/delete/:id', async (request, reply) => {
    const p = await ctx.principal(request);
    const key = await authKeys.delete(p, pathParam(request, 'id'));
    return saved(reply, request, 'AuthKey deleted', { id: String(key.id) });
  });
}
