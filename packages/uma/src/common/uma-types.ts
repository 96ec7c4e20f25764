/** The UMA 2.0 grant type at the token endpoint (UMA 2.0 Grant §3.3.1). */
export const UMA_TICKET_GRANT = 'urn:ietf:params:oauth:grant-type:uma-ticket';
/** Claim token format: an OpenID Connect ID token. */
export const ID_TOKEN_FORMAT = 'http://openid.net/specs/openid-connect-core-1_0.html#IDToken';
/** Claim token format: any signed JWT (RFC 8693 token type URI). */
export const JWT_FORMAT = 'urn:ietf:params:oauth:token-type:jwt';
/** OAuth scope that makes an access token a protection API access token (PAT). */
export const PROTECTION_SCOPE = 'uma_protection';

/** One permission: a resource and the scopes granted (or requested) on it. */
export interface Permission {
  readonly resource_id: string;
  readonly resource_scopes: readonly string[];
  /** Seconds since the epoch after which this permission no longer counts. */
  readonly exp?: number;
}

/** The fields of `/.well-known/uma2-configuration` this package reads and writes. */
export interface UmaDiscovery {
  readonly issuer: string;
  readonly token_endpoint: string;
  readonly jwks_uri: string;
  readonly introspection_endpoint: string;
  readonly resource_registration_endpoint: string;
  readonly permission_endpoint: string;
  readonly claims_interaction_endpoint: string;
  readonly grant_types_supported: readonly string[];
  readonly [field: string]: unknown;
}

/** A resource description as the resource registration endpoint takes and returns it. */
export interface ResourceDescription {
  readonly resource_scopes: readonly string[];
  readonly name?: string;
  readonly type?: string;
  readonly icon_uri?: string;
  readonly description?: string;
}

/** Claims about the requesting party that reached the RPT (verified by the AS). */
export type RequesterClaims = Readonly<Record<string, string | readonly string[]>>;
