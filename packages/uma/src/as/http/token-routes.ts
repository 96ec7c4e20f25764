import type { FastifyInstance } from 'fastify';
import { PROTECTION_SCOPE, UMA_TICKET_GRANT } from '../../common/uma-types.js';
import { randomToken, tokenHash } from '../keys/secrets.js';
import type { UmaContext } from './context.js';
import { authenticateClient, formParams, oauthError } from './oauth-http.js';

/** `POST /token`: `client_credentials` (PATs) and the UMA grant (RPTs). */
export function registerTokenRoutes(app: FastifyInstance, ctx: UmaContext): void {
  app.post('/token', async (request, reply) => {
    const params = formParams(request.body);
    if (params === undefined) return oauthError(reply, 400, 'invalid_request', 'parameters must be strings and appear once');
    const client = authenticateClient(ctx.store, request, params);
    if (client === undefined) return oauthError(reply.header('www-authenticate', 'Basic realm="uma"'), 401, 'invalid_client', 'client authentication failed');
    if (params.grant_type === 'client_credentials') {
      const scopes = (params.scope ?? '').split(' ').filter((s) => s !== '');
      if (scopes.length !== 1 || scopes[0] !== PROTECTION_SCOPE) return oauthError(reply, 400, 'invalid_scope', `only scope ${PROTECTION_SCOPE} is issued with client_credentials`);
      if (client.owner === null) return oauthError(reply, 400, 'unauthorized_client', 'this client acts for no resource owner and may not hold a PAT');
      const token = randomToken();
      ctx.store.addPat({ tokenHash: tokenHash(token), clientId: client.clientId, owner: client.owner, expiresAt: ctx.now() + ctx.patLifetimeSec * 1000 });
      return reply.header('cache-control', 'no-store').send({ access_token: token, token_type: 'Bearer', expires_in: ctx.patLifetimeSec, scope: PROTECTION_SCOPE });
    }
    if (params.grant_type !== UMA_TICKET_GRANT) return oauthError(reply, 400, 'unsupported_grant_type', `grant_type must be client_credentials or ${UMA_TICKET_GRANT}`);
    const result = await ctx.grant(client.clientId, {
      ticket: params.ticket,
      claim_token: params.claim_token,
      claim_token_format: params.claim_token_format,
      pct: params.pct,
      rpt: params.rpt,
      scope: params.scope,
    });
    return reply.code(result.status).header('cache-control', 'no-store').send(result.body);
  });
}
