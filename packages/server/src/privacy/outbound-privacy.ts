import { NotFoundError } from '@waggle/errors';
import type { MispJson, Principal } from '@waggle/core';
import { keepProtectedValues } from '../protect/keep-protected.js';
import { createAnonymizer, selectRecipient, type Anonymizer, type KeyStore, type Policy, type RecipientRef } from '@waggle/privacy';

/** What outbound anonymisation needs: the operator's policy (none = off), the key store and the clock. */
export interface OutboundPrivacyDeps {
  readonly policy: Policy | undefined;
  readonly keys: KeyStore;
  readonly now: () => Date;
  /** Told about every event withheld because the policy has no section for its recipient. */
  readonly onWithheld?: (eventUuid: string, recipient: RecipientRef, reason: string) => void;
}

/**
 * The anonymiser on waggle's outbound paths (sync push, remote pulls and
 * other organisations' reads, feed export, STIX/TAXII, the live stream).
 *
 * Only events **produced here** (creator organisation local to this
 * instance) are transformed: the producer's policy governs its own data, and
 * events received from partners were already shaped by theirs. An event that
 * already carries waggle's anonymisation for the same policy and recipient
 * passes unchanged, so nothing is anonymised twice. When the policy has no
 * section for a recipient the event is **withheld** (fail closed).
 */
export interface OutboundPrivacy {
  /** Whether a policy is configured (otherwise every method returns its input). */
  readonly enabled: boolean;
  readonly policy: Policy | undefined;
  readonly anonymizer: Anonymizer;
  /** A bare MISP event as `recipient` may receive it, or `undefined` when it must be withheld. */
  forRecipient(event: MispJson, recipient: RecipientRef): MispJson | undefined;
  /**
   * Who an API reader is, as a recipient: sync users (other instances pulling)
   * and users of organisations that are not local are recipients; the
   * producer's organisation and local users are not (`undefined`).
   */
  recipientOf(p: Principal, event: MispJson): RecipientRef | undefined;
  /** Whether the policy has a section for `recipient` (always true without a policy). */
  covers(recipient: RecipientRef): boolean;
}

type J = Record<string, unknown>;
const isObj = (v: unknown): v is J => typeof v === 'object' && v !== null && !Array.isArray(v);
const bare = (e: MispJson): J => (isObj(e.Event) ? e.Event : e);

/** Whether the event was produced by an organisation of this instance. */
export function producedHere(event: MispJson): boolean {
  const orgc = bare(event).Orgc;
  // Event views always carry Orgc; without it (a bare index row) treat it as ours: fail closed.
  return !isObj(orgc) || orgc.local === undefined || orgc.local === true || orgc.local === 1 || orgc.local === '1';
}

/** Builds the outbound anonymisation step over the configured policy. */
export function createOutboundPrivacy(deps: OutboundPrivacyDeps): OutboundPrivacy {
  const anonymizer = createAnonymizer({ keys: deps.keys, now: deps.now });
  const policy = deps.policy;

  function forRecipient(event: MispJson, recipient: RecipientRef): MispJson | undefined {
    if (policy === undefined || !producedHere(event)) return event;
    try {
      // Protected (encrypted) values pass untouched: see keepProtectedValues.
      return keepProtectedValues(bare(event), (e) => anonymizer.anonymizeEvent(e, policy, recipient).event) as MispJson;
    } catch (error) {
      if (error instanceof NotFoundError) {
        deps.onWithheld?.(String(bare(event).uuid ?? ''), recipient, error.message);
        return undefined;
      }
      throw error;
    }
  }

  return {
    enabled: policy !== undefined,
    policy,
    anonymizer,
    forRecipient,
    covers(recipient) {
      if (policy === undefined) return true;
      try {
        selectRecipient(policy, recipient);
        return true;
      } catch (error) {
        if (error instanceof NotFoundError) return false;
        throw error;
      }
    },
    recipientOf(p, event) {
      if (policy === undefined) return undefined;
      const orgc = bare(event).Orgc;
      const producer = isObj(orgc) ? String(orgc.uuid ?? '') : '';
      if (producer !== '' && producer === p.org.uuid) return undefined;
      // A sync user is another instance (MISP's site-admin role has perm_sync too, and is local).
      const syncUser = p.role.perm_sync && !p.role.perm_site_admin;
      if (!syncUser && p.org.local) return undefined;
      const organisation = { name: p.org.name, uuid: p.org.uuid };
      return syncUser ? { organisation, server: organisation } : { organisation };
    },
  };
}

