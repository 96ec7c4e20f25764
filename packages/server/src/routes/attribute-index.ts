import type { FastifyInstance } from 'fastify';
import { InputError, NotFoundError } from '@waggle/errors';
import { ATTRIBUTE_SORT_COLUMNS, attributeJson, type MispJson, type SearchFilters } from '@waggle/core';
import { paramsOf, type RouteContext } from '../http/context.js';

/** MISP's AttributesController paginator: 60 a page by default, at most 9999. */
const DEFAULT_LIMIT = 60;
const MAX_LIMIT = 9999;

function positiveInt(v: string | undefined, field: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  if (!/^\d{1,9}$/.test(v.trim()) || Number(v) < 1) throw new InputError(`${field} must be a positive integer`, { field });
  return Number(v);
}

/** `sort` (an attribute column, `Attribute.`-prefixed or not; `value` is `value1`) and `direction` (asc without one, as CakePHP). */
function orderOf(sort: string | undefined, direction: string | undefined): NonNullable<SearchFilters['attributeOrder']> {
  if (sort === undefined || sort === '') return { column: 'event_id', direction: 'desc' };
  const name = sort.replace(/^Attribute\./i, '').toLowerCase();
  const column = ATTRIBUTE_SORT_COLUMNS.find((c) => c === (name === 'value' ? 'value1' : name));
  if (column === undefined) throw new InputError(`sort: unknown attribute field "${sort}"`, { field: 'sort' });
  const dir = direction === undefined || direction === '' ? 'asc' : direction.toLowerCase();
  if (dir !== 'asc' && dir !== 'desc') throw new InputError('direction must be asc or desc', { field: 'direction' });
  return { column, direction: dir };
}

/**
 * `GET attributes/index` (PyMISP `attributes()`): one page of the live attributes the caller may see,
 * as MISP's AttributesController::index answers a REST call: a flat list of attributes, newest event
 * first, 60 a page unless `limit` (≤ 9999) says otherwise; `page`, `sort`, `direction` and
 * `searchvalue` as named parameters. Reads go through the attribute search (visibility, the
 * anonymisation policy and UMA scoping included).
 */
export function registerAttributeIndexRoute(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/attributes/index', async (request) => {
    const p = await ctx.principal(request);
    const params = paramsOf(request);
    const limit = Math.min(positiveInt(params.limit, 'limit') ?? DEFAULT_LIMIT, MAX_LIMIT);
    const page = positiveInt(params.page, 'page') ?? 1;
    const value = params.searchvalue;
    const filters: SearchFilters = {
      deleted: false,
      limit,
      page,
      attributeOrder: orderOf(params.sort, params.direction),
      ...(value !== undefined && value !== '' ? { value: { include: [value], exclude: [] } } : {}),
    };
    const rows: MispJson[] = [];
    for await (const batch of ctx.services.attributes.searchRecords(p, filters, limit)) rows.push(...batch.map((a) => attributeJson(a)));
    // CakePHP's paginator answers 404 for a page after the last one.
    if (rows.length === 0 && page > 1) throw new NotFoundError('Not Found', { field: 'page' });
    return rows;
  });
}
