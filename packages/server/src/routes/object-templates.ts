import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../http/context.js';

/** The message MISP's `ObjectTemplatesController::update` flashes for what an update did. */
export function templateUpdateMessage(stored: number, failed: number): string {
  if (stored === 0 && failed === 0) return 'All object templates are up to date already.';
  if (stored === 0) return 'Could not update any of the object templates';
  return `Successfully updated ${stored} object templates.${failed > 0 ? ` However, could not update ${failed} object templates.` : ''}`;
}

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
  // MISP answers with a redirect to the index (its message goes to the session's flash), so
  // PyMISP's update_object_templates() returns the template list; the message is in a header.
  app.post('/object_templates/update', async (request, reply) => {
    const { stored, problems } = objectTemplates.update(await ctx.principal(request));
    const message = templateUpdateMessage(stored, problems.length);
    request.log.info({ stored, failed: problems.length }, 'object templates update');
    for (const problem of problems) request.log.warn(`object templates update: ${problem}`);
    // Relative, so it resolves beside the update URL whatever prefix a reverse proxy adds.
    const location = (request.originalUrl.split('?')[0] ?? '').endsWith('/') ? '../index' : 'index';
    return reply.header('x-waggle-message', message).redirect(location, 302);
  });
}
