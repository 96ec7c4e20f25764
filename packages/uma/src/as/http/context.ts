import type { KeyRing } from '../keys/key-ring.js';
import type { UmaGrantParams, GrantResult } from '../grant/uma-grant.js';
import type { Tickets } from '../grant/tickets.js';
import type { UmaStore } from '../store/uma-store.js';

/** What the route modules share (built once in `createUmaServer`). */
export interface UmaContext {
  readonly issuer: string;
  readonly store: UmaStore;
  readonly keys: KeyRing;
  readonly tickets: Tickets;
  readonly now: () => number;
  readonly grant: (clientId: string, params: UmaGrantParams) => Promise<GrantResult>;
  readonly patLifetimeSec: number;
}
