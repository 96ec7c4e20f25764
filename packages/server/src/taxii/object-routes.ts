import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '@waggle/core';
import { NotFoundError } from '@waggle/errors';
import { parseTaxiiFilter, stixMediaTypeFor, type TaxiiFilter, type TaxiiManifestRecord } from '@waggle/taxii';
import { checkObjectId, dateAddedHeaders, pagingProps, readableCollection, readPage, sendTaxii, type TaxiiRuntime } from './taxii-runtime.js';

type CollectionParams = { collectionId: string };
type ObjectParams = { collectionId: string; objectId: string };

function query(request: FastifyRequest): Record<string, unknown> {
  return (request.query ?? {}) as Record<string, unknown>;
}

/** The filter with the object id of the path forced in (the query cannot name another). */
function forObject(filter: TaxiiFilter, objectId: string): TaxiiFilter {
  return { ...filter, match: { ...filter.match, id: [objectId] } };
}

/** 404 when the object has no version at all in the collection (as opposed to none matching the filter). */
async function ensureObjectExists(rt: TaxiiRuntime, p: Principal, collectionId: string, objectId: string): Promise<void> {
  const probe = await rt.source.objects(p, collectionId, { match: { id: [objectId], type: [], version: [{ kind: 'all' }], specVersion: [] } }, { limit: 1 });
  if (probe.objects.length === 0) throw new NotFoundError(`No object ${objectId} in collection ${JSON.stringify(collectionId)}`, { field: 'objectId' });
}

/** GET objects, manifest, one object and its versions (TAXII 2.1 sections 5.3, 5.5, 5.6, 5.8). */
export function registerObjectReadRoutes(scope: FastifyInstance, rt: TaxiiRuntime): void {
  scope.get<{ Params: CollectionParams }>('/collections/:collectionId/objects/', async (request, reply) => {
    const p = await rt.ctx.principal(request);
    const filter = parseTaxiiFilter(query(request), 'objects');
    const c = await readableCollection(rt, p, request.params.collectionId);
    const page = await readPage(rt, p, c.id, 'objects', filter);
    dateAddedHeaders(reply, page.records);
    return sendTaxii(reply, { ...pagingProps(page), ...(page.records.length > 0 ? { objects: page.records.map((r) => r.object) } : {}) });
  });

  scope.get<{ Params: CollectionParams }>('/collections/:collectionId/manifest/', async (request, reply) => {
    const p = await rt.ctx.principal(request);
    const filter = parseTaxiiFilter(query(request), 'manifest');
    const c = await readableCollection(rt, p, request.params.collectionId);
    const page = await readPage(rt, p, c.id, 'manifest', filter);
    dateAddedHeaders(reply, page.records);
    const records = page.records.map((r): TaxiiManifestRecord => ({ id: r.object.id, date_added: r.dateAdded, version: r.version, media_type: stixMediaTypeFor(r.object.spec_version) }));
    return sendTaxii(reply, { ...pagingProps(page), ...(records.length > 0 ? { objects: records } : {}) });
  });

  scope.get<{ Params: ObjectParams }>('/collections/:collectionId/objects/:objectId/', async (request, reply) => {
    const p = await rt.ctx.principal(request);
    const objectId = checkObjectId(request.params.objectId);
    const filter = forObject(parseTaxiiFilter(query(request), 'object'), objectId);
    const c = await readableCollection(rt, p, request.params.collectionId);
    const page = await readPage(rt, p, c.id, `object:${objectId}`, filter);
    if (page.records.length === 0 && filter.next === undefined) await ensureObjectExists(rt, p, c.id, objectId);
    dateAddedHeaders(reply, page.records);
    return sendTaxii(reply, { ...pagingProps(page), ...(page.records.length > 0 ? { objects: page.records.map((r) => r.object) } : {}) });
  });

  scope.get<{ Params: ObjectParams }>('/collections/:collectionId/objects/:objectId/versions/', async (request, reply) => {
    const p = await rt.ctx.principal(request);
    const objectId = checkObjectId(request.params.objectId);
    const filter = forObject(parseTaxiiFilter(query(request), 'versions'), objectId);
    const c = await readableCollection(rt, p, request.params.collectionId);
    const page = await readPage(rt, p, c.id, `versions:${objectId}`, filter);
    if (page.records.length === 0 && filter.next === undefined) await ensureObjectExists(rt, p, c.id, objectId);
    dateAddedHeaders(reply, page.records);
    return sendTaxii(reply, { ...pagingProps(page), ...(page.records.length > 0 ? { versions: page.records.map((r) => r.version) } : {}) });
  });
}
