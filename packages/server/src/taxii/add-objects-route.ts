import type { FastifyInstance } from 'fastify';
import { ForbiddenError, InputError, NotFoundError } from '@waggle/errors';
import { formatTaxiiTimestamp, isStixId, versionOf, type StixLike, type TaxiiStatus, type TaxiiStatusDetails } from '@waggle/taxii';
import { sendTaxii, visibleCollection, type TaxiiRuntime } from './taxii-runtime.js';
import type { TaxiiAddResult } from './taxii-source.js';

/**
 * Checks a posted envelope. Any malformed object refuses the whole request
 * (400) before anything is stored, so a client never has to untangle a half-done add.
 */
export function parseEnvelopeBody(body: unknown): StixLike[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InputError('The body must be a TAXII envelope: {"objects": [...]}', { field: 'objects' });
  const objects = (body as { objects?: unknown }).objects;
  if (objects === undefined) return [];
  if (!Array.isArray(objects)) throw new InputError('objects must be a list of STIX objects', { field: 'objects' });
  return objects.map((o: unknown, i) => {
    if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new InputError(`objects[${i}] is not a JSON object`, { field: `objects[${i}]` });
    const { type, id } = o as { type?: unknown; id?: unknown };
    if (typeof type !== 'string' || typeof id !== 'string') throw new InputError(`objects[${i}] needs a string type and id`, { field: `objects[${i}]` });
    if (!isStixId(id) || !id.startsWith(`${type}--`)) throw new InputError(`objects[${i}].id ${JSON.stringify(id)} is not a STIX identifier of type ${type}`, { field: `objects[${i}].id` });
    return o as StixLike;
  });
}

/** The status resource of a completed add: per-object successes and failures. */
export function buildStatus(id: string, requestTimestamp: string, objects: readonly StixLike[], result: TaxiiAddResult): TaxiiStatus {
  const failedById = new Map(result.failed.map((f) => [f.id, f.message]));
  const successes: TaxiiStatusDetails[] = [];
  const failures: TaxiiStatusDetails[] = [];
  for (const o of objects) {
    const version = versionOf(o, requestTimestamp);
    const message = failedById.get(o.id);
    if (message === undefined) successes.push({ id: o.id, version });
    else failures.push({ id: o.id, version, message });
  }
  return {
    id,
    status: 'complete',
    request_timestamp: requestTimestamp,
    total_count: objects.length,
    success_count: successes.length,
    ...(successes.length > 0 ? { successes } : {}),
    failure_count: failures.length,
    ...(failures.length > 0 ? { failures } : {}),
    pending_count: 0,
  };
}

/** POST objects (section 5.4) and GET status (section 4.3). */
export function registerAddObjectsRoutes(scope: FastifyInstance, rt: TaxiiRuntime): void {
  scope.post<{ Params: { collectionId: string } }>('/collections/:collectionId/objects/', { bodyLimit: rt.config.maxContentLength }, async (request, reply) => {
    const p = await rt.ctx.principal(request);
    const requestTimestamp = formatTaxiiTimestamp(rt.config.now());
    const c = await visibleCollection(rt, p, request.params.collectionId);
    const add = rt.source.add;
    if (!c.can_write || add === undefined) throw new ForbiddenError(`Collection ${JSON.stringify(c.id)} is not writable`);
    if (p.readOnly) throw new ForbiddenError('A read-only API key cannot add objects');
    const objects = parseEnvelopeBody(request.body);
    const result = objects.length === 0 ? { succeeded: 0, failed: [] } : await add.call(rt.source, p, c.id, objects);
    const status = buildStatus(rt.config.ids(), requestTimestamp, objects, result);
    rt.statuses.put(status, p.user.id);
    return sendTaxii(reply, status, 202);
  });

  scope.get<{ Params: { statusId: string } }>('/status/:statusId/', async (request, reply) => {
    const p = await rt.ctx.principal(request);
    const status = rt.statuses.get(request.params.statusId, p.user.id);
    if (status === undefined) throw new NotFoundError(`No status ${JSON.stringify(request.params.statusId)}`);
    return sendTaxii(reply, status);
  });
}
