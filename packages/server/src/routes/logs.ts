import type { FastifyInstance } from 'fastify';
import { InputError } from '@waggle/errors';
import type { LogSearch } from '@waggle/core';
import { bodyOf, paramsOf, type RouteContext } from '../http/context.js';
import { intList, timeRange } from '../search/parse-filters.js';

type Body = Record<string, unknown>;

/** Text alternatives of one filter: a string or a list of strings (`%` patterns kept as given). */
function texts(v: unknown, field: string): string[] | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const items = Array.isArray(v) ? v : [v];
  return items.map((x) => {
    if (typeof x !== 'string' && typeof x !== 'number') throw new InputError(`${field} must be a string or a list of strings`, { field });
    return String(x);
  });
}

function positive(v: unknown, field: string): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1) throw new InputError(`${field} must be a positive integer`, { field });
  return n;
}

/** The filters of `admin/logs/index` (PyMISP `search_logs`): id, title, created, model, model_id, action, user_id, change, email, org, description, ip, limit, page. */
export function parseLogSearch(body: Body, now: number): LogSearch {
  const created = timeRange(body.created, 'created', now);
  // MISP: one `created` value is a lower bound; two are a range in either order.
  const bounds = created?.from !== undefined && created.to !== undefined && created.from > created.to ? { from: created.to, to: created.from } : created;
  const titles = [...(texts(body.title, 'title') ?? []), ...(texts(body.description, 'description') ?? [])];
  const pick = <K extends keyof LogSearch>(k: K, v: LogSearch[K] | undefined): Partial<LogSearch> => (v === undefined ? {} : { [k]: v });
  return {
    ...pick('ids', intList(body.id, 'id')),
    ...pick('titles', titles.length > 0 ? titles : undefined),
    ...pick('createdFrom', bounds?.from),
    ...pick('createdTo', bounds?.to),
    ...pick('models', texts(body.model, 'model')),
    ...pick('modelIds', intList(body.model_id, 'model_id')),
    ...pick('actions', texts(body.action, 'action')),
    ...pick('userIds', intList(body.user_id, 'user_id')),
    ...pick('changes', texts(body.change, 'change')),
    ...pick('emails', texts(body.email, 'email')),
    ...pick('orgs', texts(body.org, 'org')),
    ...pick('ips', texts(body.ip, 'ip')),
    ...pick('limit', positive(body.limit, 'limit')),
    ...pick('page', positive(body.page, 'page')),
  };
}

/** MISP's logs: `admin/logs/index` (administrators, PyMISP `search_logs`) and `logs/event_index/{id}` (an event's history). */
export function registerLogRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { auditLog } = ctx.services;
  for (const url of ['/admin/logs/index', '/logs/index']) {
    app.route({
      method: ['GET', 'POST'],
      url,
      handler: async (request) => {
        const p = await ctx.principal(request);
        const q = parseLogSearch({ ...paramsOf(request), ...bodyOf(request) }, Math.floor(Date.now() / 1000));
        return auditLog.search(p, q);
      },
    });
  }
  // The audit log as a hash chain (ADR 0014).
  const { auditChain } = ctx.services;
  app.get('/audit/chain/head', async (request) => {
    await ctx.principal(request);
    const at = paramsOf(request).at;
    return auditChain.head(at === undefined || at === '' ? undefined : Number(at));
  });
  app.get('/audit/chain/entries', async (request) => {
    const p = await ctx.principal(request);
    const q = paramsOf(request);
    const from = q.from === undefined ? 1 : Number(q.from);
    const limit = q.limit === undefined ? 1000 : Number(q.limit);
    return { entries: await auditChain.entries(p, from, limit) };
  });
  app.get('/audit/chain/verify', async (request) => auditChain.verify(await ctx.principal(request)));

  app.route({
    method: ['GET', 'POST'],
    url: '/logs/event_index/:eventId',
    handler: async (request) => {
      const p = await ctx.principal(request);
      const o = { ...paramsOf(request), ...bodyOf(request) };
      const limit = positive(o.limit, 'limit');
      const page = positive(o.page, 'page');
      const list = await auditLog.eventHistory(p, (request.params as { eventId: string }).eventId, { ...(limit !== undefined ? { limit } : {}), ...(page !== undefined ? { page } : {}) });
      return { Log: list };
    },
  });
}
