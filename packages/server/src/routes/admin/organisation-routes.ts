import type { FastifyInstance } from 'fastify';
import { InputError } from '@waggle/errors';
import { parseOrganisationInput, type OrganisationScope } from '@waggle/core';
import { paramsOf, saved, type RouteContext } from '../../http/context.js';
import { adminHead, adminRoute, pathParam } from './admin-routing.js';

const SCOPES: readonly string[] = ['local', 'external', 'all'];

/** organisations/index, view (+HEAD), add, edit, delete; each also under /admin. */
export function registerOrganisationRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { organisations } = ctx.services.admin;

  adminRoute(app, ['GET', 'POST'], '/organisations/index', async (request) => {
    const p = await ctx.principal(request);
    const q = paramsOf(request);
    const scope = q.scope ?? 'local';
    if (!SCOPES.includes(scope)) throw new InputError('scope must be local, external or all', { field: 'scope' });
    const search = q.searchall ?? q.search;
    return organisations.list(p, { scope: scope as OrganisationScope, ...(search !== undefined && search !== '' ? { search } : {}) });
  });

  adminRoute(app, ['GET', 'POST'], '/organisations/view/:id', async (request) => {
    const p = await ctx.principal(request);
    return { Organisation: await organisations.view(p, pathParam(request, 'id')) };
  });
  adminHead(app, '/organisations/view/:id', async (request, id) => organisations.exists(await ctx.principal(request), id));

  adminRoute(app, 'POST', '/organisations/add', async (request) => {
    const p = await ctx.principal(request);
    return { Organisation: await organisations.add(p, parseOrganisationInput(request.body)) };
  });

  adminRoute(app, ['POST', 'PUT'], '/organisations/edit/:id', async (request) => {
    const p = await ctx.principal(request);
    return { Organisation: await organisations.edit(p, pathParam(request, 'id'), parseOrganisationInput(request.body)) };
  });

  adminRoute(app, ['POST', 'DELETE'], '/organisations/delete/:id', async (request, reply) => {
    const p = await ctx.principal(request);
    const org = await organisations.delete(p, pathParam(request, 'id'));
    return saved(reply, request, 'Organisation deleted', { id: String(org.id) });
  });
}
