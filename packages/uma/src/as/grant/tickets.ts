import type { Permission, RequesterClaims } from '../../common/uma-types.js';
import { randomToken, tokenHash } from '../keys/secrets.js';
import type { TicketRecord } from '../store/records.js';
import type { UmaStore } from '../store/uma-store.js';

const PURGE_EVERY_MS = 60_000;

/** Issues and redeems permission tickets: random, stored by hash, single use, short-lived. */
export interface Tickets {
  readonly issue: (permissions: readonly Permission[], claims: RequesterClaims | null) => string;
  /** Redeems a ticket (it is gone afterwards); `undefined` when unknown, used or expired. */
  readonly redeem: (ticket: string) => TicketRecord | undefined;
}

/** Creates the ticket service. */
export function createTickets(deps: { store: UmaStore; now: () => number; ticketTtlMs: number }): Tickets {
  let lastPurge = Number.NEGATIVE_INFINITY;
  return {
    issue(permissions, claims) {
      // Expired bearer values are useless but would pile up; sweep them at most once a minute.
      if (deps.now() - lastPurge >= PURGE_EVERY_MS) {
        lastPurge = deps.now();
        deps.store.purgeExpired(lastPurge);
      }
      const ticket = randomToken();
      deps.store.addTicket({ ticketHash: tokenHash(ticket), permissions, claims, expiresAt: deps.now() + deps.ticketTtlMs });
      return ticket;
    },
    redeem(ticket) {
      const record = deps.store.takeTicket(tokenHash(ticket));
      return record !== undefined && record.expiresAt > deps.now() ? record : undefined;
    },
  };
}
