import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { InputError } from '@waggle/errors';
import { acceptsTaxii, isTaxiiContentType, TAXII_MEDIA_TYPE, type TaxiiApiRoot, type TaxiiDiscovery } from '@waggle/taxii';
import type { RouteContext } from '../http/context.js';
import { registerAddObjectsRoutes } from './add-objects-route.js';
import { registerObjectReadRoutes } from './object-routes.js';
import { normaliseTaxiiAuthorization } from './taxii-auth.js';
import { sendTaxiiError, taxiiErrorHandler, TaxiiProtocolError } from './taxii-errors.js';
import { sendTaxii, visibleCollection, type TaxiiConfig, type TaxiiRuntime } from './taxii-runtime.js';
import type { TaxiiSource } from './taxii-source.js';
import { createTaxiiStatusStore } from './taxii-status-store.js';

/** Where TAXII 2.1 discovery lives (fixed by the specification's convention: `/taxii2/`). */
export const TAXII_DISCOVERY_PATH = '/taxii2';

/** Options of registerTaxiiRoutes. */
export interface TaxiiRouteOptions {
  readonly title: string;
  readonly description?: string;
  readonly contact?: string;
  /** The one API root's path (default `/taxii2/api`); lower-case segments of letters, digits, `-` and `_`. */
  readonly apiRootPath?: string;
  /** Largest accepted POST body in bytes, advertised as `max_content_length` (default 10 MiB). */
  readonly maxContentLength?: number;
  /** Page size when the client sends no `limit` (default 100). */
  readonly defaultPageSize?: number;
  /** Largest page whatever the client asks (default 1000). */
  readonly maxPageSize?: number;
  /** Ids of status resources and error messages (default random UUIDs). */
  readonly ids?: () => string;
  /** Clock for status request timestamps (default the system clock). */
  readonly now?: () => Date;
}

// Lower case because the app's MISP URL rewrite snake-cases the first two segments.
const PATH = /^(\/[a-z0-9_-]+)+$/;

function resolveOptions(o: TaxiiRouteOptions): TaxiiConfig {
  const apiRootPath = (o.apiRootPath ?? '/taxii2/api').replace(/\/+$/, '');
  if (!PATH.test(apiRootPath) || apiRootPath === TAXII_DISCOVERY_PATH) {
    throw new InputError(`TAXII apiRootPath must look like /taxii2/api (lower-case segments, not ${TAXII_DISCOVERY_PATH} itself), got ${JSON.stringify(o.apiRootPath)}`, { field: 'apiRootPath' });
  }
  if (o.title.trim() === '') throw new InputError('TAXII title must not be empty', { field: 'title' });
  const int = (v: number | undefined, d: number, field: string): number => {
    const n = v ?? d;
    if (!Number.isInteger(n) || n < 1) throw new InputError(`TAXII ${field} must be a positive integer`, { field });
    return n;
  };
  const maxPageSize = int(o.maxPageSize, 1000, 'maxPageSize');
  return {
    title: o.title,
    ...(o.description !== undefined ? { description: o.description } : {}),
    ...(o.contact !== undefined ? { contact: o.contact } : {}),
    apiRootPath,
    maxContentLength: int(o.maxContentLength, 10 * 1024 * 1024, 'maxContentLength'),
    defaultPageSize: Math.min(int(o.defaultPageSize, 100, 'defaultPageSize'), maxPageSize),
    maxPageSize,
    ids: o.ids ?? randomUUID,
    now: o.now ?? (() => new Date()),
  };
}

/**
 * Installs what every TAXII route shares, inside an encapsulated scope so the
 * MISP API is untouched: the TAXII content-type parser, TAXII error bodies, a
 * TAXII 404, and an onRequest gate that authenticates (401), negotiates Accept
 * (406) and checks a POST's Content-Type (415) before any body is read.
 */
function installScope(scope: FastifyInstance, rt: TaxiiRuntime): void {
  scope.addContentTypeParser('application/taxii+json', { parseAs: 'string', bodyLimit: rt.config.maxContentLength }, (_req, body, done) => {
    try {
      done(null, JSON.parse(typeof body === 'string' ? body : body.toString('utf8')) as unknown);
    } catch (error) {
      done(new InputError(`Malformed JSON body: ${(error as Error).message}`), undefined);
    }
  });
  scope.setErrorHandler(taxiiErrorHandler(rt.config.ids));
  scope.setNotFoundHandler((request, reply) => {
    void sendTaxiiError(reply, 404, 'not_found', `No TAXII endpoint ${request.method} ${request.url.split('?')[0] ?? ''}`, rt.config.ids());
  });
  scope.addHook('onRequest', async (request) => {
    normaliseTaxiiAuthorization(request);
    await rt.ctx.principal(request);
    if (!acceptsTaxii(request.headers.accept)) throw new TaxiiProtocolError('not_acceptable', `This server answers ${TAXII_MEDIA_TYPE} only; the Accept header does not allow it`);
    if (request.method === 'POST' && !isTaxiiContentType(request.headers['content-type'])) {
      throw new TaxiiProtocolError('unsupported_media_type', `Content-Type must be ${TAXII_MEDIA_TYPE}`);
    }
  });
}

/**
 * Serves TAXII 2.1 (discovery, one API root, collections, objects, manifest,
 * versions, add objects, status) from `source`. Authentication is the server's
 * own: `ctx.principal` after HTTP Basic (password = API key) is turned into the
 * raw key. Call before the app is ready; throws InputError for bad options.
 */
export function registerTaxiiRoutes(app: FastifyInstance, ctx: RouteContext, source: TaxiiSource, options: TaxiiRouteOptions): void {
  const config = resolveOptions(options);
  const rt: TaxiiRuntime = { ctx, source, config, statuses: createTaxiiStatusStore() };

  void app.register(
    async (scope) => {
      installScope(scope, rt);
      scope.get('/', async (request, reply) => {
        await ctx.principal(request);
        const root = `${config.apiRootPath}/`;
        const body: TaxiiDiscovery = {
          title: config.title,
          ...(config.description !== undefined ? { description: config.description } : {}),
          ...(config.contact !== undefined ? { contact: config.contact } : {}),
          default: root,
          api_roots: [root],
        };
        return sendTaxii(reply, body);
      });
    },
    { prefix: TAXII_DISCOVERY_PATH },
  );

  void app.register(
    async (scope) => {
      installScope(scope, rt);
      scope.get('/', async (request, reply) => {
        await ctx.principal(request);
        const body: TaxiiApiRoot = {
          title: config.title,
          ...(config.description !== undefined ? { description: config.description } : {}),
          versions: [TAXII_MEDIA_TYPE],
          max_content_length: config.maxContentLength,
        };
        return sendTaxii(reply, body);
      });
      scope.get('/collections/', async (request, reply) => {
        const collections = await source.collections(await ctx.principal(request));
        return sendTaxii(reply, collections.length > 0 ? { collections } : {});
      });
      scope.get<{ Params: { collectionId: string } }>('/collections/:collectionId/', async (request, reply) => {
        return sendTaxii(reply, await visibleCollection(rt, await ctx.principal(request), request.params.collectionId));
      });
      registerObjectReadRoutes(scope, rt);
      registerAddObjectsRoutes(scope, rt);
    },
    { prefix: config.apiRootPath },
  );
}
