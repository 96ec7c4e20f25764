import type { ClientRecord, PatRecord, PctRecord, RequestRecord, ResourceRecord, SigningKeyRecord, TicketRecord, UserRecord } from './records.js';

/** Storage port of the authorisation server (one SQLite adapter; `:memory:` for tests). */
export interface UmaStore {
  readonly addClient: (client: ClientRecord) => void;
  readonly getClient: (clientId: string) => ClientRecord | undefined;
  readonly listClients: () => ClientRecord[];
  readonly removeClient: (clientId: string) => boolean;

  readonly addPat: (pat: PatRecord) => void;
  readonly getPat: (tokenHash: string) => PatRecord | undefined;

  readonly addSigningKey: (key: SigningKeyRecord) => void;
  readonly listSigningKeys: () => SigningKeyRecord[];
  readonly retireSigningKey: (kid: string, retiredAt: number, expiresAt: number) => void;

  readonly putResource: (resource: ResourceRecord) => void;
  readonly getResource: (id: string) => ResourceRecord | undefined;
  readonly listResources: (owner: string) => ResourceRecord[];
  readonly deleteResource: (id: string) => boolean;

  readonly setPolicy: (resourceId: string, policy: unknown, updatedAt: number) => void;
  readonly getPolicy: (resourceId: string) => unknown;

  readonly addTicket: (ticket: TicketRecord) => void;
  /** Removes and returns a ticket in one step, so a ticket can be redeemed only once. */
  readonly takeTicket: (ticketHash: string) => TicketRecord | undefined;

  readonly addRequest: (request: RequestRecord) => void;
  readonly getRequest: (id: string) => RequestRecord | undefined;
  readonly findRequestByTicket: (ticketHash: string) => RequestRecord | undefined;
  readonly findRequest: (clientId: string, subject: string | null, permissions: string) => RequestRecord | undefined;
  readonly updateRequest: (id: string, change: { status?: RequestRecord['status']; ticketHash?: string | null }) => void;
  readonly listRequests: (owner: string) => RequestRecord[];

  readonly addPct: (pct: PctRecord) => void;
  readonly getPct: (pctHash: string) => PctRecord | undefined;

  readonly addUser: (user: UserRecord) => void;
  readonly getUser: (username: string) => UserRecord | undefined;
  readonly listUsers: () => UserRecord[];
  readonly removeUser: (username: string) => boolean;

  /** Deletes expired tickets, PATs and PCTs; returns how many rows went. */
  readonly purgeExpired: (now: number) => number;

  /** Runs `fn` in one transaction. */
  readonly transaction: <T>(fn: () => T) => T;
  readonly close: () => void;
}
