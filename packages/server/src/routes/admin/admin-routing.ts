import type { FastifyInstance, FastifyRequest, HTTPMethods, RouteHandlerMethod } from 'fastify';
import { InputError } from '@waggle/errors';
import { parseRef, type Ref } from '@waggle/core';
import { bodyOf, paramsOf } from '../../http/context.js';

/**
 * Registers a handler under `path` and its `/admin` twin: MISP serves most
 * administration actions under both prefixes and clients use either.
 */
export function adminRoute(app: FastifyInstance, method: HTTPMethods | HTTPMethods[], path: string, handler: RouteHandlerMethod): void {
  for (const url of [path, `/admin${path}`]) app.route({ method, url, handler });
}

/** HEAD for an exists check: 200 or 404, empty body (PyMISP raises on anything else). */
export function adminHead(app: FastifyInstance, path: string, exists: (request: FastifyRequest, id: string) => Promise<boolean>): void {
  for (const url of [path, `/admin${path}`]) {
    app.head(url, async (request, reply) => reply.status((await exists(request, pathParam(request, 'id'))) ? 200 : 404).send());
  }
}

/** A path parameter; CakePHP reads `+` in a path as a space, and PyMISP relies on it. */
export function pathParam(request: FastifyRequest, name: string): string {
  const v = (request.params as Record<string, string | undefined>)[name];
  if (v === undefined || v === '') throw new InputError(`${name} is required`, { field: name });
  return v.replace(/\+/g, ' ');
}

/** Body fields merged over named parameters (`/k:v` segments end up in the query). */
export function argsOf(request: FastifyRequest): Record<string, unknown> {
  return { ...paramsOf(request), ...bodyOf(request) };
}

/** A reference from the path if present, else from the body/query field; required. */
export function refFrom(request: FastifyRequest, pathName: string, field: string): Ref {
  const fromPath = (request.params as Record<string, string | undefined>)[pathName];
  const ref = parseRef(fromPath ?? argsOf(request)[field], field);
  if (ref === undefined) throw new InputError(`${field} is required`, { field });
  return typeof ref === 'string' ? ref.replace(/\+/g, ' ') : ref;
}
