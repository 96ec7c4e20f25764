import type { ChainWitnessResult } from '../../sync/chain-witness.js';
import type { FastifyInstance } from 'fastify';
import { InputError } from '@waggle/errors';
import type { SyncReport } from '@waggle/sync';
import { saved, type RouteContext } from '../../http/context.js';
import { adminRoute, pathParam } from '../admin/admin-routing.js';

const idOf = (raw: string): number => {
  if (!/^[1-9][0-9]*$/.test(raw)) throw new InputError(`Invalid server id "${raw}"`, { field: 'id' });
  return Number(raw);
};

/** MISP's wording for a finished run, with waggle's full report beside it. */
function runAnswer(direction: 'pull' | 'push', r: SyncReport & { readonly auditChain?: ChainWitnessResult }): Record<string, unknown> {
  const moved = r.created + r.updated;
  const message = r.aborted
    ? `${direction === 'pull' ? 'Pull' : 'Push'} failed: ${r.errors[0]?.message ?? 'aborted'}`
    : direction === 'pull'
      ? `Pull completed. ${String(moved)} events pulled, ${String(r.failed)} events could not be pulled, ${String(r.unchanged)} events were unchanged.`
      : `Push complete. ${String(moved)} events pushed, ${String(r.failed)} events could not be pushed.`;
  const s = r.sightings;
  const sightings = s === undefined || s.disabled ? '' : ` ${String(s.saved)} sightings ${direction === 'pull' ? 'pulled' : 'pushed'}${s.failed > 0 ? `, sightings of ${String(s.failed)} events failed` : ''}.`;
  const g = r.galaxyClusters;
  const clusters = g === undefined || g.disabled ? '' : ` ${String(g.saved)} galaxy clusters ${direction === 'pull' ? 'pulled' : 'pushed'}${g.failed > 0 ? `, ${String(g.failed)} clusters failed` : ''}.`;
  const chain = r.auditChain === undefined ? '' : ` Peer audit chain ${r.auditChain.status}: ${r.auditChain.message}.`;
  return { success: !r.aborted, message: message + sightings + clusters + chain, report: r };
}

/**
 * servers/index, view, add, edit, delete, pull, push, testConnection (MISP's
 * server connections), plus servers/syncLog and servers/resetSync (waggle).
 */
export function registerServerRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const sync = ctx.services.sync;
  adminRoute(app, ['GET', 'POST'], '/servers/index', async (request) => sync.list(await ctx.principal(request)));
  adminRoute(app, ['GET', 'POST'], '/servers/view/:id', async (request) => sync.view(await ctx.principal(request), idOf(pathParam(request, 'id'))));
  adminRoute(app, 'GET', '/servers/audit_chain/:id', async (request) => sync.peerAuditChain(await ctx.principal(request), idOf(pathParam(request, 'id'))));
  adminRoute(app, 'POST', '/servers/reset_audit_chain/:id', async (request, reply) => {
    const id = idOf(pathParam(request, 'id'));
    await sync.resetPeerAuditChain(await ctx.principal(request), id);
    return saved(reply, request, 'Peer audit chain head forgotten; the next sync keeps a new one.', { id: String(id) });
  });
  adminRoute(app, 'POST', '/servers/add', async (request) => sync.add(await ctx.principal(request), request.body));
  adminRoute(app, ['POST', 'PUT'], '/servers/edit/:id', async (request) => sync.edit(await ctx.principal(request), idOf(pathParam(request, 'id')), request.body));
  adminRoute(app, ['POST', 'DELETE'], '/servers/delete/:id', async (request, reply) => {
    const id = idOf(pathParam(request, 'id'));
    await sync.delete(await ctx.principal(request), id);
    return saved(reply, request, 'Server deleted', { id: String(id) });
  });
  for (const direction of ['pull', 'push'] as const) {
    const handler = async (request: Parameters<Parameters<typeof adminRoute>[3]>[0]): Promise<Record<string, unknown>> => {
      const p = await ctx.principal(request);
      const id = idOf(pathParam(request, 'id'));
      return runAnswer(direction, direction === 'pull' ? await sync.pull(p, id) : await sync.push(p, id));
    };
    // MISP adds a technique (full, incremental, …) and for pull an event id; waggle's runs are always incremental.
    adminRoute(app, ['GET', 'POST'], `/servers/${direction}/:id`, handler);
    adminRoute(app, ['GET', 'POST'], `/servers/${direction}/:id/:technique`, handler);
  }
  adminRoute(app, ['GET', 'POST'], '/servers/test_connection/:id', async (request) => sync.test(await ctx.principal(request), idOf(pathParam(request, 'id'))));
  adminRoute(app, ['GET', 'POST'], '/servers/sync_log', async (request) => sync.logs(await ctx.principal(request)));
  adminRoute(app, ['GET', 'POST'], '/servers/sync_log/:id', async (request) => sync.logs(await ctx.principal(request), idOf(pathParam(request, 'id'))));
  adminRoute(app, 'POST', '/servers/reset_sync/:id', async (request, reply) => {
    await sync.reset(await ctx.principal(request), idOf(pathParam(request, 'id')));
    return saved(reply, request, 'Sync state reset: the next pull and push start from the beginning.');
  });
}
