import type { FastifyInstance } from 'fastify';
import { ForbiddenError, InputError } from '@waggle/errors';
import type { RouteContext } from '../http/context.js';
import type { UmaEventGate } from './uma-gate.js';

/**
 * `GET /uma/events/:id/resource`: the producer learns the UMA resource id of its
 * event (registering it on first use), to set its policy at the authorisation
 * server (`waggle uma policy set <resource_id> --allow …`). Only the producing
 * organisation's users and site administrators may ask.
 */
export function registerUmaResourceRoute(app: FastifyInstance, ctx: RouteContext, gate: UmaEventGate): void {
  app.get('/uma/events/:id/resource', async (request) => {
    const p = await ctx.principal(request);
    const event = await ctx.services.events.view(p, String((request.params as { id: string }).id), { includeCorrelations: false });
    const orgc = event.Orgc as { uuid?: unknown; name?: unknown } | undefined;
    if (!p.role.perm_site_admin && Number(event.orgc_id) !== p.org.id) throw new ForbiddenError('Only the producing organisation manages the UMA resource of an event.');
    const owner = { orgUuid: String(orgc?.uuid ?? ''), orgName: String(orgc?.name ?? '') };
    const resourceId = await gate.resourceOf(owner, String(event.uuid));
    if (resourceId === undefined) throw new InputError(`Organisation "${owner.orgName}" has no UMA resource-server client configured; its events are not under UMA.`);
    return { event_uuid: event.uuid, resource_id: resourceId, resource_scopes: ['read'] };
  });
}
