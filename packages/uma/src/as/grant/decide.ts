import type { Permission, RequesterClaims } from '../../common/uma-types.js';
import { claimsUsedFor, evaluatePolicy, type UmaPolicy } from '../policy/policy.js';
import type { UmaStore } from '../store/uma-store.js';

/** The AS's answer to "may this party have these permissions?". */
export type GrantDecision =
  | { readonly kind: 'permit' }
  | { readonly kind: 'need_info'; readonly claimNames: readonly string[] }
  | { readonly kind: 'denied' }
  | { readonly kind: 'ask'; readonly owner: string };

/**
 * Applies the owners' policies to every requested scope. The owner always gets
 * their own resources. A scope no rule grants means `need_info` when claims the
 * policy looks at are still missing, otherwise `denied`; scopes granted only by
 * "ask me" rules mean `ask`.
 */
export function decide(store: UmaStore, permissions: readonly Permission[], claims: RequesterClaims): GrantDecision {
  const missing = new Set<string>();
  let refused = false;
  let askOwner: string | undefined;
  for (const permission of permissions) {
    const resource = store.getResource(permission.resource_id);
    if (resource === undefined) return { kind: 'denied' };
    if (claims.sub === resource.owner) continue;
    const policy = (store.getPolicy(resource.id) as UmaPolicy | undefined) ?? { rules: [] };
    // A permission naming no scope grants nothing anyone but the owner could use; treat it as refused.
    for (const scope of permission.resource_scopes.length > 0 ? permission.resource_scopes : ['']) {
      const outcome = evaluatePolicy(policy, scope, claims);
      if (outcome === 'ask') askOwner ??= resource.owner;
      if (outcome !== 'none') continue;
      refused = true;
      for (const name of claimsUsedFor(policy, scope)) if (claims[name] === undefined) missing.add(name);
    }
  }
  if (refused) return missing.size > 0 ? { kind: 'need_info', claimNames: [...missing].sort() } : { kind: 'denied' };
  return askOwner === undefined ? { kind: 'permit' } : { kind: 'ask', owner: askOwner };
}
