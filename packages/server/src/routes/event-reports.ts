import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InputError } from '@waggle/errors';
import { parseEventReport, type Principal, type ReportContext } from '@waggle/core';
import { bodyOf, isPolicyRecipient, isTruthy, paramsOf, principalOutsidePolicy, saved, type RouteContext } from '../http/context.js';

const CONTEXTS: readonly ReportContext[] = ['default', 'deleted', 'all'];

/** MISP event reports (`eventReports/*`, rewritten to `event_reports/*`), as PyMISP calls them. */
export function registerEventReportRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { eventReports } = ctx.services;
  const principal = async (request: FastifyRequest): Promise<Principal> => principalOutsidePolicy(ctx, request, 'Invalid report.');
  const idOf = (request: { params: unknown }): string => (request.params as { id: string }).id;

  app.route({
    method: ['POST', 'PUT'],
    url: '/event_reports/add/:eventId',
    handler: async (request) => {
      const p = await principal(request);
      return eventReports.add(p, (request.params as { eventId: string }).eventId, parseEventReport(bodyOf(request)));
    },
  });
  app.route({
    method: ['POST', 'PUT'],
    url: '/event_reports/add',
    handler: async () => {
      throw new InputError('No event ID set: POST eventReports/add/{event id}', { field: 'event_id' });
    },
  });

  app.get('/event_reports/view/:id', async (request) => eventReports.view(await principal(request), idOf(request)));

  app.route({
    method: ['POST', 'PUT'],
    url: '/event_reports/edit/:id',
    handler: async (request) => eventReports.edit(await principal(request), idOf(request), parseEventReport(bodyOf(request))),
  });

  // `hard` as the path's last segment (`delete/{id}/1`), else in the body or as a named parameter.
  app.route({
    method: ['POST', 'DELETE'],
    url: '/event_reports/delete/:id/:hard?',
    handler: async (request, reply) => {
      const inPath = (request.params as { hard?: string }).hard;
      const hard = isTruthy(inPath ?? { ...paramsOf(request), ...bodyOf(request) }.hard);
      const report = await eventReports.delete(await principal(request), idOf(request), hard);
      // MISP names the report as the request did (PyMISP sends the UUID): "Event Report <uuid> soft deleted".
      return saved(reply, request, `Event Report ${idOf(request)} ${hard ? 'hard' : 'soft'} deleted`, { id: String(report.id) });
    },
  });

  app.post('/event_reports/restore/:id', async (request, reply) => {
    const report = await eventReports.restore(await principal(request), idOf(request));
    return saved(reply, request, `Event Report ${idOf(request)} restored`, { id: String(report.id) });
  });

  for (const url of ['/event_reports/index', '/event_reports/index/:eventId']) {
    app.route({
      method: ['GET', 'POST'],
      url,
      handler: async (request) => {
        const p = await ctx.principal(request);
        if (isPolicyRecipient(ctx, p)) return [];
        const o = { ...bodyOf(request), ...paramsOf(request) } as Record<string, unknown>;
        const eventId = o.event_id ?? o.eventId;
        const context = o.context === undefined || o.context === '' ? undefined : String(o.context);
        if (context !== undefined && !CONTEXTS.includes(context as ReportContext)) {
          throw new InputError(`context must be one of ${CONTEXTS.join(', ')}`, { field: 'context' });
        }
        return eventReports.index(p, {
          ...(eventId !== undefined && eventId !== '' ? { eventId: String(eventId) } : {}),
          ...(typeof o.value === 'string' && o.value !== '' ? { value: o.value } : {}),
          ...(context !== undefined ? { context: context as ReportContext } : {}),
        });
      },
    });
  }
}
