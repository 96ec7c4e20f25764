import type { FastifyInstance, FastifyReply } from 'fastify';
import { passwordMatches } from '../keys/secrets.js';
import type { UmaContext } from './context.js';
import { formParams } from './oauth-http.js';

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(reply: FastifyReply, status: number, message: string, fields: Record<string, string>, action: string): FastifyReply {
  const hidden = Object.entries(fields).map(([k, v]) => `<input type="hidden" name="${escape(k)}" value="${escape(v)}">`).join('');
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').header('x-frame-options', 'DENY')
    .send(`<!doctype html><html><head><meta charset="utf-8"><title>Sign in</title></head><body><h1>Sign in to share your claims</h1><p>${escape(message)}</p>` +
      `<form method="post" action="${escape(action)}">${hidden}<label>User <input name="username" autocomplete="username"></label> <label>Password <input type="password" name="password" autocomplete="current-password"></label> <button>Continue</button></form></body></html>`);
}

/**
 * Interactive claims gathering (UMA 2.0 Grant §3.3.2): the client redirects the
 * requesting party here with `client_id`, `ticket`, `claims_redirect_uri` and
 * `state`; the party signs in with a user name and password held by the AS; the
 * AS redirects back with `authorization_state=claims_submitted` and a new ticket
 * that carries the party's claims.
 */
export function registerClaimsRoutes(app: FastifyInstance, ctx: UmaContext): void {
  const check = (q: Record<string, string>): string | undefined => {
    const client = q.client_id === undefined ? undefined : ctx.store.getClient(q.client_id);
    if (client === undefined) return 'unknown client_id';
    if (q.ticket === undefined || q.ticket === '') return 'the ticket parameter is required';
    if (q.claims_redirect_uri === undefined || !client.redirectUris.includes(q.claims_redirect_uri)) return 'claims_redirect_uri is not registered for this client';
    return undefined;
  };
  const carry = (q: Record<string, string>): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const k of ['client_id', 'ticket', 'claims_redirect_uri', 'state']) if (q[k] !== undefined) out[k] = q[k];
    return out;
  };
  app.get('/claims', async (request, reply) => {
    const q = formParams(request.query) ?? {};
    const problem = check(q);
    if (problem !== undefined) return reply.code(400).type('text/plain').send(problem);
    return page(reply, 200, 'The application asks for your identity to request access to a protected resource.', carry(q), `${ctx.issuer}/claims`);
  });
  app.post('/claims', async (request, reply) => {
    const q = formParams(request.body) ?? {};
    const problem = check(q);
    if (problem !== undefined) return reply.code(400).type('text/plain').send(problem);
    const user = q.username === undefined ? undefined : ctx.store.getUser(q.username);
    if (user === undefined || !passwordMatches(q.password ?? '', user.passwordHash)) return page(reply, 401, 'Wrong user name or password.', carry(q), `${ctx.issuer}/claims`);
    const target = new URL(q.claims_redirect_uri ?? '');
    const old = ctx.tickets.redeem(q.ticket ?? '');
    if (old === undefined) {
      target.searchParams.set('authorization_state', 'not_authorized');
    } else {
      const claims = { ...(old.claims ?? {}), sub: user.username, ...user.claims };
      target.searchParams.set('authorization_state', 'claims_submitted');
      target.searchParams.set('ticket', ctx.tickets.issue(old.permissions, claims));
    }
    if (q.state !== undefined) target.searchParams.set('state', q.state);
    return reply.code(302).header('location', target.toString()).send();
  });
}
