import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InputError, NotFoundError } from '@waggle/errors';
import { STATISTICS_CONTEXTS, type StatisticsContext } from '@waggle/core';
import { bodyOf, paramsOf, saved, type RouteContext } from '../http/context.js';

/** A body or path field as text (MISP accepts ids as numbers or strings); undefined when absent. */
function text(v: unknown, field: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  throw new InputError(`${field} must be a string or a number.`, { field });
}

/** `page`/`limit` named parameters: positive integers. */
function positive(v: string | undefined, field: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  if (!/^[0-9]+$/.test(v) || Number(v) < 1) throw new InputError(`${field} must be a positive integer.`, { field });
  return Number(v);
}

/** MISP accepts the fields bare (PyMISP) or inside `UserSetting` (its web form). */
function settingBody(request: FastifyRequest): Record<string, unknown> {
  const body = bodyOf(request);
  const inner = body.UserSetting;
  return typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? (inner as Record<string, unknown>) : body;
}

/**
 * MISP's user settings as PyMISP uses them (`userSettings/*`, rewritten to `user_settings/*`):
 *  - `GET user_settings/index[/setting:…/user_id:all|me|org|<id>/page:…/limit:…]`: `[{UserSetting}]`;
 *  - `GET user_settings/view/{id}`: `{UserSetting}`;
 *  - `POST user_settings/getSetting` `{setting, user_id?}` or `GET …/getSetting/{user}/{setting}`: the bare setting;
 *  - `POST user_settings/setSetting[/{user}[/{setting}]]` `{setting, value, user_id?}`: `{UserSetting}`;
 *  - `POST|DELETE user_settings/delete[/{id}]` (`{setting, user_id?}` without an id): "Setting deleted.".
 * And MISP's `users/statistics/{context}` (PyMISP `users_statistics`).
 */
export function registerUserSettingRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const settings = ctx.services.admin.userSettings;

  app.get('/user_settings/index', async (request) => {
    const q = paramsOf(request);
    const page = positive(q.page, 'page');
    const limit = positive(q.limit, 'limit');
    return settings.index(await ctx.principal(request), {
      ...(q.setting !== undefined ? { setting: q.setting } : {}),
      ...(q.user_id !== undefined ? { userId: q.user_id } : {}),
      ...(page !== undefined ? { page } : {}),
      ...(limit !== undefined ? { limit } : {}),
    });
  });
  app.get('/user_settings', async (request) => settings.index(await ctx.principal(request), {}));
  app.get('/user_settings/view/:id', async (request) => settings.view(await ctx.principal(request), (request.params as { id: string }).id));

  app.post('/user_settings/get_setting', async (request) => {
    const p = await ctx.principal(request);
    const body = settingBody(request);
    const setting = text(body.setting, 'setting');
    if (setting === undefined || setting === '') throw new InputError('No setting name provided.', { field: 'setting' });
    return settings.get(p, setting, text(body.user_id, 'user_id'));
  });
  app.get('/user_settings/get_setting', async () => {
    throw new InputError('No setting name or user ID provided.', { field: 'setting' });
  });
  app.get('/user_settings/get_setting/:userId', async () => {
    throw new InputError('No setting name or user ID provided.', { field: 'setting' });
  });
  app.get('/user_settings/get_setting/:userId/:setting', async (request) => {
    const { userId, setting } = request.params as { userId: string; setting: string };
    const p = await ctx.principal(request);
    return settings.get(p, setting, userId === 'me' ? String(p.user.id) : userId);
  });

  for (const url of ['/user_settings/set_setting', '/user_settings/set_setting/:userId', '/user_settings/set_setting/:userId/:setting']) {
    app.post(url, async (request) => {
      const p = await ctx.principal(request);
      const path = request.params as { userId?: string; setting?: string };
      const body = settingBody(request);
      const userId = path.userId !== undefined && path.userId !== 'me' ? path.userId : text(body.user_id, 'user_id');
      const setting = path.setting ?? text(body.setting, 'setting');
      return settings.set(p, {
        ...(setting !== undefined ? { setting } : {}),
        ...(userId !== undefined ? { userId } : {}),
        ...('value' in body ? { value: body.value } : {}),
      });
    });
  }

  for (const url of ['/user_settings/delete', '/user_settings/delete/:id']) {
    app.route({
      method: ['POST', 'DELETE'],
      url,
      handler: async (request, reply) => {
        const p = await ctx.principal(request);
        const id = (request.params as { id?: string }).id;
        const body = settingBody(request);
        const userId = text(body.user_id, 'user_id');
        const setting = text(body.setting, 'setting');
        const removed = await settings.remove(
          p,
          id !== undefined ? { id } : { ...(setting !== undefined ? { setting } : {}), ...(userId !== undefined ? { userId } : {}) },
        );
        return saved(reply, request, 'Setting deleted.', { id: String(removed) });
      },
    });
  }

  const statistics = ctx.services.admin.statistics;
  app.get('/users/statistics', async (request) => statistics.data(await ctx.principal(request)));
  app.get('/users/statistics/:context', async (request) => {
    const p = await ctx.principal(request);
    const params = paramsOf(request);
    const context = params.context as StatisticsContext;
    if (!(STATISTICS_CONTEXTS as readonly string[]).includes(context)) {
      throw new NotFoundError(`Invalid page: the statistics contexts are ${STATISTICS_CONTEXTS.join(', ')}.`, { field: 'context' });
    }
    switch (context) {
      case 'data':
        return statistics.data(p);
      case 'orgs':
        return statistics.orgs(p, params.scope);
      case 'users':
        return statistics.users();
      case 'tags': {
        const catalogue = await ctx.services.intel.taxonomies();
        return statistics.tags(p, catalogue.items.filter((t) => t.enabled).map((t) => t.value.namespace));
      }
      case 'attributehistogram':
        return statistics.attributeHistogram(p);
      case 'sightings':
        return statistics.sightings(p, params.timestamp);
    }
  });
}
