import type { FastifyReply } from 'fastify';
import type { Principal } from '@waggle/core';
import { ForbiddenError, InputError, NotFoundError } from '@waggle/errors';
import { decodeTaxiiCursor, encodeTaxiiCursor, isStixId, TAXII_MEDIA_TYPE, type TaxiiCollection, type TaxiiFilter } from '@waggle/taxii';
import type { RouteContext } from '../http/context.js';
import type { TaxiiSource, TaxiiSourceRecord } from './taxii-source.js';
import type { TaxiiStatusStore } from './taxii-status-store.js';

/** Route options after defaults and checks. */
export interface TaxiiConfig {
  readonly title: string;
  readonly description?: string;
  readonly contact?: string;
  /** Without a trailing slash, e.g. `/taxii2/api`. */
  readonly apiRootPath: string;
  readonly maxContentLength: number;
  readonly defaultPageSize: number;
  readonly maxPageSize: number;
  readonly ids: () => string;
  readonly now: () => Date;
}

/** What every TAXII route handler uses. */
export interface TaxiiRuntime {
  readonly ctx: RouteContext;
  readonly source: TaxiiSource;
  readonly config: TaxiiConfig;
  readonly statuses: TaxiiStatusStore;
}

/**
 * Sends a TAXII resource with exactly TAXII's media type. The body goes out
 * pre-serialised as bytes because Fastify rewrites a JSON-like Content-Type
 * (quotes `version="2.1"`, appends a charset), which strict TAXII clients reject.
 */
export function sendTaxii(reply: FastifyReply, body: unknown, status = 200): FastifyReply {
  return reply.status(status).header('content-type', TAXII_MEDIA_TYPE).send(Buffer.from(JSON.stringify(body), 'utf8'));
}

/**
 * The collection `id` as `p` sees it. Unknown and invisible collections are
 * both 404 (TAXII 2.1 answers 404 when the client may not know of a resource).
 */
export async function visibleCollection(rt: TaxiiRuntime, p: Principal, id: string): Promise<TaxiiCollection> {
  const found = (await rt.source.collections(p)).find((c) => c.id === id);
  if (found === undefined) throw new NotFoundError(`No collection ${JSON.stringify(id)} in this API root`, { field: 'collectionId' });
  return found;
}

/** Like visibleCollection, and refuses (403) when `p` may see but not read it. */
export async function readableCollection(rt: TaxiiRuntime, p: Principal, id: string): Promise<TaxiiCollection> {
  const c = await visibleCollection(rt, p, id);
  if (!c.can_read) throw new ForbiddenError(`Collection ${JSON.stringify(id)} cannot be read with these credentials`);
  return c;
}

/** One page from the source, with the source's position wrapped into an opaque `next` token. */
export interface TaxiiPage {
  readonly records: readonly TaxiiSourceRecord[];
  readonly more: boolean;
  readonly next?: string;
}

/**
 * Reads one page. The token scope covers everything that defines the result
 * set (collection, endpoint, object, added_after, match), so a token is refused
 * when replayed against a different query; the page size may change between pages.
 */
export async function readPage(rt: TaxiiRuntime, p: Principal, collectionId: string, endpoint: string, filter: TaxiiFilter): Promise<TaxiiPage> {
  const scope = JSON.stringify([collectionId, endpoint, filter.addedAfter ?? null, filter.match]);
  const position = filter.next === undefined ? undefined : decodeTaxiiCursor(filter.next, scope);
  const limit = Math.min(filter.limit ?? rt.config.defaultPageSize, rt.config.maxPageSize);
  const page = await rt.source.objects(p, collectionId, withoutPaging(filter), { limit, ...(position !== undefined ? { next: position } : {}) });
  const next = page.more && page.next !== undefined ? encodeTaxiiCursor(page.next, scope) : undefined;
  return { records: page.objects, more: page.more, ...(next !== undefined ? { next } : {}) };
}

function withoutPaging(filter: TaxiiFilter): TaxiiFilter {
  return { ...(filter.addedAfter !== undefined ? { addedAfter: filter.addedAfter } : {}), match: filter.match };
}

/** Sets X-TAXII-Date-Added-First/Last from a page (absent when the page is empty). */
export function dateAddedHeaders(reply: FastifyReply, records: readonly TaxiiSourceRecord[]): void {
  const first = records[0];
  const last = records[records.length - 1];
  if (first === undefined || last === undefined) return;
  void reply.header('x-taxii-date-added-first', first.dateAdded);
  void reply.header('x-taxii-date-added-last', last.dateAdded);
}

/** The paging part of a listing answer: `more` and `next` only when there is more. */
export function pagingProps(page: TaxiiPage): { more?: boolean; next?: string } {
  return page.more ? { more: true, ...(page.next !== undefined ? { next: page.next } : {}) } : { more: false };
}

/** Checks that a path segment is a STIX id (400 otherwise). */
export function checkObjectId(value: string): string {
  if (!isStixId(value)) throw new InputError(`${JSON.stringify(value)} is not a STIX identifier (type--uuid)`, { field: 'objectId' });
  return value;
}
