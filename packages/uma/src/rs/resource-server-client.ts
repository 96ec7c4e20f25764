import { AuthenticationError, InputError, Secret, UnavailableError } from '@waggle/errors';
import { errorFromResponse, fetchJson, type FetchLike, type JsonResponse } from '../common/http.js';
import { PROTECTION_SCOPE, type Permission, type ResourceDescription, type UmaDiscovery } from '../common/uma-types.js';
import { createJwksCache } from './jwks-cache.js';
import { verifyRptLocally, type RptVerdict } from './verify-rpt.js';

/** Options of `createResourceServerClient`. */
export interface ResourceServerOptions {
  /** The AS's issuer URI; discovery is read from `<asUri>/.well-known/uma2-configuration`. */
  readonly asUri?: string;
  /** A discovery document already at hand (skips the discovery request). */
  readonly discovery?: UmaDiscovery;
  readonly clientId: string;
  readonly clientSecret: Secret | string;
  readonly fetch?: FetchLike;
  readonly now?: () => number;
  /** Least time between JWKS refreshes caused by unknown key ids (default 30 s). */
  readonly jwksRefreshCooldownMs?: number;
}

/** A registered resource as the AS returns it. */
export interface RegisteredResource extends ResourceDescription {
  readonly _id: string;
  readonly user_access_policy_uri?: string;
}

/** A pending or decided "ask the owner" request, as listed for the owner. */
export interface AccessRequest {
  readonly id: string;
  readonly status: 'pending' | 'approved' | 'denied';
  readonly client_id: string;
  readonly subject: string | null;
  readonly claims: Record<string, unknown>;
  readonly permissions: readonly Permission[];
  readonly created_at: number;
}

/** Introspection answer (RFC 7662 with UMA's `permissions`). */
export interface Introspection {
  readonly active: boolean;
  readonly permissions?: readonly Permission[];
  readonly [field: string]: unknown;
}

/** The resource server's side of UMA: PAT, protection API, and RPT checks. */
export interface ResourceServerClient {
  readonly clientId: string;
  readonly discovery: () => Promise<UmaDiscovery>;
  /** A PAT (cached until shortly before it expires). */
  readonly pat: () => Promise<string>;
  readonly registerResource: (description: ResourceDescription) => Promise<RegisteredResource>;
  readonly updateResource: (id: string, description: ResourceDescription) => Promise<void>;
  readonly getResource: (id: string) => Promise<RegisteredResource>;
  readonly listResources: () => Promise<string[]>;
  readonly deleteResource: (id: string) => Promise<void>;
  /** Asks the permission endpoint for a ticket for one resource, or several permissions at once. */
  readonly createTicket: (resourceIdOrPermissions: string | readonly Permission[], scopes?: readonly string[]) => Promise<string>;
  /** Local RPT check (no network once the JWKS is cached); see `RptVerdict`. */
  readonly verifyRpt: (token: string, resourceId?: string, scope?: string) => Promise<RptVerdict>;
  /** Asks the AS's introspection endpoint (network; sees revocation). */
  readonly introspect: (token: string) => Promise<Introspection>;
  /** Owner operations (the PAT is bound to the resource owner). */
  readonly setPolicy: (resourceId: string, policy: unknown) => Promise<void>;
  readonly getPolicy: (resourceId: string) => Promise<unknown>;
  readonly listRequests: () => Promise<AccessRequest[]>;
  /** Approves or denies a request, named by its id or by the ticket the client last received. */
  readonly decideRequest: (idOrTicket: string, decision: 'approve' | 'deny') => Promise<AccessRequest>;
}

const PAT_MARGIN_MS = 30_000;

