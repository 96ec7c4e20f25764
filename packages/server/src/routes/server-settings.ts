import type { FastifyInstance, FastifyRequest } from 'fastify';
import { bodyOf, isTruthy, saved, type RouteContext } from '../http/context.js';

/** The setting name in the path (`MISP.live`, `debug`). */
function settingName(request: FastifyRequest): string {
  return (request.params as { name: string }).name;
}

/**
 * MISP's server settings as PyMISP uses them (site admins only):
 *  - `GET servers/serverSettings` (`server_settings()`): `{ finalSettings: [...] }`;
 *  - `GET servers/getSetting/<name>` (`get_server_setting`): the setting with its value in force;
 *  - `POST servers/serverSettingsEdit/<name>` `{"value": …, "force": …}` (`set_server_setting`):
 *    "Field updated", or 400 naming the setting; `GET` on it answers `{ <name>: <value> }`.
 */
export function registerServerSettingRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const settings = ctx.services.serverSettings;
  // MISP's REST answer is the same dump whatever tab is named after the action.
  for (const url of ['/servers/server_settings', '/servers/server_settings/:tab']) {
    app.get(url, async (request) => settings.list(await ctx.principal(request)));
  }
  app.get('/servers/get_setting/:name', async (request) => settings.get(await ctx.principal(request), settingName(request)));
  app.get('/servers/server_settings_edit/:name', async (request) => settings.value(await ctx.principal(request), settingName(request)));
  app.post('/servers/server_settings_edit/:name', async (request, reply) => {
    const p = await ctx.principal(request);
    const body = bodyOf(request);
    // MISP accepts the fields bare (PyMISP) or inside `Server` (its web form).
    const inner = typeof body.Server === 'object' && body.Server !== null && !Array.isArray(body.Server) ? (body.Server as Record<string, unknown>) : body;
    await settings.edit(p, settingName(request), { value: inner.value, force: isTruthy(inner.force) });
    return saved(reply, request, 'Field updated');
  });
}
