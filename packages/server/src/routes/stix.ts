import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InputError } from '@waggle/errors';
import { paramsOf, saved, type RouteContext } from '../http/context.js';
import { importStixBundle } from '../stix/import-stix-bundle.js';

/**
 * STIX 2.1 in the MISP API: `POST /events/upload_stix[/2]` (PyMISP's
 * `upload_stix(path, version='2')`) imports a bundle as events. The restSearch
 * `stix2` format lives with the other search formats (search/send-search.ts).
 */
export function registerStixRoutes(app: FastifyInstance, ctx: RouteContext): void {
  void app.register(async (scope) => {
    // STIX's own media type, besides the JSON PyMISP sends.
    scope.addContentTypeParser(['application/stix+json'], { parseAs: 'string' }, (_req, body, done) => {
      try {
        done(null, JSON.parse(typeof body === 'string' ? body : body.toString('utf8')) as unknown);
      } catch (error) {
        done(new InputError(`The body is not JSON: ${(error as Error).message}`), undefined);
      }
    });

    const upload = async (request: FastifyRequest, reply: FastifyReply) => {
      const p = await ctx.principal(request);
      const version = paramsOf(request).version ?? '2';
      // MISP's default (no version) is STIX 1 XML; waggle reads JSON bundles, so no version means 2.
      if (!['2', '2.0', '2.1'].includes(version)) throw new InputError(`STIX version ${JSON.stringify(version)} is not supported: only STIX 2 (JSON bundles) can be uploaded`, { field: 'version' });
      const result = await importStixBundle(ctx.services, p, request.body);
      const [only] = result.events;
      void reply.header('x-waggle-stix-warnings', String(result.warnings.length));
      if (result.events.length === 1 && only !== undefined) {
        return { Event: await ctx.services.events.view(p, String(only.event.uuid), { includeCorrelations: false }) };
      }
      const ids = result.events.map((e) => String(e.event.id));
      return saved(reply, request, `STIX document imported, event's created: ${ids.join(', ')}.`, {
        events: result.events.map((e) => ({ id: String(e.event.id), uuid: String(e.event.uuid), info: String(e.event.info), action: e.action })),
      });
    };
    scope.post('/events/upload_stix', upload);
    scope.post('/events/upload_stix/:version', upload);
  });
}