/** Creates the resource server's UMA client (see packages/uma/README.md). */
export function createResourceServerClient(options: ResourceServerOptions): ResourceServerClient {
  const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  const now = options.now ?? Date.now;
  const secret = typeof options.clientSecret === 'string' ? new Secret(options.clientSecret) : options.clientSecret;
  if (options.asUri === undefined && options.discovery === undefined) throw new InputError('createResourceServerClient needs asUri or discovery', { field: 'asUri' });
  let discovered: Promise<UmaDiscovery> | undefined = options.discovery === undefined ? undefined : Promise.resolve(options.discovery);
  let cachedPat: { token: string; expiresAt: number } | undefined;

  function discovery(): Promise<UmaDiscovery> {
    discovered ??= (async () => {
      const url = `${(options.asUri ?? '').replace(/\/$/, '')}/.well-known/uma2-configuration`;
      const response = await fetchJson(fetchImpl, url);
      const body = response.body as Partial<UmaDiscovery> | undefined;
      if (response.status !== 200 || typeof body?.issuer !== 'string' || typeof body.token_endpoint !== 'string') throw new UnavailableError(`no UMA discovery document at ${url} (status ${response.status})`);
      return body as UmaDiscovery;
    })().catch((error: unknown) => {
      discovered = undefined;
      throw error;
    });
    return discovered;
  }

  const jwks = createJwksCache({ jwksUri: async () => (await discovery()).jwks_uri, fetch: fetchImpl, now, refreshCooldownMs: options.jwksRefreshCooldownMs ?? 30_000 });

  async function pat(): Promise<string> {
    if (cachedPat !== undefined && cachedPat.expiresAt - PAT_MARGIN_MS > now()) return cachedPat.token;
    const d = await discovery();
    const response = await fetchJson(fetchImpl, d.token_endpoint, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(secret.reveal())}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: PROTECTION_SCOPE }).toString(),
    });
    const body = response.body as { access_token?: unknown; expires_in?: unknown } | undefined;
    if (response.status !== 200 || typeof body?.access_token !== 'string') throw response.status === 401 ? new AuthenticationError(errorFromResponse('PAT request', response).message) : errorFromResponse('PAT request', response);
    cachedPat = { token: body.access_token, expiresAt: now() + (typeof body.expires_in === 'number' ? body.expires_in : 300) * 1000 };
    return cachedPat.token;
  }

  /** Calls a protection API endpoint with the PAT; one retry with a fresh PAT after a 401. */
  async function protectedCall(what: string, url: string, method: string, body?: unknown): Promise<JsonResponse> {
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { authorization: `Bearer ${await pat()}` };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetchJson(fetchImpl, url, body === undefined ? { method, headers } : { method, headers, body: JSON.stringify(body) });
      if (response.status === 401 && attempt === 0) {
        cachedPat = undefined;
        continue;
      }
      if (response.status >= 400) throw errorFromResponse(what, response);
      return response;
    }
  }

  const rreg = async (id?: string): Promise<string> => {
    const base = (await discovery()).resource_registration_endpoint.replace(/\/$/, '');
    return id === undefined ? base : `${base}/${encodeURIComponent(id)}`;
  };
  const asBase = async (): Promise<string> => (await discovery()).issuer.replace(/\/$/, '');

  return {
    clientId: options.clientId,
    discovery,
    pat,
    async registerResource(description) {
      const r = await protectedCall('resource registration', await rreg(), 'POST', description);
      const b = r.body as { _id: string; user_access_policy_uri?: string };
      return { ...description, ...b };
    },
    async updateResource(id, description) {
      await protectedCall('resource update', await rreg(id), 'PUT', description);
    },
    async getResource(id) {
      return (await protectedCall('resource read', await rreg(id), 'GET')).body as RegisteredResource;
    },
    async listResources() {
      return (await protectedCall('resource list', await rreg(), 'GET')).body as string[];
    },
    async deleteResource(id) {
      await protectedCall('resource delete', await rreg(id), 'DELETE');
    },
    async createTicket(resourceIdOrPermissions, scopes = []) {
      const body = typeof resourceIdOrPermissions === 'string' ? { resource_id: resourceIdOrPermissions, resource_scopes: scopes } : resourceIdOrPermissions;
      const r = await protectedCall('permission request', (await discovery()).permission_endpoint, 'POST', body);
      const ticket = (r.body as { ticket?: unknown } | undefined)?.ticket;
      if (typeof ticket !== 'string') throw new UnavailableError('the permission endpoint answered without a ticket');
      return ticket;
    },
    async verifyRpt(token, resourceId, scope) {
      const d = await discovery();
      return verifyRptLocally(token, { issuer: d.issuer, audience: options.clientId, keyFor: jwks.keyFor, now, ...(resourceId === undefined ? {} : { resourceId }), ...(scope === undefined ? {} : { scope }) });
    },
    async introspect(token) {
      const d = await discovery();
      for (let attempt = 0; ; attempt++) {
        const response = await fetchJson(fetchImpl, d.introspection_endpoint, {
          method: 'POST',
          headers: { authorization: `Bearer ${await pat()}`, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ token, token_type_hint: 'requesting_party_token' }).toString(),
        });
        if (response.status === 401 && attempt === 0) {
          cachedPat = undefined;
          continue;
        }
        if (response.status !== 200) throw errorFromResponse('introspection', response);
        return response.body as Introspection;
      }
    },
    async setPolicy(resourceId, policy) {
      await protectedCall('policy update', `${await asBase()}/policy/${encodeURIComponent(resourceId)}`, 'PUT', policy);
    },
    async getPolicy(resourceId) {
      return (await protectedCall('policy read', `${await asBase()}/policy/${encodeURIComponent(resourceId)}`, 'GET')).body;
    },
    async listRequests() {
      return (await protectedCall('request list', `${await asBase()}/requests`, 'GET')).body as AccessRequest[];
    },
    async decideRequest(idOrTicket, decision) {
      return (await protectedCall(`request ${decision}`, `${await asBase()}/requests/${encodeURIComponent(idOrTicket)}/${decision}`, 'POST')).body as AccessRequest;
    },
  };
}
