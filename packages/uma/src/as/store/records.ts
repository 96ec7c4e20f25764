import type { Permission, RequesterClaims, ResourceDescription } from '../../common/uma-types.js';

/** An OAuth client of the AS. `owner` set = a resource server acting for that resource owner (may get PATs). */
export interface ClientRecord {
  readonly clientId: string;
  readonly secretHash: string;
  readonly name: string;
  readonly owner: string | null;
  readonly redirectUris: readonly string[];
  readonly createdAt: number;
}

/** A protection API access token (stored by hash). */
export interface PatRecord {
  readonly tokenHash: string;
  readonly clientId: string;
  readonly owner: string;
  readonly expiresAt: number;
}

/** An RPT signing key; retired keys stay published until `expiresAt`. */
export interface SigningKeyRecord {
  readonly kid: string;
  readonly alg: string;
  readonly privateJwk: string;
  readonly publicJwk: string;
  readonly createdAt: number;
  readonly retiredAt: number | null;
  readonly expiresAt: number | null;
}

/** A registered resource and who owns it. */
export interface ResourceRecord {
  readonly id: string;
  readonly owner: string;
  readonly clientId: string;
  readonly description: ResourceDescription;
  readonly createdAt: number;
}

/** A permission ticket (stored by hash), with claims gathered interactively so far. */
export interface TicketRecord {
  readonly ticketHash: string;
  readonly permissions: readonly Permission[];
  readonly claims: RequesterClaims | null;
  readonly expiresAt: number;
}

/** An "ask the owner" access request. */
export interface RequestRecord {
  readonly id: string;
  readonly owner: string;
  readonly clientId: string;
  readonly subject: string | null;
  readonly claims: RequesterClaims;
  readonly permissions: readonly Permission[];
  readonly status: 'pending' | 'approved' | 'denied';
  readonly ticketHash: string | null;
  readonly createdAt: number;
}

/** A persisted claims token (stored by hash). */
export interface PctRecord {
  readonly pctHash: string;
  readonly clientId: string;
  readonly claims: RequesterClaims;
  readonly expiresAt: number;
}

/** A requesting party who can sign in at the claims interaction endpoint. */
export interface UserRecord {
  readonly username: string;
  readonly passwordHash: string;
  readonly claims: RequesterClaims;
  readonly createdAt: number;
}
