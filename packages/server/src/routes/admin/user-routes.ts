import type { FastifyInstance } from 'fastify';
import { optInt, parseUserInput, reqString } from '@waggle/core';
import { bodyOf, paramsOf, saved, type RouteContext } from '../../http/context.js';
import { adminHead, adminRoute, pathParam } from './admin-routing.js';

/** users/index, view (incl. `me`, +HEAD), add, edit, delete, change_pw; each also under /admin. */
export function registerUserRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { users } = ctx.services.admin;

  adminRoute(app, ['GET', 'POST'], '/users/index', async (request) => {
    const p = await ctx.principal(request);
    const q = { ...paramsOf(request), ...bodyOf(request) } as Record<string, unknown>;
    const search = q.value ?? q.searchall ?? q.email;
    const orgId = optInt(q.searchorg ?? q.org_id, 'searchorg', 1);
    return users.list(p, {
      ...(typeof search === 'string' && search !== '' ? { search } : {}),
      ...(orgId !== undefined ? { orgId } : {}),
    });
  });

  adminRoute(app, ['GET', 'POST'], '/users/view/:id', async (request) => users.view(await ctx.principal(request), pathParam(request, 'id')));
  adminRoute(app, 'GET', '/users/view', async (request) => users.view(await ctx.principal(request), 'me'));
  adminHead(app, '/users/view/:id', async (request, id) => users.exists(await ctx.principal(request), id));

  adminRoute(app, 'POST', '/users/add', async (request) => users.add(await ctx.principal(request), parseUserInput(request.body)));

  adminRoute(app, ['POST', 'PUT'], '/users/edit/:id', async (request) => {
    const p = await ctx.principal(request);
    return users.edit(p, pathParam(request, 'id'), parseUserInput(request.body));
  });
  adminRoute(app, ['POST', 'PUT'], '/users/edit', async (request) => users.edit(await ctx.principal(request), 'me', parseUserInput(request.body)));

  adminRoute(app, ['POST', 'DELETE'], '/users/delete/:id', async (request, reply) => {
    const p = await ctx.principal(request);
    const user = await users.delete(p, pathParam(request, 'id'));
    return saved(reply, request, 'User deleted.', { id: String(user.id) });
  });

  app.post('/users/change_pw', async (request, reply) => {
    const p = await ctx.principal(request);
    const body = bodyOf(request);
    const inner = (typeof body.User === 'object' && body.User !== null ? body.User : body) as Record<string, unknown>;
    await users.changePassword(p, reqString(inner.password, 'password', 1024));
    return saved(reply, request, 'Password Changed.');
  });
}
