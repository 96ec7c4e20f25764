import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError, NotFoundError } from '@waggle/errors';
import type { MispJson, Principal } from '@waggle/core';
import type { RouteContext } from '../http/context.js';
import type { UmaEventGate } from './uma-gate.js';
import { readableUnderUma } from './uma-event-view.js';

/** The routes that read one event: MISP's view (GET, POST, HEAD) and the native API's. */
const EVENT_READ_ROUTES = new Set(['/events/view/:id', '/api/v1/events/:id']);

/** An RPT is a JWT (three base64url parts); a MISP auth key is 40 alphanumerics. */
function bearerJwt(request: FastifyRequest): boolean {
  const raw = request.headers.authorization;
  return typeof raw === 'string' && /^\s*Bearer\s+[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\s*$/i.test(raw);
}

function hasKey(request: FastifyRequest): boolean {
  return (request.headers.authorization !== undefined && !bearerJwt(request)) || request.headers['x-misp-auth'] !== undefined;
}

/**
 * The requesting party of an RPT as an anonymisation recipient: its organisation claim
 * (`org`), so a policy section matching that organisation applies; without one only a
 * catch-all section (no `match`) can.
 */
export function rptRecipient(claims: Readonly<Record<string, string | readonly string[]>>): { organisation?: string } {
  const org = claims.org;
  const name = typeof org === 'string' ? org : org?.[0];
  return name === undefined || name === '' ? {} : { organisation: name };
}

const isWrapped = (e: MispJson): boolean => typeof e.Event === 'object' && e.Event !== null && !Array.isArray(e.Event);

interface Looked {
  readonly event: MispJson;
  readonly orgcId: number;
  readonly owner: { readonly orgUuid: string; readonly orgName: string };
}

/**
 * UMA enforcement on single-event reads (ADR 0013). Registered as a preHandler
 * so the MISP and native handlers stay as they are: a key holder the gate lets
 * through continues to the handler under MISP's rules; a request carrying an RPT
 * that the gate accepts is answered here with the event as its producer shares it
 * under UMA; everything else gets the gate's 401 challenge or 403.
 */
export function registerUmaEnforcement(app: FastifyInstance, ctx: RouteContext, gate: UmaEventGate): void {
  let admin: Promise<Principal> | undefined;
  const adminPrincipal = (): Promise<Principal> => (admin ??= ctx.services.feeds.importPrincipal().catch((e: unknown) => {
    admin = undefined;
    throw e;
  }));

  /** The event's head only (who produced it): the full view is read once access is granted. */
  async function lookUp(id: string): Promise<Looked | undefined> {
    try {
      const event = await ctx.services.rawEvents.view(await adminPrincipal(), id, { metadata: true, includeCorrelations: false });
      const orgc = event.Orgc as { uuid?: unknown; name?: unknown } | undefined;
      return { event, orgcId: Number(event.orgc_id), owner: { orgUuid: String(orgc?.uuid ?? ''), orgName: String(orgc?.name ?? '') } };
    } catch (e) {
      if (e instanceof NotFoundError) return undefined;
      throw e;
    }
  }

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!EVENT_READ_ROUTES.has(request.routeOptions.url ?? '')) return;
    if (request.method === 'DELETE') return;
    const rpt = bearerJwt(request);
    const key = !rpt && hasKey(request);
    if (key) {
      // Key holders: site administrators always; others under MISP's rules in "either" mode.
      const p = await ctx.principal(request);
      if (gate.mode === 'either' || p.role.perm_site_admin) return;
    }
    const id = String((request.params as { id?: unknown }).id ?? '');
    const looked = await lookUp(id);
    if (looked === undefined) return; // the handler answers as MISP does
    // The producing organisation reads its own events with its keys.
    if (key && (await ctx.principal(request)).org.id === looked.orgcId) return;
    const decision = await gate.decide(request, looked.owner, String(looked.event.uuid));
    if (decision === 'not-protected') {
      if (rpt) throw new ForbiddenError('The producer of this event does not grant access through UMA; use a MISP auth key.');
      return; // not under UMA: MISP's rules
    }
    if (!decision.allow) return reply.status(decision.status).headers(decision.headers).send(decision.body);
    if (!rpt) return;
    const full = await ctx.services.rawEvents.view(await adminPrincipal(), String(looked.event.uuid), { includeCorrelations: false });
    // Under outbound anonymisation the requesting party is a recipient like any other (ADR 0013).
    const recipient = rptRecipient(decision.claims);
    const event = ctx.services.privacy.forRecipient(full, recipient);
    if (event === undefined) {
      throw new ForbiddenError(`The producer's anonymisation policy has no section for this requesting party (${recipient.organisation === undefined ? 'no organisation claim' : `organisation ${recipient.organisation}`}); nothing is shared.`);
    }
    if (request.method === 'HEAD') return reply.status(200).send();
    return reply.send(readableUnderUma(isWrapped(event) ? (event.Event as MispJson) : event, request.routeOptions.url === '/api/v1/events/:id'));
  });
}
