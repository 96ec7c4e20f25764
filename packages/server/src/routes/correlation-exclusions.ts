import type { FastifyInstance } from 'fastify';
import { InputError } from '@waggle/errors';
import { bodyOf, isTruthy, saved, type RouteContext } from '../http/context.js';

/** MISP's correlation exclusions, as PyMISP calls them (`correlation_exclusions/*`). */
export function registerCorrelationExclusionRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { correlationExclusions } = ctx.services;
  for (const url of ['/correlation_exclusions', '/correlation_exclusions/index']) {
    app.get(url, async (request) => correlationExclusions.list(await ctx.principal(request)));
  }
  app.get('/correlation_exclusions/view/:id', async (request) => correlationExclusions.view(await ctx.principal(request), (request.params as { id: string }).id));
  app.post('/correlation_exclusions/add', async (request) => {
    const p = await ctx.principal(request);
    const body = bodyOf(request);
    const inner = typeof body.CorrelationExclusion === 'object' && body.CorrelationExclusion !== null ? (body.CorrelationExclusion as Record<string, unknown>) : body;
    if (typeof inner.value !== 'string') throw new InputError('CorrelationExclusion.value is required (a string)', { field: 'CorrelationExclusion.value' });
    if (inner.comment !== undefined && inner.comment !== null && typeof inner.comment !== 'string') throw new InputError('CorrelationExclusion.comment must be a string', { field: 'CorrelationExclusion.comment' });
    return correlationExclusions.add(p, {
      value: inner.value,
      ...(typeof inner.comment === 'string' ? { comment: inner.comment } : {}),
      ...(inner.from_json !== undefined ? { from_json: isTruthy(inner.from_json) } : {}),
    });
  });
  app.route({
    method: ['POST', 'DELETE'],
    url: '/correlation_exclusions/delete/:id',
    handler: async (request, reply) => {
      const x = await correlationExclusions.delete(await ctx.principal(request), (request.params as { id: string }).id);
      return saved(reply, request, 'Correlation exclusion deleted.', { id: String(x.id) });
    },
  });
  app.post('/correlation_exclusions/clean', async (request, reply) => {
    const n = await correlationExclusions.clean(await ctx.principal(request));
    return saved(reply, request, `Correlations are computed when read: ${String(n)} exclusion(s) already apply, nothing stored to clean.`);
  });
}
