import type { FastifyInstance } from 'fastify';
import { ForbiddenError, InputError } from '@waggle/errors';
import { defaultPolicy, parsePolicy, type Policy, type RecipientRef } from '@waggle/privacy';
import { bodyOf, type RouteContext } from '../http/context.js';

type J = Record<string, unknown>;
const isObj = (v: unknown): v is J => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The policy of a request: inline (`policy`, YAML/JSON text or object), else the configured one, else the built-in default. */
function policyOf(ctx: RouteContext, body: J): Policy {
  const inline = body.policy;
  if (typeof inline === 'string') return parsePolicy(inline, inline.trimStart().startsWith('{') ? 'json' : 'yaml', 'request policy');
  if (isObj(inline)) return parsePolicy(JSON.stringify(inline), 'json', 'request policy');
  if (inline !== undefined) throw new InputError('policy must be YAML/JSON text or an object', { field: 'policy' });
  const { privacy } = ctx.services;
  return privacy.policy ?? defaultPolicy({ withKeys: ctx.services.privacyKeys.has('community') });
}

function recipientOf(body: J): RecipientRef {
  const r = body.recipient;
  if (typeof r === 'string' && r !== '') return r;
  if (isObj(r)) return r as RecipientRef;
  throw new InputError('recipient is required: a recipient section name, or {kind, name?, uuid?}', { field: 'recipient' });
}

/**
 * `POST /anonymizer/anonymize` and `POST /anonymizer/preview`: an event in
 * (`event`: MISP JSON, or `event_id`: a stored event the caller may see),
 * the recipient, and optionally an inline policy; out comes the event as that
 * recipient would receive it with the report, or (preview) what each value
 * would become, changing nothing.
 */
export function registerAnonymizerRoutes(app: FastifyInstance, ctx: RouteContext): void {
  async function input(request: Parameters<typeof ctx.principal>[0]): Promise<{ event: J; policy: Policy; recipient: RecipientRef }> {
    const p = await ctx.principal(request);
    const body = bodyOf(request);
    const recipient = recipientOf(body);
    const policy = policyOf(ctx, body);
    if (body.event_id !== undefined) {
      // A stored event, read as its caller may see it (the raw view: the policy is applied here, explicitly).
      const event = await ctx.services.rawEvents.view(p, String(body.event_id), { includeCorrelations: false });
      // A recipient of the event would see its clear values in a preview: only the producer side may ask.
      if (ctx.services.privacy.recipientOf(p, event) !== undefined) throw new ForbiddenError('Only the organisation that produced an event (or a local user) can anonymise or preview it by id');
      return { event, policy, recipient };
    }
    const event = isObj(body.event) ? body.event : isObj(body.Event) ? body : undefined;
    if (event === undefined) throw new InputError('event (MISP event JSON) or event_id is required', { field: 'event' });
    return { event, policy, recipient };
  }

  app.post('/anonymizer/anonymize', async (request) => {
    const { event, policy, recipient } = await input(request);
    const result = ctx.services.privacy.anonymizer.anonymizeEvent(event, policy, recipient);
    const out = result.event as J;
    return { ...(isObj(out.Event) ? out : { Event: out }), report: result.report };
  });

  app.post('/anonymizer/preview', async (request) => {
    const { event, policy, recipient } = await input(request);
    return ctx.services.privacy.anonymizer.preview(event, policy, recipient);
  });

  app.get('/anonymizer/policy', async (request) => {
    await ctx.principal(request);
    const { privacy } = ctx.services;
    return { configured: privacy.policy !== undefined, policy: privacy.policy ?? defaultPolicy({ withKeys: ctx.services.privacyKeys.has('community') }), keys: ctx.services.privacyKeys.list() };
  });
}
