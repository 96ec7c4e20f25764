import type { UmaDecision, UmaRequest } from '@waggle/uma';

/**
 * How a route group is authorised: `key` MISP auth keys only (MISP's rules);
 * `uma` reading another organisation's event needs an RPT for that event, issued
 * by the authorisation server under the producer's policy (the producer's own
 * organisation and site administrators read with their keys); `either` an RPT or
 * a MISP key under MISP's rules.
 */
export type UmaRouteMode = 'key' | 'uma' | 'either';

/** The producing organisation of an event, as the gate matches owners. */
export interface EventOwner {
  readonly orgUuid: string;
  readonly orgName: string;
}

/**
 * The server's port to UMA for events (the adapter is `createUmaEventGate`).
 * `decide` answers `not-protected` when the event's producer has not put its
 * events under UMA (no resource-server client configured for it).
 */
export interface UmaEventGate {
  readonly mode: Exclude<UmaRouteMode, 'key'>;
  /** The producers under UMA, as configured (organisation UUIDs or names). */
  readonly owners: readonly string[];
  decide(request: UmaRequest, owner: EventOwner, eventUuid: string): Promise<UmaDecision | 'not-protected'>;
  /** The AS resource id of an event (registered on first use), or undefined when its owner is not under UMA. */
  resourceOf(owner: EventOwner, eventUuid: string): Promise<string | undefined>;
}
