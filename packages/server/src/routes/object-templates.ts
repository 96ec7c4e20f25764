import type { FastifyInstance } from 'fastify';
import { saved, type RouteContext } from '../http/context.js';

/** MISP's `objectTemplates/*` as PyMISP calls them: index, view, getRaw, update. */
export function registerObjectTemplateRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { objectTemplates } = ctx.services;
  for (const url of ['/object_templates', '/object_templates/index']) {
    app.get(url, async (request) => {
      await ctx.principal(request);
      return objectTemplates.list();
    });
  }
  app.get('/object_templates/view/:ref', async (request) => {
    await ctx.principal(request);
    return objectTemplates.view((request.params as { ref: string }).ref);
  });
  app.get('/object_templates/get_raw/:ref', async (request) => {
    await ctx.principal(request);
    return objectTemplates.raw((request.params as { ref: string }).ref);
  });
  app.post('/object_templates/update', async (request, reply) => {
    const { stored, problems } = objectTemplates.update(await ctx.principal(request));
    return saved(reply, request, `Object templates updated: ${String(stored)} new or newer.`, { stored, problems });
  });
}
