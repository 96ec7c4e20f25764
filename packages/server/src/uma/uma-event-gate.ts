import { enforceUma, type ResourceServerClient, type UmaDecision, type UmaRequest } from '@waggle/uma';
import type { EventOwner, UmaEventGate, UmaRouteMode } from './uma-gate.js';

/** The UMA resource type waggle registers events under. */
export const EVENT_RESOURCE_TYPE = 'https://waggle.dev/uma/resource-types/event';
const nameOf = (eventUuid: string): string => `waggle event ${eventUuid}`;

/** One producer organisation's resource-server client at the authorisation server. */
export interface UmaOwnerClient {
  /** Organisation UUID or name this client acts for. */
  readonly org: string;
  readonly rs: ResourceServerClient;
}

/** Options of {@link createUmaEventGate}. */
export interface UmaEventGateOptions {
  readonly mode: Exclude<UmaRouteMode, 'key'>;
  readonly realm: string;
  readonly owners: readonly UmaOwnerClient[];
}

interface OwnerState {
  readonly rs: ResourceServerClient;
  readonly guard: (request: UmaRequest & { readonly resourceId: string }) => Promise<UmaDecision>;
  /** event UUID → resource id, filled from the AS once, then by registration. */
  index?: Promise<Map<string, string>>;
  readonly pending: Map<string, Promise<string>>;
}

/**
 * The UMA adapter for events: each producer organisation is a resource owner
 * with its own resource-server client; each event becomes one resource
 * (`waggle event <uuid>`, scope `read`) registered on first use. The AS is the
 * record of which resource is which event: on the first request for an owner the
 * gate lists that owner's resources once (one request per resource), after that
 * lookups are in memory and RPTs are verified locally against the AS's JWKS.
 */
export function createUmaEventGate(options: UmaEventGateOptions): UmaEventGate {
  const owners = new Map<string, OwnerState>();
  for (const o of options.owners) {
    owners.set(o.org.toLowerCase(), {
      rs: o.rs,
      pending: new Map(),
      guard: enforceUma<UmaRequest & { readonly resourceId: string }>({ rs: o.rs, realm: options.realm, resourceIdFor: (r) => r.resourceId, scopeFor: () => 'read' }),
    });
  }
  const ownerState = (owner: EventOwner): OwnerState | undefined => owners.get(owner.orgUuid.toLowerCase()) ?? owners.get(owner.orgName.toLowerCase());

  async function loadIndex(rs: ResourceServerClient): Promise<Map<string, string>> {
    const index = new Map<string, string>();
    for (const id of await rs.listResources()) {
      const d = await rs.getResource(id);
      const m = /^waggle event ([0-9a-f-]{36})$/i.exec(d.name ?? '');
      if (m?.[1] !== undefined && d.type === EVENT_RESOURCE_TYPE) index.set(m[1].toLowerCase(), id);
    }
    return index;
  }

  async function resourceIn(state: OwnerState, eventUuid: string): Promise<string> {
    const key = eventUuid.toLowerCase();
    state.index ??= loadIndex(state.rs).catch((e: unknown) => {
      delete state.index;
      throw e;
    });
    const index = await state.index;
    const known = index.get(key);
    if (known !== undefined) return known;
    // Concurrent first requests for one event register it once.
    let registering = state.pending.get(key);
    if (registering === undefined) {
      registering = state.rs.registerResource({ name: nameOf(key), type: EVENT_RESOURCE_TYPE, resource_scopes: ['read'] }).then((r) => {
        index.set(key, r._id);
        return r._id;
      }).finally(() => state.pending.delete(key));
      state.pending.set(key, registering);
    }
    return registering;
  }

  return {
    mode: options.mode,
    owners: options.owners.map((o) => o.org),
    async resourceOf(owner, eventUuid) {
      const state = ownerState(owner);
      return state === undefined ? undefined : resourceIn(state, eventUuid);
    },
    async decide(request, owner, eventUuid) {
      const state = ownerState(owner);
      if (state === undefined) return 'not-protected';
      return state.guard({ headers: request.headers, resourceId: await resourceIn(state, eventUuid) });
    },
  };
}
