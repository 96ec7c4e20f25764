import { NotFoundError } from '@waggle/errors';
import type { Principal } from '@waggle/core';
import type { Services } from '../http/context.js';
import type { UmaEventGate } from './uma-gate.js';

/** How long the organisation ids of the configured producers are reused before they are looked up again. */
const OWNER_IDS_TTL_MS = 30_000;

/**
 * In `uma` mode another organisation's MISP key gets the UMA challenge on a producer's event
 * (ADR 0013); this keeps every other read path in agreement: the principal of such a key does
 * not see the events those producers created in indexes, restSearch, correlations, sightings,
 * reports or the event stream (its viewer's `hiddenCreatorOrgIds`). The producers' own users
 * and site administrators see them as before; `either` mode leaves MISP's rules alone.
 */
export function umaSearchScope(services: Services, gate: UmaEventGate): (p: Principal) => Promise<Principal> {
  let cached: { readonly at: number; readonly ids: readonly number[] } | undefined;
  async function ownerIds(p: Principal): Promise<readonly number[]> {
    if (cached !== undefined && Date.now() - cached.at < OWNER_IDS_TTL_MS) return cached.ids;
    const ids: number[] = [];
    for (const ref of gate.owners) {
      try {
        ids.push(Number((await services.admin.organisations.view(p, ref)).id));
      } catch (e) {
        // A producer configured before its organisation exists here has no events yet.
        if (!(e instanceof NotFoundError)) throw e;
      }
    }
    cached = { at: Date.now(), ids };
    return ids;
  }
  return async (p) => {
    if (gate.mode !== 'uma' || p.role.perm_site_admin) return p;
    const hidden = (await ownerIds(p)).filter((id) => id !== p.org.id);
    return hidden.length === 0 ? p : { ...p, viewer: { ...p.viewer, hiddenCreatorOrgIds: hidden } };
  };
}
