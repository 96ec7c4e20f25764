import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ForbiddenError, InputError } from '@waggle/errors';
import type { ReputationQuery } from '@waggle/core';
import { isPolicyRecipient, paramsOf, type RouteContext } from '../http/context.js';

/** `?half_life_days=N` (also `halfLifeDays`). */
function queryOf(request: FastifyRequest): ReputationQuery {
  const params = paramsOf(request);
  const raw = params.half_life_days ?? params.halfLifeDays;
  if (raw === undefined || raw === '') return {};
  const days = Number(raw);
  if (!Number.isFinite(days)) throw new InputError('half_life_days must be a number of days', { field: 'half_life_days' });
  return { halfLifeDays: days };
}

/**
 * Source reputation and provenance (waggle's own API, ADR 0015): how other organisations'
 * sightings, false positives and opinions rate each creator organisation's information, and
 * where an event came from and went to.
 */
export function registerReputationRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { reputation } = ctx.services;
  const principal = async (request: FastifyRequest) => {
    const p = await ctx.principal(request);
    // Recipients of the anonymisation policy see pseudonymised organisations; a list of real names would undo that.
    if (isPolicyRecipient(ctx, p)) throw new ForbiddenError('Source reputation is not available to recipients of the anonymisation policy.');
    return p;
  };
  app.get('/reputation/organisations', async (request) => reputation.list(await principal(request), queryOf(request)));
  app.get('/reputation/organisations/:ref', async (request) => reputation.view(await principal(request), (request.params as { ref: string }).ref, queryOf(request)));

  // Provenance: the event's entries in the hash-chained log, with the signed head (ADR 0015).
  const { provenance } = ctx.services;
  app.get('/provenance/events/:ref', async (request) => {
    const p = await ctx.principal(request);
    if (isPolicyRecipient(ctx, p)) throw new ForbiddenError('Provenance is not available to recipients of the anonymisation policy.');
    return provenance.trail(p, (request.params as { ref: string }).ref);
  });
}
