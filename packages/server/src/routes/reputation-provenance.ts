import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ForbiddenError } from '@waggle/errors';
import type { ReputationQuery } from '@waggle/core';
import { isPolicyRecipient, paramsOf, type RouteContext } from '../http/context.js';

/** `half_life_days` (also `halfLifeDays`) of a query or body; the service checks the number. */
export function reputationQuery(params: Record<string, unknown>): ReputationQuery {
  const raw = params.half_life_days ?? params.halfLifeDays;
  return raw === undefined || raw === null || raw === '' ? {} : { halfLifeDays: Number(raw) };
}

/**
 * Source reputation and provenance (waggle's own API, ADR 0015): how other organisations'
 * sightings, false positives and opinions rate each creator organisation's information, and
 * where an event came from and went to.
 */
export function registerReputationRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { reputation, provenance } = ctx.services;
  // Recipients of the anonymisation policy see pseudonymised organisations; real names and peers would undo that.
  const principal = async (request: FastifyRequest, what: string) => {
    const p = await ctx.principal(request);
    if (isPolicyRecipient(ctx, p)) throw new ForbiddenError(`${what} is not available to recipients of the anonymisation policy.`);
    return p;
  };
  app.get('/reputation/organisations', async (request) => reputation.list(await principal(request, 'Source reputation'), reputationQuery(paramsOf(request))));
  app.get('/reputation/organisations/:ref', async (request) => reputation.view(await principal(request, 'Source reputation'), (request.params as { ref: string }).ref, reputationQuery(paramsOf(request))));
  // Provenance: the event's entries in the hash-chained log, with the signed head.
  app.get('/provenance/events/:ref', async (request) => provenance.trail(await principal(request, 'Provenance'), (request.params as { ref: string }).ref));
}
