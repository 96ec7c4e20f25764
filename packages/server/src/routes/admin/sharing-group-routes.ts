import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { optBool, parseSharingGroupInput } from '@waggle/core';
import { saved, type RouteContext } from '../../http/context.js';
import { adminHead, adminRoute, argsOf, pathParam, refFrom } from './admin-routing.js';

/**
 * sharing_groups/index, view (+HEAD), add, edit, delete, and add_org/remove_org/
 * add_server/remove_server (ids in the path, or `sg_id`/`org_id`/`server_id` in
 * the body as PyMISP sends them); each also under /admin.
 */
export function registerSharingGroupRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { sharingGroups } = ctx.services.admin;

  // MISP wraps this one list in "response" (PyMISP unwraps it).
  adminRoute(app, ['GET', 'POST'], '/sharing_groups/index', async (request) => ({ response: await sharingGroups.list(await ctx.principal(request)) }));

  adminRoute(app, ['GET', 'POST'], '/sharing_groups/view/:id', async (request) => sharingGroups.view(await ctx.principal(request), pathParam(request, 'id')));
  adminHead(app, '/sharing_groups/view/:id', async (request, id) => sharingGroups.exists(await ctx.principal(request), id));

  adminRoute(app, 'POST', '/sharing_groups/add', async (request) => sharingGroups.add(await ctx.principal(request), parseSharingGroupInput(request.body)));

  adminRoute(app, ['POST', 'PUT'], '/sharing_groups/edit/:id', async (request) => {
    const p = await ctx.principal(request);
    return sharingGroups.edit(p, pathParam(request, 'id'), parseSharingGroupInput(request.body));
  });

  adminRoute(app, ['POST', 'DELETE'], '/sharing_groups/delete/:id', async (request, reply) => {
    const p = await ctx.principal(request);
    const sg = await sharingGroups.delete(p, pathParam(request, 'id'));
    return saved(reply, request, 'SharingGroup deleted', { id: String(sg.id) });
  });

  type Member = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;
  const member = (path: string, handler: Member): void => {
    adminRoute(app, 'POST', `/sharing_groups/${path}`, handler);
    adminRoute(app, 'POST', `/sharing_groups/${path}/:sg/:member`, handler);
  };

  member('add_org', async (request, reply) => {
    const p = await ctx.principal(request);
    const extend = optBool(argsOf(request).extend, 'extend') ?? false;
    await sharingGroups.addOrg(p, refFrom(request, 'sg', 'sg_id'), refFrom(request, 'member', 'org_id'), extend);
    return saved(reply, request, 'Organisation added to the sharing group.');
  });
  member('remove_org', async (request, reply) => {
    const p = await ctx.principal(request);
    await sharingGroups.removeOrg(p, refFrom(request, 'sg', 'sg_id'), refFrom(request, 'member', 'org_id'));
    return saved(reply, request, 'Organisation removed from the sharing group.');
  });
  member('add_server', async (request, reply) => {
    const p = await ctx.principal(request);
    const allOrgs = optBool(argsOf(request).all_orgs, 'all_orgs') ?? false;
    await sharingGroups.addServer(p, refFrom(request, 'sg', 'sg_id'), refFrom(request, 'member', 'server_id'), allOrgs);
    return saved(reply, request, 'Server added to the sharing group.');
  });
  member('remove_server', async (request, reply) => {
    const p = await ctx.principal(request);
    await sharingGroups.removeServer(p, refFrom(request, 'sg', 'sg_id'), refFrom(request, 'member', 'server_id'));
    return saved(reply, request, 'Server removed from the sharing group.');
  });
}
